import type { ScalParams } from '@lowrank/core';
import type { KernelContext } from '../kernel-context.ts';
import type { WebGpuTensor } from '../tensor.ts';
import { scaleBuffer } from '../shared/map.ts';

/** x ← α·x in place (α = 0 writes zeros without reading x). */
export function scal(ctx: KernelContext, p: ScalParams<WebGpuTensor>): Promise<void> {
  return scaleBuffer(ctx, p.x, p.alpha, p.n);
}
