import { BYTES_PER_ELEMENT, type FftParams } from '@lowrank/core';
import { exportName, type KernelContext, type WasmTensor } from '../kernel-context.ts';
import { task } from '../pool.ts';
import { rowRanges, twiddleTable } from '../shared/fft.ts';

/** Threads take disjoint ranges of rows; the twiddle table is shared, read-only. */
export async function fft(ctx: KernelContext, p: FftParams<WasmTensor>): Promise<void> {
  const dtype = p.re.dtype as 'f32' | 'f64';
  const table = twiddleTable(ctx, p.n, dtype);
  const at = (t: WasmTensor, row: number) => t.ptr + row * p.n * BYTES_PER_ELEMENT[dtype];
  await ctx.parallel(
    rowRanges(ctx, p.batch, p.n).map(([r0, r1]) => [
      task(
        exportName('fft', dtype),
        at(p.re, r0),
        at(p.im, r0),
        at(p.outRe, r0),
        at(p.outIm, r0),
        r1 - r0,
        p.n,
        +p.inverse,
        table,
      ),
    ]),
  );
}
