import { BYTES_PER_ELEMENT, type SyevParams } from '@lowrank/core';
import { balancedRanges, exportName, splitRange, type KernelContext, type WasmTensor } from '../kernel-context.ts';
import { task } from '../pool.ts';

/**
 * Order from which the threads form and rotate Q. Below it one thread is as fast or faster (EPYC, 2 threads,
 * f64: even at n = 256, ahead by 1.3× at 384 and 1.5× at 512): the pool's rounds (~0.2 ms each, one per batch
 * of the log) and the threads' shared cache bandwidth eat the split.
 */
export const THREADED_N = 384;

/**
 * The phases of assembly/syev.ts in order: the reduction on this thread, then Q's formation, transposition and
 * each batch of logged QL rotations split by columns (rows for the transposition) over the threads. The result
 * does not depend on the thread count: every element sees the same operations in the same order.
 */
export async function syev(ctx: KernelContext, p: SyevParams<WasmTensor>): Promise<number> {
  const dtype = p.a.dtype as 'f32' | 'f64';
  const n = p.n;
  const bytes = BYTES_PER_ELEMENT[dtype];
  const shared = ctx.call('syevWorkBytes', n, bytes);
  const threads = p.vectors && n >= THREADED_N ? ctx.threads : 1;
  const work = ctx.scratch(0, shared);
  if (ctx.call(exportName('syevReduce', dtype), p.a.ptr, n, +p.vectors, work) < 0) return -1;
  // Ranges in whole 64-byte lines (Qᵀ's rows start on one): threads sharing a line at a boundary made two threads
  // slower than one (the line moved between cores on every pass).
  const line = 64 / bytes;
  const columns = splitRange(n, threads, line);
  if (p.vectors) {
    await ctx.parallel(
      formQColumns(n, threads, line).map(([c0, c1]) => [task(exportName('syevFormQ', dtype), n, c0, c1, work)]),
      true,
    );
    await ctx.parallel(
      triangleRows(n, threads).map(([r0, r1]) => [task(exportName('syevTranspose', dtype), n, r0, r1, work)]),
      true,
    );
  }
  let status: number;
  while ((status = ctx.call(exportName('syevQl', dtype), n, +p.vectors, work)) === -3)
    await ctx.parallel(
      columns.map(([c0, c1]) => [task(exportName('syevRotate', dtype), n, c0, c1, work)]),
      true,
    );
  if (status < 0) return status;
  ctx.call(exportName('syevFinish', dtype), p.w.ptr, p.z.ptr, n, +p.vectors, work);
  return status;
}

/** Row ranges of the strict upper triangle with about equal numbers of entries (row i has n − 1 − i). */
export function triangleRows(n: number, parts: number): Array<[number, number]> {
  return balancedRanges(n, parts, 1, (r) => r * (n - 1) - (r * (r - 1)) / 2);
}

/**
 * Column ranges of Q with about equal work in syevFormQ, in whole multiples of `grain`: reflector j touches columns
 * > j on rows > j, so column c costs Σ_{j<c} (n − 1 − j) ≈ c·n − c²/2 and the first columns cost least (an even
 * split gave the last thread 69% of the work at n = 512).
 */
export function formQColumns(n: number, parts: number, grain: number): Array<[number, number]> {
  return balancedRanges(n, parts, grain, (c) => (c * c * n) / 2 - (c * c * c) / 6);
}
