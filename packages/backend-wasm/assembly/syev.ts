// Symmetric eigendecomposition (LAPACK dsyevd: dsytd2, dstedc, then the reflectors applied to the tridiagonal's
// vectors), row-oriented so every inner loop is a SIMD dot product or axpy over contiguous rows (row-major
// storage), in phases the glue (src/kernels/syev.ts) calls in order, the column-parallel one on every thread:
//   syevReduce     Householder tridiagonalization of A's lower triangle, kept as W's upper one (one thread);
//   syevStedc      the tridiagonal's eigenvalues and vectors by divide and conquer (shared/stedc.ts, one thread),
//                  or on two threads syevStedcSplit, syevStedcHalf (the torn halves, one a thread), then the merge:
//                  syevStedcJoinStart, syevStedcJoinProduct (its top and bottom rows, one a thread), syevStedcJoinEnd;
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
import { hsum, lanes, vmadd } from './shared/simd';
import { anyNonFinite, householder, ld, safeMin, st, takeLargest } from './shared/factor';
import { stedc, stedcBegin, stedcHalf, stedcJoinEnd, stedcJoinProduct, stedcJoinStart, stedcTear, stedcWorkBytes } from './shared/stedc';

/**
 * Work layout: d, e, τ (n f64 each), T's scale (f64), W, Q (n rows of rowStride T each, 64-byte aligned), two p
 * vectors (n T each), β, stedc's scratch (the whole T's, the first half's), the second half's stedc scratch.
 */

/** Scratch bytes the phases use. */
export function syevWorkBytes(n: i32, bytesPerElement: i32): f64 {
  const stride = <f64>(bytesPerElement == 4 ? rowStride<f32>(n) : rowStride<f64>(n));
  const divide = bytesPerElement == 4 ? stedcWorkBytes<f32>(n) : stedcWorkBytes<f64>(n);
  const half = bytesPerElement == 4 ? stedcWorkBytes<f32>(n - (n >> 1)) : stedcWorkBytes<f64>(n - (n >> 1));
  return (3 * <f64>n + 1) * 8 + (2 * n * stride + 2 * n + 1) * bytesPerElement + 64 + 8 + divide + 8 + half;
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
@inline function stedcOf<T>(work: usize, n: i32): usize {
  return (pOf<T>(work, n) + <usize>(2 * n + 1) * sizeof<T>() + 7) & ~7;
}
// @ts-ignore: decorator
@inline function stedcSecondOf<T>(work: usize, n: i32): usize {
  return (stedcOf<T>(work, n) + <usize>stedcWorkBytes<T>(n) + 7) & ~7;
}

/**
 * Tridiagonalizes A (its lower triangle): d, e, and the reflectors (v in row j of W past the diagonal, τ_j) for
 * syevFormQ. Returns −1 for NaN/±Inf in A, else 0.
 */
export function syevReduce<T>(a: usize, n: i32, work: usize): i32 {
  for (let i = 0; i < n; i++) if (anyNonFinite<T>(at<T>(a, i, 0, n), i + 1)) return -1;
  const sz = sizeof<T>(), stride = rowStride<T>(n);
  const d = dOf(work), e = eOf(work, n), tau = tauOf(work, n), wm = wOf(work, n);
  let pv = pOf<T>(work, n);
  let pNext = pv + <usize>n * sz;
  const beta = pNext + <usize>n * sz;
  // A's lower triangle into W's upper one, a row of W at a time.
  for (let j = 0; j < n; j++) for (let i = j; i < n; i++) store<T>(at<T>(wm, j, i, stride), load<T>(at<T>(a, i, j, n)));
  // Step j's reflector comes from row j, which step j − 1's pass updated first; p = τ·S·v for step j was
  // accumulated in that same pass (step 0's by a pass of its own, with nothing to update).
  if (n > 2) {
    const t = reflectRow<T>(wm, 0, n, tau, e, beta);
    if (t != 0) {
      const v0 = at<T>(wm, 0, 1, stride);
      memory.fill(pv, 0, <usize>(n - 1) * sz);
      for (let i = 1; i < n; i++) {
        const c = <usize>(i - 1) * sz;
        const own = updateRowSymv<T>(at<T>(wm, i, i, stride), n - i, <T>0, <T>0, v0 + c, v0 + c, v0 + c, pv + c);
        store<T>(pv + c, <T>(<f64>load<T>(pv + c) + own));
      }
      scal<T>(<T>t, pv, n - 1);
    }
  }
  for (let j = 0; j < n - 2; j++) {
    const len = n - j - 1;
    const v = at<T>(wm, j, j + 1, stride);
    const t = load<f64>(tau + (<usize>j << 3));
    if (t != 0) {
      // w = p − ½τ(pᵀv)·v, then S ← S − v·wᵀ − w·vᵀ, starting with the row the next reflector comes from.
      let pv2: f64 = 0;
      for (let i = 0; i < len; i++) pv2 += <f64>load<T>(pv + <usize>i * sz) * <f64>load<T>(v + <usize>i * sz);
      axpy<T>(<T>(-0.5 * t * pv2), v, pv, len);
      updateRow<T>(wm, j + 1, j, n, v, pv);
    }
    const next = j + 1;
    const tn = next < n - 2 ? reflectRow<T>(wm, next, n, tau, e, beta) : 0;
    const vn = at<T>(wm, next, next + 1, stride);
    if (tn != 0) memory.fill(pNext, 0, <usize>(n - next - 1) * sz);
    for (let i = j + 2; i < n; i++) {
      if (tn != 0) {
        // v and w at column i, vn and p's next at column i too (they start a column later).
        const k = <usize>(i - j - 1) * sz, kn = <usize>(i - next - 1) * sz;
        const own =
          t != 0
            ? updateRowSymv<T>(at<T>(wm, i, i, stride), n - i, -load<T>(v + k), -load<T>(pv + k), pv + k, v + k, vn + kn, pNext + kn)
            : updateRowSymv<T>(at<T>(wm, i, i, stride), n - i, <T>0, <T>0, vn + kn, vn + kn, vn + kn, pNext + kn);
        store<T>(pNext + kn, <T>(<f64>load<T>(pNext + kn) + own));
      } else if (t != 0) updateRow<T>(wm, i, j, n, v, pv);
    }
    if (tn != 0) scal<T>(<T>tn, pNext, n - next - 1);
    const swap = pv;
    pv = pNext;
    pNext = swap;
  }
  for (let j = 0; j < n; j++) st(d, j, <f64>load<T>(at<T>(wm, j, j, stride)));
  if (n >= 2) st(e, n - 2, <f64>load<T>(at<T>(wm, n - 2, n - 1, stride)));
  if (n >= 1) st(e, n - 1, 0);
  return 0;
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

/** Third phase: the halves' merge up to its two products. */
export function syevStedcJoinStart<T>(n: i32, work: usize): void {
  if (ld(scaleOf(work, n), 0) != 0) stedcJoinStart<T>(dOf(work), eOf(work, n), n, qOf<T>(work, n), rowStride<T>(n), stedcOf<T>(work, n));
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
export function syevReduce_f32(a: usize, n: i32, work: usize): i32 { return syevReduce<f32>(a, n, work); }
export function syevReduce_f64(a: usize, n: i32, work: usize): i32 { return syevReduce<f64>(a, n, work); }
export function syevStedc_f32(n: i32, work: usize): void { syevStedc<f32>(n, work); }
export function syevStedc_f64(n: i32, work: usize): void { syevStedc<f64>(n, work); }
export function syevStedcSplit_f32(n: i32, work: usize): void { syevStedcSplit<f32>(n, work); }
export function syevStedcSplit_f64(n: i32, work: usize): void { syevStedcSplit<f64>(n, work); }
export function syevStedcHalf_f32(n: i32, part: i32, work: usize): void { syevStedcHalf<f32>(n, part, work); }
export function syevStedcHalf_f64(n: i32, part: i32, work: usize): void { syevStedcHalf<f64>(n, part, work); }
export function syevStedcJoinStart_f32(n: i32, work: usize): void { syevStedcJoinStart<f32>(n, work); }
export function syevStedcJoinStart_f64(n: i32, work: usize): void { syevStedcJoinStart<f64>(n, work); }
export function syevStedcJoinProduct_f32(n: i32, part: i32, work: usize): void { syevStedcJoinProduct<f32>(n, part, work); }
export function syevStedcJoinProduct_f64(n: i32, part: i32, work: usize): void { syevStedcJoinProduct<f64>(n, part, work); }
export function syevStedcJoinEnd_f32(n: i32, work: usize): void { syevStedcJoinEnd<f32>(n, work); }
export function syevStedcJoinEnd_f64(n: i32, work: usize): void { syevStedcJoinEnd<f64>(n, work); }
export function syevFormQ_f32(n: i32, c0: i32, c1: i32, work: usize): void { syevFormQ<f32>(n, c0, c1, work); }
export function syevFormQ_f64(n: i32, c0: i32, c1: i32, work: usize): void { syevFormQ<f64>(n, c0, c1, work); }
export function syevFinish_f32(w: usize, z: usize, n: i32, vectors: bool, work: usize): void { syevFinish<f32>(w, z, n, vectors, work); }
export function syevFinish_f64(w: usize, z: usize, n: i32, vectors: bool, work: usize): void { syevFinish<f64>(w, z, n, vectors, work); }
