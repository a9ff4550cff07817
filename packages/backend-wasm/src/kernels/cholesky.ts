import { BYTES_PER_ELEMENT, type CholeskyParams } from '@lowrank/core';
import { exportName, STATUS_SLOT, type KernelContext, type WasmTensor } from '../kernel-context.ts';
import { task } from '../pool.ts';
import { gemmWork, lookAhead, startByRows } from '../shared/factor.ts';
import { THREADED_N } from './lu.ts';

/**
 * Panel width. Each round streams the trailing matrix through a rank-NB update, so a wider panel moves less memory
 * per flop: at n = 1024, f64, interleaved, two threads took 15.5 ms at NB = 32, 13.5 at 64, 13.6 at 96 and 14.0 at
 * 128 (one thread 20.9 → 20.3 ms); at 2048, 98 → 90 ms. LU keeps 32: its panel (dgetf2, level 2) grows as NB².
 */
const NB = 64;

/** assembly/cholesky.ts's phases on the look-ahead schedule (shared/factor.ts): the same bits on any thread count. */
export async function cholesky(ctx: KernelContext, p: CholeskyParams<WasmTensor>): Promise<number> {
  const n = p.n;
  const dtype = p.a.dtype as 'f32' | 'f64';
  const status = ctx.writeInt32(STATUS_SLOT, new Int32Array(1));
  const threads = n >= THREADED_N ? ctx.threads : 1;
  const start = exportName('choleskyStart', dtype);
  if (!(await startByRows(ctx, n, threads, status, (r0, r1) => task(start, p.a.ptr, p.l.ptr, n, r0, r1, status))))
    return -1;
  const work = Array.from({ length: threads }, (_, t) => gemmWork(ctx, dtype, t));
  const l = p.l.ptr;
  // Column c of the trailing update costs 2·NB·(n − c) flops (rows from its diagonal down).
  const below = (c0: number, c1: number) => NB * (c1 - c0) * (2 * n - c0 - c1);
  await lookAhead(
    ctx,
    {
      steps: n,
      cols: n,
      nb: NB,
      grain: 64 / BYTES_PER_ELEMENT[dtype],
      panel: (j0, j1) => [task(exportName('choleskyPanel', dtype), l, n, j0, j1, status)],
      update: (j0, j1, c0, c1, t) => task(exportName('choleskyUpdate', dtype), l, n, j0, j1, c0, c1, work[t]),
      updateWork: (_j1, c0, c1) => below(c0, c1),
      failed: () => ctx.readInt32(status) !== 0,
    },
    threads,
  );
  const failedAt = ctx.readInt32(status);
  if (failedAt !== 0) return failedAt;
  ctx.call(exportName('choleskyFinish', dtype), l, n);
  return 0;
}
