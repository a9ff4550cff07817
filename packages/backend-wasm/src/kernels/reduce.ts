import { REDUCE_OPS, type ReduceParams } from '@lowrank/core';
import { exportName, type KernelContext, type WasmTensor } from '../kernel-context.ts';

export function reduce(ctx: KernelContext, p: ReduceParams<WasmTensor>): void {
  ctx.call(
    exportName('reduce', p.x.dtype),
    REDUCE_OPS.indexOf(p.op),
    p.axis === 'rows' ? 0 : 1,
    p.x.ptr,
    p.out.ptr,
    p.rows,
    p.cols,
  );
}
