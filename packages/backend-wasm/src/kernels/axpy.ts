import { type AxpyParams } from '@lowrank/core';
import { exportName, type KernelContext, type WasmTensor } from '../kernel-context.ts';

export function axpy(ctx: KernelContext, p: AxpyParams<WasmTensor>): void {
  ctx.call(exportName('axpy', p.x.dtype), p.alpha, p.x.ptr, p.y.ptr, p.n);
}
