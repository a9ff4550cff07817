import { type GemmParams } from '@lowrank/core';
import { splitRange, type KernelContext, type WasmTensor } from '../kernel-context.ts';
import { MR, PARALLEL_FLOPS, rowsTask, scratchFor } from '../shared/gemm.ts';

/** Splits rows of C between threads (in multiples of the 4-row micro-tile), each with its own packing scratch. */
export async function gemm(ctx: KernelContext, p: GemmParams<WasmTensor>): Promise<void> {
  const threads = 2 * p.m * p.n * p.k < PARALLEL_FLOPS ? 1 : ctx.threads;
  const lists = splitRange(p.m, threads, MR).map(([i0, i1], th) => [rowsTask(p, scratchFor(ctx, p, th), 0, i0, i1)]);
  await ctx.parallel(lists);
}
