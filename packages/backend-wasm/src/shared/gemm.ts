/** What the GEMM glue of gemm and batchedGemm share: row-range tasks, their packing scratch and the threading threshold. */
import { BYTES_PER_ELEMENT, type GemmParams } from '@lowrank/core';
import { exportName, type KernelContext, type WasmTensor } from '../kernel-context.ts';
import { task, type Task } from '../pool.ts';

/** Below this many flops a GEMM runs on one thread: a worker round trip costs ~50 µs. */
export const PARALLEL_FLOPS = 4e6;

/** Rows of the micro-kernel's register tile (assembly/gemm.ts MR): threads take row ranges in multiples of it. */
export const MR = 4;

/** One task computing rows [i0, i1) of C, from column j0 on, for GEMM number `t` of a batch. */
export function rowsTask(p: GemmParams<WasmTensor>, scratch: number, t: number, i0: number, i1: number, j0 = 0): Task {
  const { m, n, k, transA, transB, alpha, beta, a, b, c } = p;
  const w = BYTES_PER_ELEMENT[a.dtype];
  const lda = transA ? m : k;
  const ldb = transB ? k : n;
  const aPtr = a.ptr + t * m * k * w + (transA ? i0 : i0 * lda) * w;
  const bPtr = b.ptr + t * k * n * w + (transB ? j0 * ldb : j0) * w;
  const cPtr = c.ptr + (t * m * n + i0 * n + j0) * w;
  return task(
    exportName('gemm', a.dtype),
    +transA,
    +transB,
    i1 - i0,
    n - j0,
    k,
    alpha,
    aPtr,
    lda,
    bPtr,
    ldb,
    beta,
    cPtr,
    n,
    scratch,
  );
}

export function scratchFor(ctx: KernelContext, p: GemmParams<WasmTensor>, thread: number): number {
  return ctx.scratch(thread, ctx.call(exportName('gemmScratchBytes', p.a.dtype)));
}
