import type { CholeskyParams, LuParams, TrsmParams } from '@lowrank/core';
import { exportName, type KernelContext, type WasmTensor } from './context.ts';

export function cholesky(ctx: KernelContext, p: CholeskyParams<WasmTensor>): number {
  return ctx.call(exportName('cholesky', p.a.dtype), p.a.ptr, p.l.ptr, p.n);
}

export function trsm(ctx: KernelContext, p: TrsmParams<WasmTensor>): number {
  return ctx.call(exportName('trsm', p.t.dtype), p.t.ptr, p.b.ptr, p.n, p.m, +p.lower, +p.trans, +p.unitDiag, p.alpha);
}

export function lu(ctx: KernelContext, p: LuParams<WasmTensor>): number {
  return ctx.call(exportName('lu', p.a.dtype), p.a.ptr, p.lu.ptr, p.piv.ptr, p.m, p.n);
}
