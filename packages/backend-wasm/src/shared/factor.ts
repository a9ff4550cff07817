/** What the factorization glue shares: GEMM's packing buffers, and the look-ahead schedule of the blocked ones. */
import { balancedRanges, exportName, splitRange, type KernelContext, type WasmTensor } from '../kernel-context.ts';
import type { Task } from '../pool.ts';

/** GEMM's packing buffers of one thread (slot `thread`) for the blocked factorizations' trailing updates. */
export function gemmWork(ctx: KernelContext, dtype: WasmTensor['dtype'], thread = 0): number {
  return ctx.scratch(thread, ctx.call(exportName('gemmScratchBytes', dtype)));
}

/**
 * A factorization's start, A checked and copied, on ranges of its rows over the threads (`start` builds a range's
 * task, which writes −1 to the status word at `status` for NaN or ±Inf); false when it did.
 */
export async function startByRows(
  ctx: KernelContext,
  rows: number,
  threads: number,
  status: number,
  start: (r0: number, r1: number) => Task,
): Promise<boolean> {
  await ctx.parallel(splitRange(rows, threads, 1).map(([r0, r1]) => [start(r0, r1)]));
  return ctx.readInt32(status) >= 0;
}

/** A blocked right-looking factorization, as phases for lookAhead. */
export interface Blocked {
  /** Columns factored, in panels of `nb` from 0. */
  steps: number;
  /** Columns of the matrix: updates run over [0, cols) outside the panel. */
  cols: number;
  nb: number;
  /** Column ranges start on multiples of this (whole 64-byte lines where rows start on one, so threads do not share them). */
  grain: number;
  /** Factors columns [j0, j1) on one thread (thread 0's list, in order). */
  panel(j0: number, j1: number): Task[];
  /** Brings columns [c0, c1) up to date with the factored panel [j0, j1), on `thread` (its GEMM scratch). */
  update(j0: number, j1: number, c0: number, c1: number, thread: number): Task;
  /** Work of update(j0, j1, c0, c1), and of panel(j0, j1), in any one unit (GEMM flops). */
  updateWork(j1: number, c0: number, c1: number): number;
  panelWork(j0: number, j1: number): number;
  /** Tasks of each round for the last thread, beside the updates (LU: the panel's row swaps left of it). */
  extra?(j0: number, j1: number): Task[];
  /** Read after each round: stop early (Cholesky: not positive definite). */
  failed(): boolean;
}

/**
 * LAPACK's look-ahead, as PLASMA's static schedule does it: panel 0 is factored, then one pool round per panel p.
 * Thread 0 brings panel p + 1's columns up to date with p, factors p + 1, then takes its share of the later
 * columns; the other threads bring the rest up to date. The panel, which does not thread, runs beside the other
 * threads' updates instead of between rounds, and the schedule costs one round trip per panel. Thread 0's share
 * of the columns is what is left of an even split of the round's work after its panel.
 */
export async function lookAhead(ctx: KernelContext, f: Blocked, threads: number): Promise<void> {
  if (f.steps === 0) return;
  await ctx.parallel([f.panel(0, Math.min(f.nb, f.steps))], true);
  for (let j0 = 0; j0 < f.steps && !f.failed(); j0 += f.nb) {
    const j1 = Math.min(j0 + f.nb, f.steps),
      j2 = Math.min(j1 + f.nb, f.steps);
    const lists: Task[][] = Array.from({ length: threads }, () => []);
    const first = j2 > j1 ? f.panelWork(j1, j2) : 0;
    const total = first + f.updateWork(j1, j1, f.cols);
    // Thread 0's cut: the first column where its work reaches an even share, and never inside the next panel.
    let lo = j2,
      hi = f.cols;
    while (hi > lo) {
      const mid = (lo + hi) >> 1;
      if (first + f.updateWork(j1, j1, mid) < total / threads) lo = mid + 1;
      else hi = mid;
    }
    const cut = threads === 1 ? f.cols : Math.min(f.cols, Math.max(j2, Math.round(lo / f.grain) * f.grain));
    // One update up to the cut, then the next panel: a single GEMM packs L₂₁ once (a separate call for the
    // panel's columns cost LU 6% on one thread at n = 512 and 1024); the order within a thread does not matter.
    if (cut > j1) lists[0].push(f.update(j0, j1, j1, cut, 0));
    if (j2 > j1) lists[0].push(...f.panel(j1, j2));
    const rest = balancedRanges(f.cols - cut, threads - 1, f.grain, (k) => f.updateWork(j1, cut, cut + k));
    rest.forEach(([c0, c1], t) => lists[t + 1].push(f.update(j0, j1, cut + c0, cut + c1, t + 1)));
    lists[threads - 1].push(...(f.extra?.(j0, j1) ?? []));
    await ctx.parallel(
      lists.filter((l, t) => t === 0 || l.length > 0),
      j1 < f.steps,
    );
  }
}
