import { type TrsmParams } from '@lowrank/core';
import { exportName, type KernelContext, type WasmTensor } from '../kernel-context.ts';

export function trsm(ctx: KernelContext, p: TrsmParams<WasmTensor>): number {
  return ctx.call(exportName('trsm', p.t.dtype), p.t.ptr, p.b.ptr, p.n, p.m, +p.lower, +p.trans, +p.unitDiag, p.alpha);
}
