import type { SddmmParams } from '@lowrank/core';
import {
  COLS_SLOT,
  ROWS_SLOT,
  exportName,
  splitRange,
  type KernelContext,
  type WasmTensor,
} from '../kernel-context.ts';
import { task } from '../pool.ts';

/**
 * The pattern's indices are copied into scratch, then threads take disjoint ranges of entries (each
 * entry is independent, so results do not depend on the thread count).
 */
export async function sddmm(ctx: KernelContext, p: SddmmParams<WasmTensor>): Promise<void> {
  const { rows, cols, nnz } = p.pattern;
  const r = ctx.writeInt32(ROWS_SLOT, rows),
    c = ctx.writeInt32(COLS_SLOT, cols);
  const fn = exportName('sddmm', p.u.dtype);
  const threads = nnz * p.k < 1 << 16 ? 1 : ctx.threads;
  await ctx.parallel(
    splitRange(nnz, threads, 1).map(([e0, e1]) => [task(fn, p.u.ptr, p.v.ptr, r, c, p.out.ptr, p.k, e0, e1, p.alpha)]),
  );
}
