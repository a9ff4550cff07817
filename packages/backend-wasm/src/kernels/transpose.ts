import { type TransposeParams } from '@lowrank/core';
import { exportName, type KernelContext, type WasmTensor } from '../kernel-context.ts';

export function transpose(ctx: KernelContext, p: TransposeParams<WasmTensor>): void {
  ctx.call(exportName('transpose', p.x.dtype), p.x.ptr, p.out.ptr, p.rows, p.cols);
}
