/** What the fft and dct glue share: the twiddle table, filled once per length and dtype, and row tasks. */
import { BYTES_PER_ELEMENT, type DType } from '@lowrank/core';
import { exportName, splitRange, FFT_TABLE_SLOT, type KernelContext } from '../kernel-context.ts';

/** Below this many butterflies a transform runs on one thread: a worker round trip costs ~50 µs. */
const PARALLEL_BUTTERFLIES = 1 << 16;

const filled = new WeakMap<KernelContext, { ptr: number; n: number; dtype: DType }>();

/**
 * The 4n-element table of assembly/shared/fft.ts for length n, in its own scratch slot. Filling it
 * costs 1.5n sines and cosines, as much as the transform of one long row, so it is kept for the next
 * call of the same length and dtype (nothing else writes that slot).
 */
export function twiddleTable(ctx: KernelContext, n: number, dtype: 'f32' | 'f64'): number {
  const ptr = ctx.scratch(FFT_TABLE_SLOT, 4 * n * BYTES_PER_ELEMENT[dtype]);
  const last = filled.get(ctx);
  if (last === undefined || last.ptr !== ptr || last.n !== n || last.dtype !== dtype) {
    ctx.call(exportName('fftTable', dtype), ptr, n);
    filled.set(ctx, { ptr, n, dtype });
  }
  return ptr;
}

/** Row ranges [r0, r1) of a batch, one per thread when the batch is worth splitting. */
export function rowRanges(ctx: KernelContext, batch: number, n: number): Array<[number, number]> {
  const threads = batch * n * Math.log2(n + 1) < PARALLEL_BUTTERFLIES ? 1 : ctx.threads;
  return splitRange(batch, threads, 1);
}
