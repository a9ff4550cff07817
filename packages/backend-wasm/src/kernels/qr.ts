import { BYTES_PER_ELEMENT, type QrParams } from '@lowrank/core';
import { balancedRanges, exportName, type KernelContext, type WasmTensor } from '../kernel-context.ts';
import { task } from '../pool.ts';
import { gemmWork, lookAhead } from '../shared/factor.ts';
import { THREADED_N } from './lu.ts';

/**
 * assembly/qr.ts's phases: the panels on the look-ahead schedule (shared/factor.ts; the kernel keeps two panels'
 * V, so the next panel is factored while the threads apply the current one), then Q's columns split over the
 * threads by their work (one round). The same bits on any thread count. Scratch: the shared work area in the
 * first slot past the threads' GEMM buffers, then one area per thread.
 */
export async function qr(ctx: KernelContext, p: QrParams<WasmTensor>): Promise<number> {
  const { m, n } = p;
  const dtype = p.a.dtype as 'f32' | 'f64';
  const bytes = BYTES_PER_ELEMENT[dtype];
  const k = Math.min(m, n);
  const work = ctx.scratch(ctx.threads, ctx.call('qrWorkElements', m, n) * bytes);
  if (ctx.call(exportName('qrStart', dtype), p.a.ptr, m, n, work) < 0) return -1;
  const threads = k >= THREADED_N ? ctx.threads : 1;
  const own = Array.from({ length: threads }, (_, t) =>
    ctx.scratch(ctx.threads + 1 + t, ctx.call('qrThreadElements', m, n) * bytes),
  );
  const gemm = Array.from({ length: threads }, (_, t) => gemmWork(ctx, dtype, t));
  const grain = 64 / bytes;
  const nb = ctx.call('qrPanelColumns');
  await lookAhead(
    ctx,
    {
      steps: k,
      cols: n,
      nb,
      grain,
      panel: (j0, j1) => [task(exportName('qrPanel', dtype), p.r.ptr, m, n, j0, j1, work)],
      update: (j0, j1, c0, c1, t) =>
        task(exportName('qrUpdate', dtype), p.r.ptr, m, n, j0, j1, c0, c1, work, own[t], gemm[t]),
      // Three GEMMs per column: X·Vᵀ and ·V over the window's m − j₀ rows, ·T over nb.
      updateWork: (j1, c0, c1) => 4 * nb * (m - j1 + nb) * (c1 - c0),
      failed: () => false,
    },
    threads,
  );
  // Column i of Q takes the blocks from 0 to i: Σ_{j₀ ≤ i} (m − j₀) ≈ m·i − i²/2 of work.
  const columns = balancedRanges(k, threads, grain, (c) => (m * c * c) / 2 - (c * c * c) / 6);
  await ctx.parallel(
    columns.map(([i0, i1], t) => [task(exportName('qrFormQ', dtype), p.q.ptr, m, n, i0, i1, work, own[t], gemm[t])]),
  );
  return 0;
}
