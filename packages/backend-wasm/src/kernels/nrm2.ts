import { type Nrm2Params } from '@lowrank/core';
import { exportName, type KernelContext, type WasmTensor } from '../kernel-context.ts';

export function nrm2(ctx: KernelContext, p: Nrm2Params<WasmTensor>): number {
  return ctx.call(exportName('nrm2', p.x.dtype), p.x.ptr, p.n);
}
