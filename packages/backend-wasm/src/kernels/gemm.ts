import { BYTES_PER_ELEMENT, type GemmParams } from '@lowrank/core';
import { balancedRanges, exportName, splitRange, type KernelContext, type WasmTensor } from '../kernel-context.ts';
import { task, type Task } from '../pool.ts';
import { MR, PARALLEL_FLOPS, rowsTask, scratchFor } from '../shared/gemm.ts';

/** Rows of C per task of a symmetric product (a multiple of MR): each task's columns start at its first row. */
export const SYMMETRIC_ROWS = 64;

/** Splits rows of C between threads (in multiples of the 4-row micro-tile), each with its own packing scratch. */
export async function gemm(ctx: KernelContext, p: GemmParams<WasmTensor>): Promise<void> {
  const threads = 2 * p.m * p.n * p.k < PARALLEL_FLOPS ? 1 : ctx.threads;
  if (isSymmetricProduct(p)) return symmetricGemm(ctx, p, threads);
  const lists = splitRange(p.m, threads, MR).map(([i0, i1], th) => [rowsTask(p, scratchFor(ctx, p, th), 0, i0, i1)]);
  await ctx.parallel(lists);
}

/**
 * C = α·AᵀA or α·A·Aᵀ (one buffer for both operands) with β = 0 is symmetric, and c_ij and c_ji are the same
 * products summed in the same order by the micro-kernel: so the upper block triangle is computed and transposed into
 * the lower one, the same bits as the full product in a little over half its flops (BLAS dsyrk's saving).
 */
function isSymmetricProduct(p: GemmParams<WasmTensor>): boolean {
  return p.a.ptr === p.b.ptr && p.transA !== p.transB && p.m === p.n && p.beta === 0 && p.m >= 2 * SYMMETRIC_ROWS;
}

/**
 * Blocks of SYMMETRIC_ROWS rows [r0, r1), each its columns [r0, n) by GEMM (the diagonal block whole) and then
 * C[r1:, r0:r1] = C[r0:r1, r1:]ᵀ, on the thread that computed them; threads take equal shares of the triangle.
 * No two tasks write the same element but inside a diagonal block, where GEMM and nothing else writes.
 */
async function symmetricGemm(ctx: KernelContext, p: GemmParams<WasmTensor>, threads: number): Promise<void> {
  const n = p.n;
  const w = BYTES_PER_ELEMENT[p.c.dtype];
  const ranges = balancedRanges(n, threads, SYMMETRIC_ROWS, (r) => r * n - (r * (r - 1)) / 2);
  const lists = ranges.map(([t0, t1], th) => {
    const scratch = scratchFor(ctx, p, th);
    const tasks: Task[] = [];
    for (let r0 = t0; r0 < t1; r0 += SYMMETRIC_ROWS) {
      const r1 = Math.min(r0 + SYMMETRIC_ROWS, t1);
      tasks.push(rowsTask(p, scratch, 0, r0, r1, r0));
      if (r1 < n) {
        const upper = p.c.ptr + (r0 * n + r1) * w,
          lower = p.c.ptr + (r1 * n + r0) * w;
        tasks.push(task(exportName('transposeBlock', p.c.dtype), upper, n, lower, n, r1 - r0, n - r1));
      }
    }
    return tasks;
  });
  await ctx.parallel(lists);
}
