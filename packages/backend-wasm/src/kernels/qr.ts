import { BYTES_PER_ELEMENT, type QrParams } from '@lowrank/core';
import { exportName, type KernelContext, type WasmTensor } from '../kernel-context.ts';
import { gemmWork } from '../shared/factor.ts';

/** Two scratch areas: its own (the first slot past the threads') and GEMM's packing buffers (thread 0's). */
export function qr(ctx: KernelContext, p: QrParams<WasmTensor>): number {
  const w = BYTES_PER_ELEMENT[p.a.dtype];
  const work = ctx.scratch(ctx.threads, ctx.call('qrWorkElements', p.m, p.n) * w);
  return ctx.call(exportName('qr', p.a.dtype), p.a.ptr, p.q.ptr, p.r.ptr, p.m, p.n, work, gemmWork(ctx, p.a.dtype));
}
