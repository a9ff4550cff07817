// Symmetric eigendecomposition (LAPACK dsyevd: dsytd2, dstedc, then the reflectors applied to the tridiagonal's
// vectors), row-oriented so every inner loop is a SIMD dot product or axpy over contiguous rows (row-major
// storage), in phases the glue (src/kernels/syev.ts) calls in order, the column-parallel one on every thread:
//   syevReduceStart  A checked, its lower triangle copied into W's upper one;
//   syevReduceSteps  Householder tridiagonalization of W on every thread (they meet at a barrier inside the module,
//                  shared/barrier.ts, twice a step);
//   syevStedc      the tridiagonal's eigenvalues and vectors by divide and conquer (shared/stedc.ts, one thread),
//                  or on two threads syevStedcSplit, syevStedcHalf (the torn halves, one a thread), then the merge:
//                  syevStedcJoinStart, syevStedcJoinRoots, syevStedcJoinGather, syevStedcJoinColumns (parts split
//                  between the threads), syevStedcJoinProduct (its top and bottom rows, one a thread), syevStedcJoinEnd;
//   syevFormQ      Z = H₀·H₁⋯H_{n−3}·Q_T, two reflectors at a time, on a range of the columns;
//   syevQl         without vectors: implicit QL with Wilkinson shifts on (d, e) in f64 (dsterf's place);
//   syevFinish     values descending, vectors as columns of z.
// Backward error ‖ΔA‖ ≤ c·n·ε·‖A‖ (Higham Thm 19.4 for the reflectors; dstedc's deflation perturbs T by at most
// 8ε·‖T‖ a merge), orthogonality ‖I − ZᵀZ‖ ≤ c·n·ε (Gu and Eisenstat's vectors).
//
// Memory order, not arithmetic, departs from LAPACK's unblocked routines: every element sees the same operations
// in the same order, so the result is bitwise the same on any number of threads. Step j's update of a row and step
// j + 1's product with that row share one pass over the trailing block (the next reflector is built from the
// block's first row, updated first): 32 → 20 ms at n = 512 f64 (EPYC) on full storage; on the upper triangle alone
// (a third fewer flops, half the memory; the product as dsymv's upper loop, a dot and an axpy per row) the
// values-only solve took 0.79× the time (27.2 → 21.4 ms, interleaved). The reflectors go to Q_T in column chunks that stay
// in L2 (≤ 256 KiB) — applying each reflector to a thread's whole range made two threads slower than one, sharing
// the bandwidth to L3 — two reflectors at a time with a column's accumulators in registers (23 → 9 ms forming Q
// from I). QL's rotations applied to Qᵀ (≈ 6n³ flops, 85 ms at n = 512) gave way to divide and conquer's GEMMs.
// Rows are padded to an odd number of 64-byte lines (rowStride) so that a column chunk's rows do not share cache
// sets at n a power of two.
import { axpy } from './axpy';
import { dot } from './dot';
import { scal } from './scal';
import { at } from './shared/memory';
import { TILE, transposeBlock } from './transpose';
import { hsum, lanes, vmadd } from './shared/simd';
import { barrier } from './shared/barrier';
import { anyNonFinite, householder, ld, safeMin, st, takeLargest } from './shared/factor';
import {
  stedc, stedcBegin, stedcHalf, stedcJoinColumns, stedcJoinEnd, stedcJoinGather, stedcJoinProduct, stedcJoinRoots, stedcJoinStart, stedcTear,
  stedcWorkBytes,
} from './shared/stedc';

/**
 * Work layout: d, e, τ (n f64 each), T's scale (f64), W, Q (n rows of rowStride T each, 64-byte aligned), p, β
 * (a row each), the reduction's PARTS product shares y_q (a row each), stedc's scratch (the whole T's, the first
 * half's), the second half's stedc scratch.
 */

/** Parts of a long pass of the tridiagonalization (its threads take them in turn), and the length it takes. */
const PARTS: i32 = 4;
const PART_MIN_ROWS: i32 = 128;

/** Scratch bytes the phases use. */
export function syevWorkBytes(n: i32, bytesPerElement: i32): f64 {
  const stride = <f64>(bytesPerElement == 4 ? rowStride<f32>(n) : rowStride<f64>(n));
  const divide = bytesPerElement == 4 ? stedcWorkBytes<f32>(n) : stedcWorkBytes<f64>(n);
  const half = bytesPerElement == 4 ? stedcWorkBytes<f32>(n - (n >> 1)) : stedcWorkBytes<f64>(n - (n >> 1));
  return (3 * <f64>n + 1) * 8 + 64 + (2 * n + 2 + PARTS) * stride * bytesPerElement + 8 + divide + 8 + half;
}

/**
 * Elements between rows of W and Q: n rounded up to an odd number of 64-byte lines. With n a power of two the
 * rows would sit a multiple of 4 KiB apart, every row's chunk in the same cache sets (8 ways): a column chunk of
 * Q thrashed L1 and L2.
 */
// @ts-ignore: decorator
@inline function rowStride<T>(n: i32): i32 {
  const perLine = 64 / <i32>sizeof<T>();
  return ((((n + perLine - 1) / perLine) | 1) * perLine);
}

// The work area's parts, from its base and n.
// @ts-ignore: decorator
@inline function dOf(work: usize): usize { return work; }
// @ts-ignore: decorator
@inline function eOf(work: usize, n: i32): usize { return work + (<usize>n << 3); }
// @ts-ignore: decorator
@inline function tauOf(work: usize, n: i32): usize { return work + (<usize>(2 * n) << 3); }
// @ts-ignore: decorator
@inline function scaleOf(work: usize, n: i32): usize { return work + (<usize>(3 * n) << 3); }
// @ts-ignore: decorator
@inline function wOf(work: usize, n: i32): usize { return (work + (<usize>(3 * n + 1) << 3) + 63) & ~63; }
// @ts-ignore: decorator
@inline function qOf<T>(work: usize, n: i32): usize { return wOf(work, n) + <usize>n * rowStride<T>(n) * sizeof<T>(); }
// @ts-ignore: decorator
@inline function pOf<T>(work: usize, n: i32): usize { return qOf<T>(work, n) + <usize>n * rowStride<T>(n) * sizeof<T>(); }
// @ts-ignore: decorator
@inline function betaOf<T>(work: usize, n: i32): usize { return pOf<T>(work, n) + <usize>rowStride<T>(n) * sizeof<T>(); }
// @ts-ignore: decorator
@inline function yOf<T>(work: usize, n: i32, q: i32): usize {
  return betaOf<T>(work, n) + <usize>(1 + q) * rowStride<T>(n) * sizeof<T>();
}
// @ts-ignore: decorator
@inline function stedcOf<T>(work: usize, n: i32): usize { return yOf<T>(work, n, PARTS); }
// @ts-ignore: decorator
@inline function stedcSecondOf<T>(work: usize, n: i32): usize {
  return (stedcOf<T>(work, n) + <usize>stedcWorkBytes<T>(n) + 7) & ~7;
}

/**
 * Checks A and copies its lower triangle into W's upper one. Returns −1 for NaN/±Inf in A, else 0.
 */
export function syevReduceStart<T>(a: usize, n: i32, work: usize): i32 {
  for (let i = 0; i < n; i++) if (anyNonFinite<T>(at<T>(a, i, 0, n), i + 1)) return -1;
  const stride = rowStride<T>(n), wm = wOf(work, n);
  // A's rows in bands of TILE, each band's columns up to its end transposed in tiles (the diagonal tiles also fill a
  // corner of W's lower triangle, which nothing reads): element by element the loads went down A's columns.
  for (let i0 = 0; i0 < n; i0 += TILE) {
    const i1 = min(i0 + TILE, n);
    transposeBlock<T>(at<T>(a, i0, 0, n), n, at<T>(wm, 0, i0, stride), stride, i1 - i0, i1);
  }
  return 0;
}

/**
 * Tridiagonalizes W (after syevReduceStart) on thread `thread` of `threads`, every thread calling it with the same
 * `sync` words (shared/barrier.ts): d, e, and the reflectors (v in row j of W past the diagonal, τ_j) for
 * syevFormQ. Step j (from −1, the first product alone) is a head on thread 0 — p_j = τ_j·((y₀ + y₁) + (y₂ + y₃)),
 * w = p − ½τ(pᵀv)·v, row j + 1 updated and reflector j + 1 built from it — then one pass over rows j + 2… in
 * `partsOf` parts, each updating its rows and summing their share y_q of the next product. The parts and the sum's
 * tree depend on n and j alone, so the bits do not depend on the thread count. The threads take whole runs of
 * parts (thread 0 the first) and add the pairs they own, so thread 0 reads one share of the other thread's (two
 * threads); they meet at a barrier after the head and after the pass. Returns 0, or −3 when the barrier was given up.
 */
export function syevReduceSteps<T>(n: i32, work: usize, thread: i32, threads: i32, sync: usize, mayWait: bool): i32 {
  for (let j = -1; j < n - 2; j++) {
    const first = j + 2, parts = partsOf(n - first);
    const shared = threads > 1 && parts > 1;
    if (!shared && thread > 0) return 0;
    if (thread == 0) reduceHead<T>(j, n, work, threads);
    if (shared && !barrier(sync, threads, mayWait)) return -3;
    const q0 = shared ? ownedPart(parts, threads, thread) : 0, q1 = shared ? ownedPart(parts, threads, thread + 1) : parts;
    for (let q = q0; q < q1; q++) reducePass<T>(j, n, work, q, partStart(first, n, parts, q), partStart(first, n, parts, q + 1));
    for (let q = q0 + (q0 & 1); q + 1 < q1; q += 2) addPair<T>(j, n, work, parts, q);
    if (shared && !barrier(sync, threads, mayWait)) return -3;
  }
  if (thread == 0) {
    const wm = wOf(work, n), stride = rowStride<T>(n), d = dOf(work), e = eOf(work, n);
    for (let j = 0; j < n; j++) st(d, j, <f64>load<T>(at<T>(wm, j, j, stride)));
    if (n >= 2) st(e, n - 2, <f64>load<T>(at<T>(wm, n - 2, n - 1, stride)));
    if (n >= 1) st(e, n - 1, 0);
  }
  return 0;
}

/**
 * Parts of a pass over `rows` rows: below PART_MIN_ROWS one, as a part's share of a short pass costs less than a
 * barrier's round trip between cores.
 */
// @ts-ignore: decorator
@inline function partsOf(rows: i32): i32 {
  return rows >= PART_MIN_ROWS ? PARTS : 1;
}

/** The first part thread t takes of `parts` (t = threads: the end). */
// @ts-ignore: decorator
@inline function ownedPart(parts: i32, threads: i32, t: i32): i32 {
  return (parts * t) / threads;
}

/** The thread that takes part q. */
function ownerOf(q: i32, parts: i32, threads: i32): i32 {
  let t = 0;
  while (ownedPart(parts, threads, t + 1) <= q) t++;
  return t;
}

/** The first row of part q of a pass over rows [first, n) in `parts` of about equal work (row i costs n − i). */
function partStart(first: i32, n: i32, parts: i32, q: i32): i32 {
  if (q <= 0) return first;
  if (q >= parts) return n;
  const rows = <f64>(n - first);
  return first + <i32>Math.round(rows * (1 - Math.sqrt(1 - <f64>q / <f64>parts)));
}

/** y_q += y_{q+1} where the second is written (from its part's first row): the sum tree's first level. */
function addPair<T>(j: i32, n: i32, work: usize, parts: i32, q: i32): void {
  const first = j + 2, k0 = partStart(first, n, parts, q + 1) - first;
  const sz = sizeof<T>(), offset = <usize>k0 * sz;
  axpy<T>(<T>1, yOf<T>(work, n, q + 1) + offset, yOf<T>(work, n, q) + offset, n - first - k0);
}

/**
 * Step j's head (thread 0): see syevReduceSteps. The previous pass covered rows [j + 1, n), on `threads` threads
 * when it had more than one part; the pairs its threads did not add are added here, then the two halves.
 */
function reduceHead<T>(j: i32, n: i32, work: usize, threads: i32): void {
  const sz = sizeof<T>(), tau = tauOf(work, n), wm = wOf(work, n), p = pOf<T>(work, n);
  const t = j >= 0 ? ld(tau, j) : 0;
  if (t != 0) {
    const len = n - j - 1, parts = partsOf(len);
    // (y₀ + y₁) + (y₂ + y₃): the pairs that two threads shared were not added in the pass.
    for (let q = 0; q + 1 < parts; q += 2)
      if (ownerOf(q, parts, threads) != ownerOf(q + 1, parts, threads)) addPair<T>(j - 1, n, work, parts, q);
    memory.copy(p, yOf<T>(work, n, 0), <usize>len * sz);
    for (let q = 2; q < parts; q += 2) {
      const k0 = partStart(j + 1, n, parts, q) - (j + 1), offset = <usize>k0 * sz;
      axpy<T>(<T>1, yOf<T>(work, n, q) + offset, p + offset, len - k0);
    }
    scal<T>(<T>t, p, len);
    const v = at<T>(wm, j, j + 1, rowStride<T>(n));
    axpy<T>(<T>(-0.5 * t * dot<T>(p, v, len)), v, p, len);
    updateRow<T>(wm, j + 1, j, n, v, p);
  }
  if (j + 1 < n - 2) reflectRow<T>(wm, j + 1, n, tauOf(work, n), eOf(work, n), betaOf<T>(work, n));
}

/**
 * Rows [r0, r1) of step j's pass, part q: S ← S − v·wᵀ − w·vᵀ (w = p) on each row, and the row's share of the next
 * reflector's product into y_q (zeroed from r0 first), both in one read of the row (updateRowSymv).
 */
function reducePass<T>(j: i32, n: i32, work: usize, q: i32, r0: i32, r1: i32): void {
  const sz = sizeof<T>(), stride = rowStride<T>(n), wm = wOf(work, n), tau = tauOf(work, n), p = pOf<T>(work, n);
  const next = j + 1;
  const t = j >= 0 ? ld(tau, j) : 0, tn = next < n - 2 ? ld(tau, next) : 0;
  const y = yOf<T>(work, n, q), v = at<T>(wm, max(j, 0), j + 1, stride), vn = at<T>(wm, next, next + 1, stride);
  if (tn != 0) memory.fill(y + <usize>(r0 - next - 1) * sz, 0, <usize>(n - r0) * sz);
  for (let i = r0; i < r1; i++) {
    // v and w at column i, vn and y at column i too (they start a column later).
    const k = <usize>(i - j - 1) * sz, kn = <usize>(i - next - 1) * sz;
    if (tn != 0) {
      const own =
        t != 0
          ? updateRowSymv<T>(at<T>(wm, i, i, stride), n - i, -load<T>(v + k), -load<T>(p + k), p + k, v + k, vn + kn, y + kn)
          : updateRowSymv<T>(at<T>(wm, i, i, stride), n - i, <T>0, <T>0, vn + kn, vn + kn, vn + kn, y + kn);
      store<T>(y + kn, <T>(<f64>load<T>(y + kn) + own));
    } else if (t != 0) updateRow<T>(wm, i, j, n, v, p);
  }
}

/** The tridiagonal's eigenvalues (d, ascending) and eigenvectors (the columns of Q) by divide and conquer. */
export function syevStedc<T>(n: i32, work: usize): void {
  stedc<T>(dOf(work), eOf(work, n), n, qOf<T>(work, n), rowStride<T>(n), stedcOf<T>(work, n));
}

/** syevStedc on two threads (n ≥ 2), first phase: T scaled (the scale kept in the work area) and torn. */
export function syevStedcSplit<T>(n: i32, work: usize): void {
  const scale = stedcBegin<T>(dOf(work), eOf(work, n), n, qOf<T>(work, n), rowStride<T>(n));
  st(scaleOf(work, n), 0, scale);
  if (scale != 0) stedcTear(dOf(work), eOf(work, n), n);
}

/** Second phase, one half of T per thread, each with its own scratch. */
export function syevStedcHalf<T>(n: i32, part: i32, work: usize): void {
  if (ld(scaleOf(work, n), 0) == 0) return;
  const scratch = part == 0 ? stedcOf<T>(work, n) : stedcSecondOf<T>(work, n);
  stedcHalf<T>(dOf(work), eOf(work, n), n, part, qOf<T>(work, n), rowStride<T>(n), scratch);
}

/** Third phase: the halves' merge up to its roots. */
export function syevStedcJoinStart<T>(n: i32, work: usize): void {
  if (ld(scaleOf(work, n), 0) != 0) stedcJoinStart<T>(dOf(work), eOf(work, n), n, qOf<T>(work, n), rowStride<T>(n), stedcOf<T>(work, n));
}

/** The merge's roots, Q gathered with ẑ, then U's columns: each part `part` of `parts`, one a thread, a round each. */
export function syevStedcJoinRoots<T>(n: i32, part: i32, parts: i32, work: usize): void {
  if (ld(scaleOf(work, n), 0) != 0) stedcJoinRoots<T>(n, part, parts, stedcOf<T>(work, n));
}
export function syevStedcJoinGather<T>(n: i32, part: i32, parts: i32, work: usize): void {
  if (ld(scaleOf(work, n), 0) != 0) stedcJoinGather<T>(n, qOf<T>(work, n), rowStride<T>(n), part, parts, stedcOf<T>(work, n));
}
export function syevStedcJoinColumns<T>(n: i32, part: i32, parts: i32, work: usize): void {
  if (ld(scaleOf(work, n), 0) != 0) stedcJoinColumns<T>(n, part, parts, stedcOf<T>(work, n));
}

/** Fourth: the merge's products, the top rows (part 0) and the bottom rows (part 1), one a thread. */
export function syevStedcJoinProduct<T>(n: i32, part: i32, work: usize): void {
  if (ld(scaleOf(work, n), 0) == 0) return;
  stedcJoinProduct<T>(n, part, qOf<T>(work, n), rowStride<T>(n), stedcOf<T>(work, n), stedcSecondOf<T>(work, n));
}

/** Last, on the third phase's thread: the merge finished. */
export function syevStedcJoinEnd<T>(n: i32, work: usize): void {
  const scale = ld(scaleOf(work, n), 0);
  if (scale != 0) stedcJoinEnd<T>(dOf(work), n, qOf<T>(work, n), rowStride<T>(n), scale);
}

/**
 * Q ← H_j·Q for j = n − 3 … 0 on Q's columns [c0, c1), two reflectors at a time (pairColumn, pairVectors): Q_T
 * becomes A's eigenvectors. The columns before the first multiple of the SIMD width past c0 are scalar, the rest
 * vectors (fused multiply-adds in the relaxed build), and so are the last columns past whole vectors; c0 and c1
 * at whole 64-byte lines (the glue's split) give every column the same arithmetic on any number of threads.
 */
export function syevFormQ<T>(n: i32, c0: i32, c1: i32, work: usize): void {
  const tau = tauOf(work, n), wm = wOf(work, n), stride = rowStride<T>(n);
  const L = lanes<T>();
  // A chunk of columns (≤ 256 KiB of Q, whole vectors) takes every reflector while it sits in L2: applying each
  // reflector to the whole range streamed Q from memory twice a reflector, and two threads shared that bandwidth.
  const width = max(16, ((1 << 18) / (n * <i32>sizeof<T>())) & ~15);
  for (let chunk = c0; chunk < c1; chunk += width) {
    const end = min(c1, chunk + width);
    // H_lo·H_hi with lo = hi − 1; lo = −1 leaves H_0 alone (n − 2 reflectors, an odd count).
    for (let hi = n - 3; hi >= 0; hi -= 2) {
      const lo = hi - 1;
      const t2 = ld(tau, hi), t1 = lo >= 0 ? ld(tau, lo) : 0;
      if (t1 == 0 && t2 == 0) continue;
      const v2 = at<T>(wm, hi, 0, stride), v1 = lo >= 0 ? at<T>(wm, lo, 0, stride) : v2;
      const tail = <usize>(hi + 1) * sizeof<T>();
      const t12 = -t1 * t2 * dot<T>(v1 + tail, v2 + tail, n - hi - 1);
      const aligned = min(end, (chunk + L - 1) & ~(L - 1));
      const vectorEnd = aligned + ((end - aligned) & ~(L - 1));
      // Q's element (hi, c) and the pair: one place for the column kernels' many arguments.
      const q = at<T>(qOf<T>(work, n), hi, 0, stride), rows = n - hi;
      const u1 = v1 + <usize>hi * sizeof<T>(), u2 = v2 + <usize>hi * sizeof<T>();
      for (let c = chunk; c < aligned; c++) pairColumn<T>(q + <usize>c * sizeof<T>(), stride, rows, u1, u2, t1, t2, t12);
      let c = aligned;
      for (; c + 4 * L <= vectorEnd; c += 4 * L) pairVectors<T>(q + <usize>c * sizeof<T>(), stride, rows, u1, u2, t1, t2, t12, true);
      for (; c < vectorEnd; c += L) pairVectors<T>(q + <usize>c * sizeof<T>(), stride, rows, u1, u2, t1, t2, t12, false);
      for (; c < end; c++) pairColumn<T>(q + <usize>c * sizeof<T>(), stride, rows, u1, u2, t1, t2, t12);
    }
  }
}

/*
 * H_lo·H_hi = I − V·T·Vᵀ, V = [v_lo, v_hi], T = [[τ_lo, t12], [0, τ_hi]], t12 = −τ_lo·τ_hi·v_loᵀv_hi (the compact
 * WY form of two reflectors, LAPACK dlarft), applied to columns of Q: P = VᵀQ by rows hi…n − 1, then
 * Q ← Q − V·(T·P). A column's two accumulators stay in registers down the rows, so each element of Q is loaded
 * twice and stored once for four multiply-adds, where one reflector at a time through a p row in memory took
 * six loads and stores for two. v_lo is row lo of W (its element hi is the reflector's leading 1), v_hi row hi
 * past its element hi; with lo = −1, v_lo is any finite row and τ_lo = 0, so it adds exact zeros.
 *
 * The pair's column kernels below take q, Q's element (hi, c); u1 and u2, the pair's vectors from row hi on
 * (u2's first element is not read: v_hi starts at row hi + 1); and rows = n − hi.
 */

/** One scalar column (two roundings per step, as axpy's tail). */
function pairColumn<T>(q: usize, stride: i32, rows: i32, u1: usize, u2: usize, t1: f64, t2: f64, t12: f64): void {
  const sz = <usize>sizeof<T>(), rowBytes = <usize>stride * sz;
  let a1 = load<T>(u1) * load<T>(q), a2: T = 0;
  let p = q;
  for (let r = 1; r < rows; r++) {
    p += rowBytes;
    const x = load<T>(p);
    a1 = load<T>(u1 + <usize>r * sz) * x + a1;
    a2 = load<T>(u2 + <usize>r * sz) * x + a2;
  }
  const w1 = <T>t1 * a1 + <T>t12 * a2, w2 = <T>t2 * a2;
  store<T>(q, -load<T>(u1) * w1 + load<T>(q));
  p = q;
  for (let r = 1; r < rows; r++) {
    p += rowBytes;
    store<T>(p, -load<T>(u2 + <usize>r * sz) * w2 + (-load<T>(u1 + <usize>r * sz) * w1 + load<T>(p)));
  }
}

/** One vector of columns, or four with `four` (a constant at each call: the other branch folds away). */
// @ts-ignore: decorator
@inline function pairVectors<T>(q: usize, stride: i32, rows: i32, u1: usize, u2: usize, t1: f64, t2: f64, t12: f64, four: bool): void {
  const sz = <usize>sizeof<T>(), rowBytes = <usize>stride * sz;
  const zero = v128.splat<T>(0);
  let b1 = v128.splat<T>(load<T>(u1));
  let a10 = v128.mul<T>(b1, v128.load(q)), a11 = zero, a12 = zero, a13 = zero;
  let a20 = zero, a21 = zero, a22 = zero, a23 = zero;
  if (four) {
    a11 = v128.mul<T>(b1, v128.load(q, 16));
    a12 = v128.mul<T>(b1, v128.load(q, 32));
    a13 = v128.mul<T>(b1, v128.load(q, 48));
  }
  let p = q;
  for (let r = 1; r < rows; r++) {
    p += rowBytes;
    const s1 = v128.splat<T>(load<T>(u1 + <usize>r * sz)), s2 = v128.splat<T>(load<T>(u2 + <usize>r * sz));
    const x0 = v128.load(p);
    a10 = vmadd<T>(s1, x0, a10);
    a20 = vmadd<T>(s2, x0, a20);
    if (four) {
      const x1 = v128.load(p, 16), x2 = v128.load(p, 32), x3 = v128.load(p, 48);
      a11 = vmadd<T>(s1, x1, a11);
      a21 = vmadd<T>(s2, x1, a21);
      a12 = vmadd<T>(s1, x2, a12);
      a22 = vmadd<T>(s2, x2, a22);
      a13 = vmadd<T>(s1, x3, a13);
      a23 = vmadd<T>(s2, x3, a23);
    }
  }
  // W = T·P; then Q ← Q + (−v_lo)·w1 + (−v_hi)·w2, two fused steps per element.
  const vt1 = v128.splat<T>(<T>t1), vt2 = v128.splat<T>(<T>t2), vt12 = v128.splat<T>(<T>t12);
  const w10 = vmadd<T>(vt12, a20, v128.mul<T>(vt1, a10)), w20 = v128.mul<T>(vt2, a20);
  let w11 = zero, w12 = zero, w13 = zero, w21 = zero, w22 = zero, w23 = zero;
  if (four) {
    w11 = vmadd<T>(vt12, a21, v128.mul<T>(vt1, a11));
    w12 = vmadd<T>(vt12, a22, v128.mul<T>(vt1, a12));
    w13 = vmadd<T>(vt12, a23, v128.mul<T>(vt1, a13));
    w21 = v128.mul<T>(vt2, a21);
    w22 = v128.mul<T>(vt2, a22);
    w23 = v128.mul<T>(vt2, a23);
  }
  b1 = v128.neg<T>(b1);
  v128.store(q, vmadd<T>(b1, w10, v128.load(q)));
  if (four) {
    v128.store(q, vmadd<T>(b1, w11, v128.load(q, 16)), 16);
    v128.store(q, vmadd<T>(b1, w12, v128.load(q, 32)), 32);
    v128.store(q, vmadd<T>(b1, w13, v128.load(q, 48)), 48);
  }
  p = q;
  for (let r = 1; r < rows; r++) {
    p += rowBytes;
    const s1 = v128.splat<T>(-load<T>(u1 + <usize>r * sz)), s2 = v128.splat<T>(-load<T>(u2 + <usize>r * sz));
    v128.store(p, vmadd<T>(s2, w20, vmadd<T>(s1, w10, v128.load(p))));
    if (four) {
      v128.store(p, vmadd<T>(s2, w21, vmadd<T>(s1, w11, v128.load(p, 16))), 16);
      v128.store(p, vmadd<T>(s2, w22, vmadd<T>(s1, w12, v128.load(p, 32))), 32);
      v128.store(p, vmadd<T>(s2, w23, vmadd<T>(s1, w13, v128.load(p, 48))), 48);
    }
  }
}

/**
 * Implicit QL with Wilkinson shifts on the symmetric tridiagonal (d, e) in f64, e[i] coupling i and i + 1
 * (Numerical Recipes tqli, EISPACK tql2), values only; deflates when |e_m| ≤ ε·(|d_m| + |d_{m+1}|). Returns the QL
 * iterations, or −2 past 30·n.
 */
export function syevQl(n: i32, work: usize): i32 {
  const eps: f64 = 2.220446049250313e-16;
  const d = dOf(work), e = eOf(work, n);
  let iterations = 0;
  for (let l = 0; l < n; l++) {
    while (true) {
      let m = l;
      for (; m < n - 1; m++) {
        const dd = abs<f64>(ld(d, m)) + abs<f64>(ld(d, m + 1));
        // As dsteqr, also below the safe minimum: ε·dd underflows to 0 for subnormal eigenvalues.
        if (abs<f64>(ld(e, m)) <= eps * dd || abs<f64>(ld(e, m)) <= safeMin<f64>()) break;
      }
      if (m == l) break;
      if (++iterations > 30 * n) return -2;
      let g = (ld(d, l + 1) - ld(d, l)) / (2 * ld(e, l));
      let r = norm2(g, 1);
      g = ld(d, m) - ld(d, l) + ld(e, l) / (g + (g >= 0 ? r : -r));
      let s: f64 = 1, c: f64 = 1, p: f64 = 0;
      let i = m - 1;
      for (; i >= l; i--) {
        const f = s * ld(e, i), b = c * ld(e, i);
        r = norm2(f, g);
        st(e, i + 1, r);
        if (r == 0) {
          st(d, i + 1, ld(d, i + 1) - p);
          st(e, m, 0);
          break;
        }
        s = f / r;
        c = g / r;
        g = ld(d, i + 1) - p;
        r = (ld(d, i) - g) * s + 2 * c * b;
        p = s * r;
        st(d, i + 1, g + p);
        g = c * r - b;
      }
      if (r == 0 && i >= l) continue;
      st(d, l, ld(d, l) - p);
      st(e, l, g);
      st(e, m, 0);
    }
  }
  return iterations;
}

/**
 * √(a² + b²): directly where neither square can overflow or lose precision to underflow (|a|, |b| in
 * [2^-500, 2^500] or zero), else Math.hypot's scaled form. Math.hypot on every rotation took ~28 ns of the QL
 * recurrence's time per rotation at n = 512 (7.8 ms of 278k rotations).
 */
// @ts-ignore: decorator
@inline function norm2(a: f64, b: f64): f64 {
  const big = max(abs(a), abs(b)), small = min(abs(a), abs(b));
  return big < 3.273390607896142e150 && (small > 3.054936363499605e-151 || small == 0)
    ? Math.sqrt(a * a + b * b)
    : Math.hypot(a, b);
}

/**
 * Values descending into w; with `vectors`, the columns of Q (the eigenvectors) as the columns of z in that order.
 * With vectors d is ascending (stedc), so the order is its reverse and z's rows are Q's rows reversed; QL's values
 * come unordered and are selected largest first.
 */
export function syevFinish<T>(w: usize, z: usize, n: i32, vectors: bool, work: usize): void {
  const d = dOf(work), q = qOf<T>(work, n), stride = rowStride<T>(n), sz = <usize>sizeof<T>();
  if (vectors) {
    for (let i = 0; i < n; i++) store<T>(w + <usize>i * sz, <T>ld(d, n - 1 - i));
    for (let t = 0; t < n; t++) {
      const from = at<T>(q, t, n - 1, stride), to = at<T>(z, t, 0, n);
      for (let i = 0; i < n; i++) store<T>(to + <usize>i * sz, load<T>(from - <usize>i * sz));
    }
    return;
  }
  for (let i = 0; i < n; i++) {
    const best = takeLargest(d, n);
    store<T>(w + <usize>i * sz, <T>ld(d, best));
    st(d, best, -Infinity);
  }
}

/**
 * Step j's reflector from row j over columns j + 1…n − 1 (dlarfg): v overwrites the row there, τ_j and
 * e_j = β are stored; returns τ_j.
 */
function reflectRow<T>(wm: usize, j: i32, n: i32, tau: usize, e: usize, beta: usize): f64 {
  const stride = rowStride<T>(n);
  const t = householder<T>(at<T>(wm, j, 0, stride), j + 1, n, beta);
  st(tau, j, t);
  st(e, j, <f64>load<T>(beta));
  return t;
}

/**
 * Row i's stored part (columns i…n − 1: W keeps the upper triangle) of step j's trailing block updated,
 * S_ic ← S_ic + a·w_c + b·v_c with a = −v_i and b = −w_i, and in the same pass the row's share of y = S′·v′, the
 * next step's product (dsymv's upper loop): y_c += v′_i·S_ic for c > i, and the returned dot Σ_{c≥i} S_ic·v′_c is
 * y_i's own. The row is read once for the update, the dot and the axpy, on half the elements full storage took.
 * The pointers sit at column i; a = b = 0 leaves the row as it is (step 0's product, or a step with τ = 0).
 */
function updateRowSymv<T>(row: usize, len: i32, a: T, b: T, w: usize, v: usize, vn: usize, y: usize): f64 {
  const sz = <usize>sizeof<T>(), L = lanes<T>();
  const diagonal = b * load<T>(v) + (a * load<T>(w) + load<T>(row));
  store<T>(row, diagonal);
  const vi = load<T>(vn);
  let tail = <f64>diagonal * <f64>vi;
  // Columns i + 1 on: element e of the row pairs with element e of each vector past column i.
  const m = len - 1, r = row + sz, vv = v + sz, ww = w + sz, vnn = vn + sz, yy = y + sz;
  const av = v128.splat<T>(a), bv = v128.splat<T>(b), viv = v128.splat<T>(vi);
  let s0 = v128.splat<T>(0), s1 = s0;
  let e = 0;
  for (; e + 2 * L <= m; e += 2 * L) {
    const o = <usize>e * sz;
    const x0 = vmadd<T>(bv, v128.load(vv + o), vmadd<T>(av, v128.load(ww + o), v128.load(r + o)));
    const x1 = vmadd<T>(bv, v128.load(vv + o, 16), vmadd<T>(av, v128.load(ww + o, 16), v128.load(r + o, 16)));
    v128.store(r + o, x0);
    v128.store(r + o, x1, 16);
    s0 = vmadd<T>(x0, v128.load(vnn + o), s0);
    s1 = vmadd<T>(x1, v128.load(vnn + o, 16), s1);
    v128.store(yy + o, vmadd<T>(viv, x0, v128.load(yy + o)));
    v128.store(yy + o, vmadd<T>(viv, x1, v128.load(yy + o, 16)), 16);
  }
  for (; e < m; e++) {
    const o = <usize>e * sz;
    let x = a * load<T>(ww + o) + load<T>(r + o);
    x = b * load<T>(vv + o) + x;
    store<T>(r + o, x);
    tail += <f64>x * <f64>load<T>(vnn + o);
    store<T>(yy + o, vi * x + load<T>(yy + o));
  }
  return <f64>hsum<T>(v128.add<T>(s0, s1)) + tail;
}

/** Row i's stored part of step j's trailing block: S_ic ← S_ic − v_i·w_c − w_i·v_c over columns i…n − 1. */
// @ts-ignore: decorator
@inline function updateRow<T>(wm: usize, i: i32, j: i32, n: i32, v: usize, w: usize): void {
  const k = <usize>(i - j - 1) * sizeof<T>(), row = at<T>(wm, i, i, rowStride<T>(n));
  axpy<T>(-load<T>(v + k), w + k, row, n - i);
  axpy<T>(-load<T>(w + k), v + k, row, n - i);
}

// The exports, as src/abi.ts declares them (index.ts re-exports every one).
export function syevReduceStart_f32(a: usize, n: i32, work: usize): i32 { return syevReduceStart<f32>(a, n, work); }
export function syevReduceStart_f64(a: usize, n: i32, work: usize): i32 { return syevReduceStart<f64>(a, n, work); }
export function syevReduceSteps_f32(n: i32, work: usize, thread: i32, threads: i32, sync: usize, mayWait: bool): i32 { return syevReduceSteps<f32>(n, work, thread, threads, sync, mayWait); }
export function syevReduceSteps_f64(n: i32, work: usize, thread: i32, threads: i32, sync: usize, mayWait: bool): i32 { return syevReduceSteps<f64>(n, work, thread, threads, sync, mayWait); }
export function syevStedc_f32(n: i32, work: usize): void { syevStedc<f32>(n, work); }
export function syevStedc_f64(n: i32, work: usize): void { syevStedc<f64>(n, work); }
export function syevStedcSplit_f32(n: i32, work: usize): void { syevStedcSplit<f32>(n, work); }
export function syevStedcSplit_f64(n: i32, work: usize): void { syevStedcSplit<f64>(n, work); }
export function syevStedcHalf_f32(n: i32, part: i32, work: usize): void { syevStedcHalf<f32>(n, part, work); }
export function syevStedcHalf_f64(n: i32, part: i32, work: usize): void { syevStedcHalf<f64>(n, part, work); }
export function syevStedcJoinStart_f32(n: i32, work: usize): void { syevStedcJoinStart<f32>(n, work); }
export function syevStedcJoinStart_f64(n: i32, work: usize): void { syevStedcJoinStart<f64>(n, work); }
export function syevStedcJoinRoots_f32(n: i32, part: i32, parts: i32, work: usize): void { syevStedcJoinRoots<f32>(n, part, parts, work); }
export function syevStedcJoinRoots_f64(n: i32, part: i32, parts: i32, work: usize): void { syevStedcJoinRoots<f64>(n, part, parts, work); }
export function syevStedcJoinGather_f32(n: i32, part: i32, parts: i32, work: usize): void { syevStedcJoinGather<f32>(n, part, parts, work); }
export function syevStedcJoinGather_f64(n: i32, part: i32, parts: i32, work: usize): void { syevStedcJoinGather<f64>(n, part, parts, work); }
export function syevStedcJoinColumns_f32(n: i32, part: i32, parts: i32, work: usize): void { syevStedcJoinColumns<f32>(n, part, parts, work); }
export function syevStedcJoinColumns_f64(n: i32, part: i32, parts: i32, work: usize): void { syevStedcJoinColumns<f64>(n, part, parts, work); }
export function syevStedcJoinProduct_f32(n: i32, part: i32, work: usize): void { syevStedcJoinProduct<f32>(n, part, work); }
export function syevStedcJoinProduct_f64(n: i32, part: i32, work: usize): void { syevStedcJoinProduct<f64>(n, part, work); }
export function syevStedcJoinEnd_f32(n: i32, work: usize): void { syevStedcJoinEnd<f32>(n, work); }
export function syevStedcJoinEnd_f64(n: i32, work: usize): void { syevStedcJoinEnd<f64>(n, work); }
export function syevFormQ_f32(n: i32, c0: i32, c1: i32, work: usize): void { syevFormQ<f32>(n, c0, c1, work); }
export function syevFormQ_f64(n: i32, c0: i32, c1: i32, work: usize): void { syevFormQ<f64>(n, c0, c1, work); }
export function syevFinish_f32(w: usize, z: usize, n: i32, vectors: bool, work: usize): void { syevFinish<f32>(w, z, n, vectors, work); }
export function syevFinish_f64(w: usize, z: usize, n: i32, vectors: bool, work: usize): void { syevFinish<f64>(w, z, n, vectors, work); }
