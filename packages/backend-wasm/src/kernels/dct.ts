import { BYTES_PER_ELEMENT, dctFftLength, type DctParams } from '@lowrank/core';
import { exportName, type KernelContext, type WasmTensor } from '../kernel-context.ts';
import { task } from '../pool.ts';
import { rowRanges, twiddleTable } from '../shared/fft.ts';

/** The kernel's code for each transform (assembly/dct.ts). */
const KIND = { ii: 0, iii: 1, i: 2 } as const;

/** Threads take disjoint ranges of rows, each with a work row (2 × its FFT length) in its own scratch slot. */
export async function dct(ctx: KernelContext, p: DctParams<WasmTensor>): Promise<void> {
  const dtype = p.x.dtype as 'f32' | 'f64';
  const w = BYTES_PER_ELEMENT[dtype];
  const m = dctFftLength(p.n, p.kind);
  const table = twiddleTable(ctx, m, dtype);
  await ctx.parallel(
    rowRanges(ctx, p.batch, m).map(([r0, r1], thread) => [
      task(
        exportName('dct', dtype),
        p.x.ptr + r0 * p.n * w,
        p.out.ptr + r0 * p.n * w,
        r1 - r0,
        p.n,
        KIND[p.kind],
        table,
        ctx.scratch(thread, 2 * m * w),
      ),
    ]),
  );
}
