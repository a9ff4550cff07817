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
  /** Work of update(j0, j1, c0, c1), in any one unit: the chunks of a round are balanced by it. */
  updateWork(j1: number, c0: number, c1: number): number;
  /** Tasks of each round beside the updates, on `thread` (LU: the panel's row swaps left of it). */
  extra?(j0: number, j1: number, thread: number): Task[];
  /** Read after each round: stop early (Cholesky: not positive definite). */
  failed(): boolean;
}

/**
 * Claimed chunks of a round's update per thread: enough that a thread the host slows takes fewer of them, few
 * enough that each chunk's own packing of the panel stays small. 2, 3 and 5 measured within the host's noise of
 * each other (LU, Cholesky, QR at 512 and 1024, two threads).
 */
const CHUNKS_PER_THREAD = 3;

/**
 * LAPACK's look-ahead, with the trailing update claimed in chunks: panel 0 is factored, then one pool round per
 * panel p. Thread 0 brings panel p + 1's columns up to date with p and factors p + 1; meanwhile the other threads,
 * and thread 0 once its panel is done, claim the later columns' update in chunks of about equal work (pool.ts's
 * Claimed). The panel, which does not thread, runs beside the other threads' updates instead of between rounds;
 * the schedule costs one round trip per panel, and no cost model: a static split by modelled work (PLASMA's static
 * schedule, before) left one thread waiting whenever the host slowed the other. On one thread the round is one
 * update over every later column, then the panel (one GEMM packs L₂₁ once).
 */
export async function lookAhead(ctx: KernelContext, f: Blocked, threads: number): Promise<void> {
  if (f.steps === 0) return;
  await ctx.parallel([f.panel(0, Math.min(f.nb, f.steps))], true);
  for (let j0 = 0; j0 < f.steps && !f.failed(); j0 += f.nb) {
    const j1 = Math.min(j0 + f.nb, f.steps),
      j2 = Math.min(j1 + f.nb, f.steps);
    const more = j1 < f.steps;
    const next = j2 > j1 ? f.panel(j1, j2) : [];
    if (threads === 1) {
      const all = j1 < f.cols ? [f.update(j0, j1, j1, f.cols, 0)] : [];
      await ctx.parallel([[...all, ...next, ...(f.extra?.(j0, j1, 0) ?? [])]], more);
      continue;
    }
    const first = j2 > j1 ? [f.update(j0, j1, j1, j2, 0), ...next] : [];
    const chunks = balancedRanges(f.cols - j2, threads * CHUNKS_PER_THREAD, f.grain, (k) =>
      f.updateWork(j1, j2, j2 + k),
    );
    const claimed = Array.from({ length: threads }, (_, t) => [
      ...chunks.map(([c0, c1]) => f.update(j0, j1, j2 + c0, j2 + c1, t)),
      ...(f.extra?.(j0, j1, t) ?? []),
    ]);
    await ctx.parallel([first], more, claimed);
  }
}
