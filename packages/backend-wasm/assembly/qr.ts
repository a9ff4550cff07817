// Dense factorizations, row-oriented so every inner loop is a SIMD dot product or axpy over
// contiguous rows (row-major storage).
import { axpy } from './axpy';
import { dot } from './dot';
import { gemm } from './gemm';
import { at } from './shared/memory';
import { transposeBlock } from './transpose';
import { anyNonFinite, householder } from './shared/factor';

const QR_NB: i32 = 32;

/**
 * Elements of the T factors: one QR_NB × QR_NB block per panel, the last one too, however few
 * columns it has (sizing this k·QR_NB let the last block's clear run past the area when k is not a
 * multiple of QR_NB: up to 4 KB of the heap zeroed for a tall matrix of under 11 columns).
 */
function qrTElements(k: i32): i32 {
  return ((k + QR_NB - 1) / QR_NB) * QR_NB * QR_NB;
}

/**
 * Shared scratch elements of the QR phases: Aᵀ (w), τ, Qᵀ, two panels' V (even and odd panels: with look-ahead the
 * next panel is factored while the threads still apply the current one) and every panel's T.
 */
export function qrWorkElements(m: i32, n: i32): i32 {
  const k = min(m, n);
  return n * m + k + k * m + 2 * QR_NB * m + qrTElements(k);
}

/** Scratch elements of one thread: X·Vᵀ and its product with T for up to n rows (k ≤ n), and a copy of V for Q. */
export function qrThreadElements(m: i32, n: i32): i32 {
  return QR_NB * m + 2 * n * QR_NB;
}

/** The panel width the glue must step by: each panel's T block sits at j₀·QR_NB. */
export function qrPanelColumns(): i32 {
  return QR_NB;
}

// Offsets of the shared parts (bytes from work), in qrWorkElements's order.
// @ts-ignore: decorator
@inline function tauAt<T>(work: usize, m: i32, n: i32): usize { return work + <usize>n * m * sizeof<T>(); }
// @ts-ignore: decorator
@inline function qtAt<T>(work: usize, m: i32, n: i32): usize { return tauAt<T>(work, m, n) + <usize>min(m, n) * sizeof<T>(); }
// @ts-ignore: decorator
@inline function vpAt<T>(work: usize, m: i32, n: i32, j0: i32): usize {
  return qtAt<T>(work, m, n) + <usize>(min(m, n) * m + ((j0 / QR_NB) & 1) * QR_NB * m) * sizeof<T>();
}
// @ts-ignore: decorator
@inline function tAt<T>(work: usize, m: i32, n: i32, j0: i32): usize {
  return qtAt<T>(work, m, n) + <usize>(min(m, n) * m + 2 * QR_NB * m + j0 * QR_NB) * sizeof<T>();
}

/**
 * Blocked Householder QR (LAPACK dgeqrf + dorgqr with compact WY, Schreiber and Van Loan 1989) on the transpose
 * w = Aᵀ, so each reflector and each column it updates is a contiguous row, in phases the glue (src/kernels/qr.ts)
 * calls in order: qrStart; per panel of QR_NB columns qrPanel (reflectors by SIMD dots and axpys, dgeqr2; V with
 * its unit diagonal, and T by dlarft) then qrUpdate on ranges of the trailing columns, X ← X − ((X·Vᵀ)·T)·V by
 * three GEMMs; last qrFormQ on ranges of Q's columns, every block reflector from the last. A column's arithmetic
 * does not depend on the ranges, so any thread count gives the same bits. Backward error ‖ΔA‖ ≤ γ_{cmn}‖A‖
 * (Higham Thm 19.4). `work` holds qrWorkElements(m, n) elements, each thread's `own` qrThreadElements(m, n).
 */
export function qrStart<T>(a: usize, m: i32, n: i32, work: usize): i32 {
  if (anyNonFinite<T>(a, m * n)) return -1;
  transposeBlock<T>(a, n, work, m, m, n); // in tiles: a column at a time wrote each element to another 4 KiB page
  return 0;
}

/** V (b×(m − j0): the reflectors j0..j1 over the window [j0, m), unit diagonal, zeros above) into vp. */
function copyV<T>(w: usize, m: i32, j0: i32, j1: i32, vp: usize): void {
  const mp = m - j0;
  for (let i = 0; i < j1 - j0; i++) {
    for (let t = 0; t < mp; t++) {
      const v = t < i ? <T>0 : t == i ? <T>1 : load<T>(at<T>(w, j0 + i, j0 + t, m));
      store<T>(at<T>(vp, i, t, mp), v);
    }
  }
}

/** Reflectors j0..j1 of the panel, applied within it; its V, its T, and R's rows j0..j1 within the panel. */
export function qrPanel<T>(r: usize, m: i32, n: i32, j0: i32, j1: i32, work: usize): void {
  const sz = <usize>sizeof<T>(), w = work, tau = tauAt<T>(work, m, n), vp = vpAt<T>(work, m, n, j0);
  const b = j1 - j0, mp = m - j0;
  for (let j = j0; j < j1; j++) {
    const x = at<T>(w, j, 0, m);
    const t = householder<T>(x, j, m, at<T>(r, j, j, n));
    store<T>(tau + <usize>j * sz, <T>t);
    for (let c = j + 1; c < j1; c++) {
      const y = at<T>(w, c, j, m);
      if (t != 0) axpy<T>(-<T>(t * dot<T>(at<T>(x, 0, j, 0), y, m - j)), at<T>(x, 0, j, 0), y, m - j);
    }
  }
  copyV<T>(w, m, j0, j1, vp);
  // T (b×b upper, LAPACK dlarft forward/columnwise): T[:i, i] = −τ_i·T[:i, :i]·(V[:i]·v_i); the products
  // V[:i]·v_i go to Qᵀ's first row, not yet in use.
  const tb = tAt<T>(work, m, n, j0), dots = qtAt<T>(work, m, n);
  memory.fill(tb, 0, <usize>QR_NB * QR_NB * sz);
  for (let i = 0; i < b; i++) {
    const ti = load<T>(tau + <usize>(j0 + i) * sz);
    store<T>(at<T>(tb, i, i, QR_NB), ti);
    for (let p = 0; p < i; p++) store<T>(at<T>(dots, 0, p, 0), <T>dot<T>(at<T>(vp, p, 0, mp), at<T>(vp, i, 0, mp), mp));
    for (let p = 0; p < i; p++) {
      let acc: T = 0;
      for (let c = p; c < i; c++) acc += load<T>(at<T>(tb, p, c, QR_NB)) * load<T>(at<T>(dots, 0, c, 0));
      store<T>(at<T>(tb, p, i, QR_NB), -ti * acc);
    }
  }
  for (let j = j0; j < j1; j++) for (let c = j + 1; c < j1; c++) store<T>(at<T>(r, j, c, n), load<T>(at<T>(w, c, j, m)));
}

/** Trailing columns [c0, c1) (rows of w, c0 ≥ j1): X ← X − ((X·Vᵀ)·T)·V on the window, then R's rows j0..j1 there. */
export function qrUpdate<T>(r: usize, m: i32, n: i32, j0: i32, j1: i32, c0: i32, c1: i32, work: usize, own: usize, gemmWork: usize): void {
  const rows = c1 - c0;
  if (rows <= 0) return;
  const b = j1 - j0, mp = m - j0, w = work, vp = vpAt<T>(work, m, n, j0), tb = tAt<T>(work, m, n, j0);
  const w1 = own + <usize>QR_NB * m * sizeof<T>(), w2 = w1 + <usize>rows * b * sizeof<T>();
  const x = at<T>(w, c0, j0, m);
  gemm<T>(false, true, rows, b, mp, <T>1, x, m, vp, mp, <T>0, w1, b, gemmWork);
  gemm<T>(false, false, rows, b, b, <T>1, w1, b, tb, QR_NB, <T>0, w2, b, gemmWork);
  gemm<T>(false, false, rows, mp, b, <T>-1, w2, b, vp, mp, <T>1, x, m, gemmWork);
  for (let j = j0; j < j1; j++) for (let c = c0; c < c1; c++) store<T>(at<T>(r, j, c, n), load<T>(at<T>(w, c, j, m)));
}

/**
 * Q's columns [i0, i1): rows of Qᵀ start as e_i and take the block reflectors from the right, last block first,
 * Qᵀ[j0:, j0:] ← Qᵀ − ((Qᵀ·Vᵀ)·Tᵀ)·V (rows above j0 are zero on that window and stay unchanged); then into q.
 */
export function qrFormQ<T>(q: usize, m: i32, n: i32, i0: i32, i1: i32, work: usize, own: usize, gemmWork: usize): void {
  const k = min(m, n), sz = <usize>sizeof<T>(), qt = qtAt<T>(work, m, n);
  if (i1 <= i0) return;
  memory.fill(at<T>(qt, i0, 0, m), 0, <usize>(i1 - i0) * m * sz);
  for (let i = i0; i < i1; i++) store<T>(at<T>(qt, i, i, m), <T>1);
  const vp = own, w1 = own + <usize>QR_NB * m * sz;
  for (let j0 = ((k - 1) / QR_NB) * QR_NB; j0 >= 0; j0 -= QR_NB) {
    const j1 = min(j0 + QR_NB, k), b = j1 - j0, mp = m - j0, r0 = max(i0, j0), rows = i1 - r0;
    if (rows <= 0) continue;
    const w2 = w1 + <usize>rows * b * sz;
    copyV<T>(work, m, j0, j1, vp);
    const tb = tAt<T>(work, m, n, j0), x = at<T>(qt, r0, j0, m);
    gemm<T>(false, true, rows, b, mp, <T>1, x, m, vp, mp, <T>0, w1, b, gemmWork);
    gemm<T>(false, true, rows, b, b, <T>1, w1, b, tb, QR_NB, <T>0, w2, b, gemmWork);
    gemm<T>(false, false, rows, mp, b, <T>-1, w2, b, vp, mp, <T>1, x, m, gemmWork);
  }
  transposeBlock<T>(at<T>(qt, i0, 0, m), m, q + <usize>i0 * sizeof<T>(), k, i1 - i0, m);
}

// The exports, as src/abi.ts declares them (index.ts re-exports every one).
export function qrStart_f32(a: usize, m: i32, n: i32, work: usize): i32 { return qrStart<f32>(a, m, n, work); }
export function qrStart_f64(a: usize, m: i32, n: i32, work: usize): i32 { return qrStart<f64>(a, m, n, work); }
export function qrPanel_f32(r: usize, m: i32, n: i32, j0: i32, j1: i32, work: usize): void { qrPanel<f32>(r, m, n, j0, j1, work); }
export function qrPanel_f64(r: usize, m: i32, n: i32, j0: i32, j1: i32, work: usize): void { qrPanel<f64>(r, m, n, j0, j1, work); }
export function qrUpdate_f32(r: usize, m: i32, n: i32, j0: i32, j1: i32, c0: i32, c1: i32, work: usize, own: usize, gemmWork: usize): void {
  qrUpdate<f32>(r, m, n, j0, j1, c0, c1, work, own, gemmWork);
}
export function qrUpdate_f64(r: usize, m: i32, n: i32, j0: i32, j1: i32, c0: i32, c1: i32, work: usize, own: usize, gemmWork: usize): void {
  qrUpdate<f64>(r, m, n, j0, j1, c0, c1, work, own, gemmWork);
}
export function qrFormQ_f32(q: usize, m: i32, n: i32, i0: i32, i1: i32, work: usize, own: usize, gemmWork: usize): void {
  qrFormQ<f32>(q, m, n, i0, i1, work, own, gemmWork);
}
export function qrFormQ_f64(q: usize, m: i32, n: i32, i0: i32, i1: i32, work: usize, own: usize, gemmWork: usize): void {
  qrFormQ<f64>(q, m, n, i0, i1, work, own, gemmWork);
}
