import { type CholeskyParams } from '@lowrank/core';
import { exportName, type KernelContext, type WasmTensor } from '../kernel-context.ts';
import { gemmWork } from '../shared/factor.ts';

export function cholesky(ctx: KernelContext, p: CholeskyParams<WasmTensor>): number {
  return ctx.call(exportName('cholesky', p.a.dtype), p.a.ptr, p.l.ptr, p.n, gemmWork(ctx, p.a.dtype));
}
