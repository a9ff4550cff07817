import { BYTES_PER_ELEMENT, type LuParams } from '@lowrank/core';
import { exportName, STATUS_SLOT, type KernelContext, type WasmTensor } from '../kernel-context.ts';
import { task } from '../pool.ts';
import { gemmWork, lookAhead, startByRows } from '../shared/factor.ts';

/**
 * Panel width, and the width of the two halves a panel is factored in (dgetrf's recursion, one level): dgetf2 on
 * the left half, the right half brought up to date with it (swaps, U₁₂, a rank-SUB GEMM), dgetf2 on the right half,
 * its swaps applied to the left. The trailing update is then a rank-64 GEMM, which streams the trailing matrix half
 * as often per flop as rank 32 did (memory-bound on two threads here), while the level-2 panel work stays that of
 * panels of 32.
 */
const NB = 64;
const SUB = 32;
/**
 * From this order the rounds go to every thread (LU and Cholesky): at n = 384 two threads took 1.5–1.6× one thread's
 * time, at 512 they were about even, and the pool's round trip per panel eats the split below.
 */
export const THREADED_N = 512;

/** assembly/lu.ts's phases on the look-ahead schedule (shared/factor.ts): the same bits on any thread count. */
export async function lu(ctx: KernelContext, p: LuParams<WasmTensor>): Promise<number> {
  const { m, n } = p;
  const dtype = p.a.dtype as 'f32' | 'f64';
  const status = ctx.writeInt32(STATUS_SLOT, new Int32Array(1));
  const threads = Math.min(m, n) >= THREADED_N ? ctx.threads : 1;
  const start = exportName('luStart', dtype);
  if (!(await startByRows(ctx, m, threads, status, (r0, r1) => task(start, p.a.ptr, p.lu.ptr, m, n, r0, r1, status))))
    return -1;
  const work = Array.from({ length: threads }, (_, t) => gemmWork(ctx, dtype, t));
  const [out, piv] = [p.lu.ptr, p.piv.ptr];
  await lookAhead(
    ctx,
    {
      steps: Math.min(m, n),
      cols: n,
      nb: NB,
      grain: 64 / BYTES_PER_ELEMENT[dtype],
      panel: (j0, j1) => {
        const jm = Math.min(j0 + SUB, j1);
        const [panel, update] = [exportName('luPanel', dtype), exportName('luUpdate', dtype)];
        return jm === j1
          ? [task(panel, out, piv, m, n, j0, j1, status)]
          : [
              task(panel, out, piv, m, n, j0, jm, status),
              task(update, out, piv, m, n, j0, jm, jm, j1, work[0]),
              task(panel, out, piv, m, n, jm, j1, status),
              task(update, out, piv, m, n, jm, j1, j0, jm, work[0]),
            ];
      },
      update: (j0, j1, c0, c1, t) => task(exportName('luUpdate', dtype), out, piv, m, n, j0, j1, c0, c1, work[t]),
      updateWork: (j1, c0, c1) => 2 * (m - j1) * NB * (c1 - c0),
      // The panel's row swaps in the columns left of it (earlier panels' L).
      extra: (j0, j1, t) =>
        j0 > 0 ? [task(exportName('luUpdate', dtype), out, piv, m, n, j0, j1, 0, j0, work[t])] : [],
      failed: () => false,
    },
    threads,
  );
  return ctx.readInt32(status);
}
