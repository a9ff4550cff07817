import type { SddmmParams, SpmmParams } from '@lowrank/core';
import { exportName, splitRange, type KernelContext, type WasmTensor } from './context.ts';
import { task } from '../pool.ts';

/** Scratch slots past the threads' GEMM slots, one per index array of the pattern. */
const ROWS_SLOT = 1 << 10, COLS_SLOT = ROWS_SLOT + 1, ROW_PTR_SLOT = ROWS_SLOT + 2, ROW_ORDER_SLOT = ROWS_SLOT + 3;

/**
 * The pattern's indices are copied into scratch, then threads take disjoint ranges of entries (each
 * entry is independent, so results do not depend on the thread count).
 */
export async function sddmm(ctx: KernelContext, p: SddmmParams<WasmTensor>): Promise<void> {
  const { rows, cols, nnz } = p.pattern;
  const r = ctx.writeInt32(ROWS_SLOT, rows), c = ctx.writeInt32(COLS_SLOT, cols);
  const fn = exportName('sddmm', p.u.dtype);
  const threads = nnz * p.k < 1 << 16 ? 1 : ctx.threads;
  await ctx.parallel(splitRange(nnz, threads, 1).map(([e0, e1]) => [
    task(fn, p.u.ptr, p.v.ptr, r, c, p.out.ptr, p.k, e0, e1, p.alpha),
  ]));
}

/** Threads take disjoint ranges of output rows (CSR order), so no two write the same row. */
export async function spmm(ctx: KernelContext, p: SpmmParams<WasmTensor>): Promise<void> {
  const { cols, rowPtr, rowOrder, nnz } = p.pattern;
  const c = ctx.writeInt32(COLS_SLOT, cols), ptr = ctx.writeInt32(ROW_PTR_SLOT, rowPtr), order = ctx.writeInt32(ROW_ORDER_SLOT, rowOrder);
  const fn = exportName('spmm', p.b.dtype);
  const threads = nnz * p.k < 1 << 16 ? 1 : ctx.threads;
  await ctx.parallel(splitRange(p.m, threads, 1).map(([i0, i1]) => [
    task(fn, p.vals.ptr, p.b.ptr, c, ptr, order, p.out.ptr, p.k, i0, i1, p.alpha),
  ]));
}
