import { BYTES_PER_ELEMENT, type KalmanParams } from '@lowrank/core';
import { exportName, splitRange, type KernelContext, type WasmTensor } from '../kernel-context.ts';
import { task } from '../pool.ts';

/**
 * Sequence-steps below which one thread runs every sequence: a step of a small state costs tens of
 * nanoseconds, a round of the pool ~0.2 ms (measured on the SOR barrier, EPYC).
 */
const THREADED_STEPS = 1 << 14;

/**
 * The threads take disjoint ranges of sequences, each with its own work area (5m² + 4m elements, the
 * module's `kalmanWorkElements`) and status word after it; the first failing step any thread reports is
 * returned.
 */
export async function kalman(ctx: KernelContext, p: KalmanParams<WasmTensor>): Promise<number> {
  const dtype = p.a.dtype as 'f32' | 'f64';
  const bytes = ctx.call('kalmanWorkElements', p.m) * BYTES_PER_ELEMENT[dtype];
  const threads = p.batch * p.steps < THREADED_STEPS ? 1 : ctx.threads;
  const ranges = splitRange(p.batch, threads, 1);
  const slots = ranges.map((_, thread) => ctx.scratch(thread, bytes + 8));
  await ctx.parallel(
    ranges.map(([b0, b1], thread) => [
      task(
        exportName('kalman', dtype),
        p.a.ptr,
        p.q.ptr,
        p.h.ptr,
        p.y.ptr,
        p.w.ptr,
        p.m0.ptr,
        p.p0.ptr,
        p.mean.ptr,
        p.cov.ptr,
        p.logLik.ptr,
        b0,
        b1,
        p.steps,
        p.m,
        slots[thread],
        slots[thread] + bytes,
      ),
    ]),
  );
  const status = slots.map((s) => ctx.readInt32(s + bytes));
  return status.find((s) => s >= 0) ?? -1;
}
