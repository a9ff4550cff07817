import { BYTES_PER_ELEMENT, type BatchedGemmParams } from '@lowrank/core';
import { exportName, splitRange, type KernelContext, type WasmTensor } from '../kernel-context.ts';
import { task } from '../pool.ts';
import { MR, PARALLEL_FLOPS, rowsTask, scratchFor } from '../shared/gemm.ts';

/**
 * Contiguous ranges of the batch go to threads, one call each: the module loops over its GEMMs, so a
 * 16×16 product costs no glue of its own. A batch smaller than the thread count splits rows instead.
 */
export async function batchedGemm(ctx: KernelContext, p: BatchedGemmParams<WasmTensor>): Promise<void> {
  const threads = 2 * p.batch * p.m * p.n * p.k < PARALLEL_FLOPS ? 1 : ctx.threads;
  if (p.batch >= threads) {
    const { m, n, k, transA, transB, alpha, beta, a, b, c } = p;
    const w = BYTES_PER_ELEMENT[a.dtype];
    const bytes = ctx.call(exportName('batchedGemmScratchBytes', a.dtype), n, k);
    const lists = splitRange(p.batch, threads, 1).map(([t0, t1], th) => [
      task(
        exportName('batchedGemm', a.dtype),
        +transA,
        +transB,
        t1 - t0,
        m,
        n,
        k,
        alpha,
        a.ptr + t0 * m * k * w,
        b.ptr + t0 * k * n * w,
        beta,
        c.ptr + t0 * m * n * w,
        ctx.scratch(th, bytes),
      ),
    ]);
    await ctx.parallel(lists);
    return;
  }
  for (let t = 0; t < p.batch; t++) {
    await ctx.parallel(
      splitRange(p.m, threads, MR).map(([i0, i1], th) => [rowsTask(p, scratchFor(ctx, p, th), t, i0, i1)]),
    );
  }
}
