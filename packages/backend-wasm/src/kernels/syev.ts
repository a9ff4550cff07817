import { BYTES_PER_ELEMENT, type SyevParams } from '@lowrank/core';
import { exportName, type KernelContext, type WasmTensor } from '../kernel-context.ts';

export function syev(ctx: KernelContext, p: SyevParams<WasmTensor>): number {
  const work = ctx.scratch(0, ctx.call('syevWorkBytes', p.n, BYTES_PER_ELEMENT[p.a.dtype]));
  return ctx.call(exportName('syev', p.a.dtype), p.a.ptr, p.w.ptr, p.z.ptr, p.n, +p.vectors, work);
}
