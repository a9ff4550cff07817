import { BYTES_PER_ELEMENT, type DctParams } from '@lowrank/core';
import { exportName, type KernelContext, type WasmTensor } from '../kernel-context.ts';
import { task } from '../pool.ts';
import { rowRanges, twiddleTable } from '../shared/fft.ts';

/** Threads take disjoint ranges of rows, each with a 2n-element work row in its own scratch slot. */
export async function dct(ctx: KernelContext, p: DctParams<WasmTensor>): Promise<void> {
  const dtype = p.x.dtype as 'f32' | 'f64';
  const w = BYTES_PER_ELEMENT[dtype];
  const table = twiddleTable(ctx, p.n, dtype);
  await ctx.parallel(
    rowRanges(ctx, p.batch, p.n).map(([r0, r1], thread) => [
      task(
        exportName('dct', dtype),
        p.x.ptr + r0 * p.n * w,
        p.out.ptr + r0 * p.n * w,
        r1 - r0,
        p.n,
        +p.inverse,
        table,
        ctx.scratch(thread, 2 * p.n * w),
      ),
    ]),
  );
}
