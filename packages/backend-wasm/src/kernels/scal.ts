import { type ScalParams } from '@lowrank/core';
import { exportName, type KernelContext, type WasmTensor } from '../kernel-context.ts';

export function scal(ctx: KernelContext, p: ScalParams<WasmTensor>): void {
  ctx.call(exportName('scal', p.x.dtype), p.alpha, p.x.ptr, p.n);
}
