import { BYTES_PER_ELEMENT, type GemvParams } from '@lowrank/core';
import { exportName, type KernelContext, type WasmTensor } from '../kernel-context.ts';

/** Memory-bound level-1/2 kernels run on one thread: at these sizes a second core adds only latency. */
export function gemv(ctx: KernelContext, p: GemvParams<WasmTensor>): void {
  const acc = ctx.scratch(0, p.n * BYTES_PER_ELEMENT[p.a.dtype]);
  ctx.call(exportName('gemv', p.a.dtype), +p.trans, p.m, p.n, p.alpha, p.a.ptr, p.x.ptr, p.beta, p.y.ptr, acc);
}
