import { type BatchedGemmParams } from '@lowrank/core';
import { splitRange, type KernelContext, type WasmTensor } from '../kernel-context.ts';
import { type Task } from '../pool.ts';
import { MR, PARALLEL_FLOPS, rowsTask, scratchFor } from '../shared/gemm.ts';

/** Deals whole GEMMs of the batch to threads round-robin; a batch smaller than the thread count splits rows instead. */
export async function batchedGemm(ctx: KernelContext, p: BatchedGemmParams<WasmTensor>): Promise<void> {
  const threads = 2 * p.batch * p.m * p.n * p.k < PARALLEL_FLOPS ? 1 : ctx.threads;
  if (p.batch >= threads) {
    const lists: Task[][] = Array.from({ length: Math.min(threads, p.batch) }, () => []);
    for (let t = 0; t < p.batch; t++) {
      const th = t % lists.length;
      lists[th].push(rowsTask(p, scratchFor(ctx, p, th), t, 0, p.m));
    }
    await ctx.parallel(lists);
    return;
  }
  for (let t = 0; t < p.batch; t++) {
    await ctx.parallel(
      splitRange(p.m, threads, MR).map(([i0, i1], th) => [rowsTask(p, scratchFor(ctx, p, th), t, i0, i1)]),
    );
  }
}
