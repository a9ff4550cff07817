import type { AxpyParams } from '@lowrank/core';
import type { KernelContext } from '../kernel-context.ts';
import type { WebGpuTensor } from '../tensor.ts';
import { elem } from '../shared/dtype.ts';
import { mapProgram } from '../shared/map.ts';

/** y ← α·x + y in place, one invocation per element. */
export function axpy(ctx: KernelContext, p: AxpyParams<WebGpuTensor>): Promise<void> {
  return ctx.run([mapProgram(elem(p.x.dtype), 'axpy', 'p.a * x + o', [p.x.buffer], p.y.buffer, p.n, p.alpha, true)]);
}
