// A barrier for the threads of one kernel call, inside the module: a kernel whose steps each need every thread's
// previous step (syev's tridiagonalization: a pass over the trailing block a reflector) cannot pay the pool's round
// trip (~25 µs) per step, a few hundred times a call.
//
// Four i32 words at `sync`, zeroed by the glue before the round that uses them (so a call never sees an earlier
// call's state): ARRIVED, GENERATION, SLEEPERS, ABORT. The last thread to arrive resets ARRIVED, then moves
// GENERATION on; the others wait for GENERATION to move. Waiting spins first (the other thread is usually a few
// microseconds away), then sleeps in memory.atomic.wait32 — always with a timeout, so a missed wake-up costs at
// most TICK_NS, never a hang — and the releaser notifies only when SLEEPERS says someone sleeps (every operation is
// sequentially consistent: a sleeper that registers after the releaser read SLEEPERS finds GENERATION moved and
// returns at once). A thread that waits past LIMIT_TICKS, or sees ABORT, sets ABORT and returns false: the kernel
// then stops on every thread and the glue raises an error, instead of the call hanging on a lost thread.
// A browser's main thread may not sleep (wait32 traps there): `mayWait` false makes it spin only, up to SPIN_LIMIT.

const ARRIVED: usize = 0, GENERATION: usize = 4, SLEEPERS: usize = 8, ABORT: usize = 12;
/** Bytes of the barrier's words. */
export const BARRIER_BYTES: i32 = 16;
/** Spins before a sleep: a few microseconds of atomic loads. */
const SPINS: i32 = 1 << 18;
/** One sleep's timeout, and the sleeps (of any length) before giving up: ~60 s. */
const TICK_NS: i64 = 1_000_000;
const LIMIT_TICKS: i32 = 60_000;
/** Spins before giving up where sleeping is not allowed: tens of seconds at a few ns a spin. */
const SPIN_LIMIT: i64 = 10_000_000_000;

/** Waits until all `threads` threads have called it for the same step; false when the barrier was given up. */
export function barrier(sync: usize, threads: i32, mayWait: bool): bool {
  if (!ASC_FEATURE_THREADS) return threads <= 1;
  else {
    const generation = atomic.load<i32>(sync + GENERATION);
    if (atomic.add<i32>(sync + ARRIVED, 1) == threads - 1) {
      atomic.store<i32>(sync + ARRIVED, 0);
      atomic.add<i32>(sync + GENERATION, 1);
      if (atomic.load<i32>(sync + SLEEPERS) > 0) atomic.notify(sync + GENERATION, threads);
      return atomic.load<i32>(sync + ABORT) == 0;
    }
    let spins: i64 = 0;
    let ticks = 0;
    while (atomic.load<i32>(sync + GENERATION) == generation) {
      if (atomic.load<i32>(sync + ABORT) != 0) return false;
      if (++spins < SPINS || (!mayWait && spins < SPIN_LIMIT)) continue;
      if (!mayWait || ++ticks > LIMIT_TICKS) {
        atomic.store<i32>(sync + ABORT, 1);
        return false;
      }
      atomic.add<i32>(sync + SLEEPERS, 1);
      memory.atomic.wait32(sync + GENERATION, generation, TICK_NS);
      atomic.sub<i32>(sync + SLEEPERS, 1);
    }
    return atomic.load<i32>(sync + ABORT) == 0;
  }
}
