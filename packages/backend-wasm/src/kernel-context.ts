import type { ArgsOf, KernelExport } from './abi.ts';
import type { Task } from './pool.ts';
import type { WasmTensor } from './tensor.ts';

/** What a kernel's glue may use of the backend: call exports, schedule tasks on threads, borrow scratch. */
export interface KernelContext {
  readonly threads: number;
  /** Calls an export of the kernel module on this thread, with the arguments its ABI entry declares. */
  call<E extends KernelExport>(fn: E, ...args: ArgsOf<E>): number;
  /**
   * Runs task list i on thread i (0 = here), then lets the threads claim `claimed` tasks one at a time (claimed[t]:
   * thread t's version of each, see pool.ts), and waits for all; `more`: another round follows at once.
   */
  parallel(lists: Task[][], more?: boolean, claimed?: Task[][]): Promise<void>;
  /**
   * Scratch of at least `bytes` bytes, kept between calls: slots 0..threads−1 belong to the threads
   * (GEMM packing), higher slots to single-threaded kernels that need a second area.
   */
  scratch(slot: number, bytes: number): number;
  /** Copies `data` into scratch slot `slot` and returns its address (for index arrays). */
  writeInt32(slot: number, data: Int32Array): number;
  /** The int32 at a 4-byte-aligned address (a status word a task wrote). */
  readInt32(ptr: number): number;
}

export { exportName } from './abi.ts';

/** Scratch slots past the threads' GEMM slots, one per index array of a sparse pattern (sddmm, spmm). */
export const ROWS_SLOT = 1 << 10,
  COLS_SLOT = ROWS_SLOT + 1,
  ROW_PTR_SLOT = ROWS_SLOT + 2,
  ROW_ORDER_SLOT = ROWS_SLOT + 3,
  /** The FFT's twiddle table (shared/fft.ts), kept while the length and dtype stay the same. */
  FFT_TABLE_SLOT = ROWS_SLOT + 4,
  /** A sweep order's permutation (sor). */
  ORDER_SLOT = ROWS_SLOT + 5,
  /** The status word a factorization's phases write (lu, cholesky). */
  STATUS_SLOT = ROWS_SLOT + 6,
  /** The words of a barrier inside the module (assembly/shared/barrier.ts), zeroed for each call. */
  SYNC_SLOT = ROWS_SLOT + 7,
  /** The counter of claimed tasks (pool.ts's Claimed). */
  CLAIM_SLOT = ROWS_SLOT + 8;

/** Splits [0, n) into at most `parts` contiguous ranges whose starts are multiples of `grain`. */
export function splitRange(n: number, parts: number, grain: number): Array<[number, number]> {
  const units = Math.ceil(n / grain);
  const p = Math.max(1, Math.min(parts, units));
  const ranges: Array<[number, number]> = [];
  for (let t = 0; t < p; t++) {
    const start = Math.floor((units * t) / p) * grain;
    const end = Math.min(n, Math.floor((units * (t + 1)) / p) * grain);
    if (end > start) ranges.push([start, end]);
  }
  return ranges;
}

/**
 * [0, n) in at most `parts` ranges of about equal work, `cumulative(k)` being the work of [0, k) (increasing): each
 * bound is the first k reaching its share, rounded to a multiple of `grain`.
 */
export function balancedRanges(
  n: number,
  parts: number,
  grain: number,
  cumulative: (k: number) => number,
): Array<[number, number]> {
  const total = cumulative(n);
  const bounds = [0];
  for (let t = 1; t < parts; t++) {
    let lo = 0,
      hi = n;
    while (hi - lo > 1) {
      const mid = (lo + hi) >> 1;
      if (cumulative(mid) < (total * t) / parts) lo = mid;
      else hi = mid;
    }
    bounds.push(Math.min(n, Math.max(bounds[t - 1], Math.round(hi / grain) * grain)));
  }
  bounds.push(n);
  return bounds
    .slice(0, -1)
    .map((k0, t): [number, number] => [k0, bounds[t + 1]])
    .filter(([k0, k1]) => k1 > k0);
}

export type Kernel<P> = (ctx: KernelContext, p: P) => void | number | Promise<void> | Promise<number>;
export type { WasmTensor };
