import { BYTES_PER_ELEMENT, type SvdParams } from '@lowrank/core';
import { exportName, type KernelContext, type WasmTensor } from '../kernel-context.ts';

export function svd(ctx: KernelContext, p: SvdParams<WasmTensor>): number {
  const work = ctx.scratch(0, ctx.call('svdWorkBytes', p.m, p.n, BYTES_PER_ELEMENT[p.a.dtype]));
  return ctx.call(
    exportName('svd', p.a.dtype),
    p.a.ptr,
    p.u.ptr,
    p.s.ptr,
    p.v.ptr,
    p.m,
    p.n,
    p.maxSweeps,
    +p.vectors,
    work,
  );
}
