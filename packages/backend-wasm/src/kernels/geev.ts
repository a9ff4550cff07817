import { type GeevParams } from '@lowrank/core';
import { exportName, type KernelContext, type WasmTensor } from '../kernel-context.ts';

/** One thread (the Francis QR iteration is sequential); the f64 work area in this thread's scratch. */
export function geev(ctx: KernelContext, p: GeevParams<WasmTensor>): number {
  const work = ctx.scratch(0, Math.max(8, 8 * ctx.call('geevWorkElements', p.n)));
  return ctx.call(exportName('geev', p.a.dtype as 'f32' | 'f64'), p.a.ptr, p.wr.ptr, p.wi.ptr, p.v.ptr, p.n, work);
}
