import { BYTES_PER_ELEMENT, type SvdParams } from '@lowrank/core';
import { balancedRanges, exportName, type KernelContext, type WasmTensor } from '../kernel-context.ts';
import { task } from '../pool.ts';
import { gemmWork } from '../shared/factor.ts';

/**
 * Rows of W (min(m, n)) from which a sweep's Gram matrix is formed on every thread: below, its GEMM takes less than
 * the pool's round trip saves.
 */
export const THREADED_K = 256;

/**
 * assembly/svd.ts's phases: the start, then per sweep its beginning (which says whether the sweep reads G = W·Wᵀ),
 * G's column blocks split between the threads by their work (block b costs about b + 1 of the first's), the sweep's
 * rotations on this thread, and the finish. Thread 0's GEMM packing is in the SVD's work area (slot 0), the other
 * threads' in their own slots. Returns the sweeps, −1 for NaN/±Inf, −2 past maxSweeps.
 */
export async function svd(ctx: KernelContext, p: SvdParams<WasmTensor>): Promise<number> {
  const { m, n } = p;
  const dtype = p.a.dtype as 'f32' | 'f64';
  const work = ctx.scratch(0, ctx.call('svdWorkBytes', m, n, BYTES_PER_ELEMENT[dtype]));
  if (ctx.call(exportName('svdStart', dtype), p.a.ptr, m, n, work, p.basis?.ptr ?? 0) < 0) return -1;
  const threads = Math.min(m, n) >= THREADED_K ? ctx.threads : 1;
  const gram = balancedRanges(ctx.call('svdGramBlocks', m, n), threads, 1, (b) => b * (b + 1)).map(([b0, b1], t) => [
    task(exportName('svdGram', dtype), m, n, b0, b1, work, t === 0 ? 0 : gemmWork(ctx, dtype, t)),
  ]);
  for (;;) {
    const sweep = ctx.call(exportName('svdSweepBegin', dtype), m, n, p.maxSweeps, work);
    if (sweep < 0) return sweep;
    if (sweep === 0) break;
    if (sweep === 2) await ctx.parallel(gram, true);
    ctx.call(exportName('svdSweep', dtype), m, n, +p.vectors, work);
  }
  return ctx.call(exportName('svdFinish', dtype), p.u.ptr, p.s.ptr, p.v.ptr, m, n, +p.vectors, work);
}
