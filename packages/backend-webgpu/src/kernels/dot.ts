import type { DotParams } from '@lowrank/core';
import type { KernelContext } from '../kernel-context.ts';
import type { WebGpuTensor } from '../tensor.ts';
import { elem } from '../shared/dtype.ts';
import { reduceToScalar } from '../shared/reduction.ts';

/** xᵀy by the two-pass tree reduction, accumulated in f32. */
export function dot(ctx: KernelContext, p: DotParams<WebGpuTensor>): Promise<number> {
  return reduceToScalar(ctx, elem(p.x.dtype), 'dot', 'f32(in0[i]) * f32(in1[i])', 'sum', [p.x.buffer, p.y.buffer], p.n);
}
