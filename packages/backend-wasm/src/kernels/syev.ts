import { BYTES_PER_ELEMENT, DeviceError, type SyevParams } from '@lowrank/core';
import { exportName, splitRange, SYNC_SLOT, type KernelContext, type WasmTensor } from '../kernel-context.ts';
import { task } from '../pool.ts';

/**
 * Order from which every phase runs on the threads (the reduction, divide and conquer's halves and last merge, the
 * reflectors applied). With vectors, two threads took 0.88 of one thread's time at n = 256 and 0.71 at 320 (EPYC,
 * 2 threads, f64, interleaved); below, the pool's rounds and the reduction's barriers eat the split.
 */
export const THREADED_N = 256;

/** The barrier's word (assembly/shared/barrier.ts) that says a thread gave up waiting for another. */
const BARRIER_ABORT = 3;

/**
 * A browser page's main thread may not sleep in memory.atomic.wait32 (it traps): there the reduction's barrier
 * only spins. Workers, Node and Deno may sleep.
 */
const MAY_WAIT = typeof (globalThis as { document?: unknown }).document === 'undefined';

/**
 * The phases of assembly/syev.ts in order: the reduction on every thread (its steps meet at a barrier inside the
 * module), divide and conquer (its two halves on two threads, then the merge), then the reflectors applied to the
 * tridiagonal's vectors split by columns over the threads (without vectors, QL on the tridiagonal). Q_T is dense,
 * so every column costs the same and the split is even. The result does not depend on the thread count: every element sees the same operations in the
 * same order.
 */
export async function syev(ctx: KernelContext, p: SyevParams<WasmTensor>): Promise<number> {
  const dtype = p.a.dtype as 'f32' | 'f64';
  const n = p.n;
  const bytes = BYTES_PER_ELEMENT[dtype];
  const threads = n >= THREADED_N ? ctx.threads : 1;
  const work = ctx.scratch(0, ctx.call('syevWorkBytes', n, bytes));
  if (ctx.call(exportName('syevReduceStart', dtype), p.a.ptr, n, work) < 0) return -1;
  const sync = ctx.writeInt32(SYNC_SLOT, new Int32Array(4));
  const steps = exportName('syevReduceSteps', dtype);
  // Workers may always sleep; this thread as MAY_WAIT says.
  await ctx.parallel(
    Array.from({ length: threads }, (_, t) => [task(steps, n, work, t, threads, sync, t === 0 ? +MAY_WAIT : 1)]),
  );
  if (ctx.readInt32(sync + 4 * BARRIER_ABORT) !== 0)
    throw new DeviceError(
      'wasm: syev: a thread of the tridiagonalization stopped answering (barrier given up after 60 s)',
    );
  let status = 0;
  if (p.vectors) {
    if (threads > 1) {
      // The torn halves of the tridiagonal solved one a thread, then merged: its deflation and end on this thread,
      // its roots and vectors on every thread, its two products (the new columns' top and bottom rows) one a thread.
      const onTwoThreads = (phase: 'syevStedcHalf' | 'syevStedcJoinProduct') =>
        ctx.parallel(
          [0, 1].map((part) => [task(exportName(phase, dtype), n, part, work)]),
          true,
        );
      ctx.call(exportName('syevStedcSplit', dtype), n, work);
      await onTwoThreads('syevStedcHalf');
      ctx.call(exportName('syevStedcJoinStart', dtype), n, work);
      // The roots, then Q gathered with ẑ, then U's columns: each an element at a time, split evenly.
      for (const phase of ['syevStedcJoinRoots', 'syevStedcJoinGather', 'syevStedcJoinColumns'] as const)
        await ctx.parallel(
          Array.from({ length: threads }, (_, t) => [task(exportName(phase, dtype), n, t, threads, work)]),
          true,
        );
      await onTwoThreads('syevStedcJoinProduct');
      ctx.call(exportName('syevStedcJoinEnd', dtype), n, work);
    } else ctx.call(exportName('syevStedc', dtype), n, work);
    // Ranges in whole 64-byte lines (Q's rows start on one): threads sharing a line at a boundary made two
    // threads slower than one (the line moved between cores on every pass).
    await ctx.parallel(
      splitRange(n, threads, 64 / bytes).map(([c0, c1]) => [task(exportName('syevFormQ', dtype), n, c0, c1, work)]),
    );
  } else if ((status = ctx.call('syevQl', n, work)) < 0) return status;
  ctx.call(exportName('syevFinish', dtype), p.w.ptr, p.z.ptr, n, +p.vectors, work);
  return status;
}
