import type { SpmmParams } from '@lowrank/core';
import {
  exportName,
  splitRange,
  COLS_SLOT,
  ROW_ORDER_SLOT,
  ROW_PTR_SLOT,
  type KernelContext,
  type WasmTensor,
} from '../kernel-context.ts';
import { task } from '../pool.ts';

/** Threads take disjoint ranges of output rows (CSR order), so no two write the same row. */
export async function spmm(ctx: KernelContext, p: SpmmParams<WasmTensor>): Promise<void> {
  const { cols, rowPtr, rowOrder, nnz } = p.pattern;
  const c = ctx.writeInt32(COLS_SLOT, cols),
    ptr = ctx.writeInt32(ROW_PTR_SLOT, rowPtr),
    order = ctx.writeInt32(ROW_ORDER_SLOT, rowOrder);
  const fn = exportName('spmm', p.b.dtype);
  const threads = nnz * p.k < 1 << 16 ? 1 : ctx.threads;
  await ctx.parallel(
    splitRange(p.m, threads, 1).map(([i0, i1]) => [
      task(fn, p.vals.ptr, p.b.ptr, c, ptr, order, p.out.ptr, p.k, i0, i1, p.alpha),
    ]),
  );
}
