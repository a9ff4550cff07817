import { BYTES_PER_ELEMENT, type CholeskyParams, type LuParams, type QrParams, type SvdParams, type SyevParams, type TrsmParams } from '@lowrank/core';
import { exportName, type KernelContext, type WasmTensor } from './context.ts';

/** GEMM's packing buffers (thread 0's scratch) for the blocked factorizations' trailing updates. */
function gemmWork(ctx: KernelContext, dtype: WasmTensor['dtype']): number {
  return ctx.scratch(0, ctx.call(exportName('gemmScratchBytes', dtype)));
}

export function cholesky(ctx: KernelContext, p: CholeskyParams<WasmTensor>): number {
  return ctx.call(exportName('cholesky', p.a.dtype), p.a.ptr, p.l.ptr, p.n, gemmWork(ctx, p.a.dtype));
}

export function trsm(ctx: KernelContext, p: TrsmParams<WasmTensor>): number {
  return ctx.call(exportName('trsm', p.t.dtype), p.t.ptr, p.b.ptr, p.n, p.m, +p.lower, +p.trans, +p.unitDiag, p.alpha);
}

export function lu(ctx: KernelContext, p: LuParams<WasmTensor>): number {
  return ctx.call(exportName('lu', p.a.dtype), p.a.ptr, p.lu.ptr, p.piv.ptr, p.m, p.n, gemmWork(ctx, p.a.dtype));
}

/** Two scratch areas: its own (the first slot past the threads') and GEMM's packing buffers (thread 0's). */
export function qr(ctx: KernelContext, p: QrParams<WasmTensor>): number {
  const w = BYTES_PER_ELEMENT[p.a.dtype];
  const work = ctx.scratch(ctx.threads, ctx.call('qrWorkElements', p.m, p.n) * w);
  return ctx.call(exportName('qr', p.a.dtype), p.a.ptr, p.q.ptr, p.r.ptr, p.m, p.n, work, gemmWork(ctx, p.a.dtype));
}

export function svd(ctx: KernelContext, p: SvdParams<WasmTensor>): number {
  const work = ctx.scratch(0, ctx.call('svdWorkBytes', p.m, p.n, BYTES_PER_ELEMENT[p.a.dtype]));
  return ctx.call(exportName('svd', p.a.dtype), p.a.ptr, p.u.ptr, p.s.ptr, p.v.ptr, p.m, p.n, p.maxSweeps, +p.vectors, work);
}

export function syev(ctx: KernelContext, p: SyevParams<WasmTensor>): number {
  const work = ctx.scratch(0, ctx.call('syevWorkBytes', p.n, BYTES_PER_ELEMENT[p.a.dtype]));
  return ctx.call(exportName('syev', p.a.dtype), p.a.ptr, p.w.ptr, p.z.ptr, p.n, +p.vectors, work);
}
