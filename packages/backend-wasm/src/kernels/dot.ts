import { type DotParams } from '@lowrank/core';
import { exportName, type KernelContext, type WasmTensor } from '../kernel-context.ts';

export function dot(ctx: KernelContext, p: DotParams<WasmTensor>): number {
  return ctx.call(exportName('dot', p.x.dtype), p.x.ptr, p.y.ptr, p.n);
}
