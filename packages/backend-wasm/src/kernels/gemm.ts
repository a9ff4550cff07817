import { BYTES_PER_ELEMENT, type BatchedGemmParams, type GemmParams } from '@lowrank/core';
import { exportName, splitRange, type KernelContext, type WasmTensor } from './context.ts';
import { task, type Task } from '../pool.ts';

/** Below this many flops a GEMM runs on one thread: a worker round trip costs ~50 µs. */
export const PARALLEL_FLOPS = 4e6;
const MR = 4;

/** One task computing rows [i0, i1) of C for GEMM number `t` of a batch. */
function rowsTask(p: GemmParams<WasmTensor>, scratch: number, t: number, i0: number, i1: number): Task {
  const { m, n, k, transA, transB, alpha, beta, a, b, c } = p;
  const w = BYTES_PER_ELEMENT[a.dtype];
  const lda = transA ? m : k;
  const ldb = transB ? k : n;
  const aPtr = a.ptr + t * m * k * w + (transA ? i0 : i0 * lda) * w;
  const cPtr = c.ptr + (t * m * n + i0 * n) * w;
  return task(exportName('gemm', a.dtype), +transA, +transB, i1 - i0, n, k, alpha, aPtr, lda, b.ptr + t * k * n * w, ldb, beta, cPtr, n, scratch);
}

function scratchFor(ctx: KernelContext, p: GemmParams<WasmTensor>, thread: number): number {
  return ctx.scratch(thread, ctx.call(exportName('gemmScratchBytes', p.a.dtype)));
}

/** Splits rows of C between threads (in multiples of the 4-row micro-tile), each with its own packing scratch. */
export async function gemm(ctx: KernelContext, p: GemmParams<WasmTensor>): Promise<void> {
  const threads = 2 * p.m * p.n * p.k < PARALLEL_FLOPS ? 1 : ctx.threads;
  const lists = splitRange(p.m, threads, MR).map(([i0, i1], th) => [rowsTask(p, scratchFor(ctx, p, th), 0, i0, i1)]);
  await ctx.parallel(lists);
}

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
    await ctx.parallel(splitRange(p.m, threads, MR).map(([i0, i1], th) => [rowsTask(p, scratchFor(ctx, p, th), t, i0, i1)]));
  }
}
