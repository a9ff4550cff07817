import { BINARY_OPS, type BinaryParams } from '@lowrank/core';
import { exportName, type KernelContext, type WasmTensor } from '../kernel-context.ts';

export function binary(ctx: KernelContext, p: BinaryParams<WasmTensor>): void {
  ctx.call(exportName('binary', p.x.dtype), BINARY_OPS.indexOf(p.op), p.x.ptr, p.y.ptr, p.out.ptr, p.n);
}
