import { type LuParams } from '@lowrank/core';
import { exportName, type KernelContext, type WasmTensor } from '../kernel-context.ts';
import { gemmWork } from '../shared/factor.ts';

export function lu(ctx: KernelContext, p: LuParams<WasmTensor>): number {
  return ctx.call(exportName('lu', p.a.dtype), p.a.ptr, p.lu.ptr, p.piv.ptr, p.m, p.n, gemmWork(ctx, p.a.dtype));
}
