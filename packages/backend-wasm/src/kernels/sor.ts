import { BYTES_PER_ELEMENT, type SorParams } from '@lowrank/core';
import {
  exportName,
  COLS_SLOT,
  ORDER_SLOT,
  ROW_ORDER_SLOT,
  ROW_PTR_SLOT,
  type KernelContext,
  type WasmTensor,
} from '../kernel-context.ts';

/**
 * One thread, rows in the order's sequence: each row reads the rows updated before it. The diagonal's
 * check (n elements of work in slot 0) runs in the kernel before the first write.
 */
export function sor(ctx: KernelContext, p: SorParams<WasmTensor>): number {
  const { cols, rowPtr, rowOrder } = p.pattern;
  return ctx.call(
    exportName('sor', p.x.dtype),
    p.vals.ptr,
    p.b.ptr,
    p.x.ptr,
    ctx.writeInt32(COLS_SLOT, cols),
    ctx.writeInt32(ROW_PTR_SLOT, rowPtr),
    ctx.writeInt32(ROW_ORDER_SLOT, rowOrder),
    ctx.writeInt32(ORDER_SLOT, p.order.order),
    p.n,
    p.omega,
    p.sweeps,
    p.symmetric ? 1 : 0,
    ctx.scratch(0, p.n * BYTES_PER_ELEMENT[p.x.dtype]),
  );
}
