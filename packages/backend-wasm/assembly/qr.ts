// Dense factorizations, row-oriented so every inner loop is a SIMD dot product or axpy over
// contiguous rows (row-major storage).
import { axpy } from './axpy';
import { dot } from './dot';
import { gemm } from './gemm';
import { at } from './shared/memory';
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

/** Scratch elements `qr` needs besides GEMM's packing buffers. */
export function qrWorkElements(m: i32, n: i32): i32 {
  const k = min(m, n);
  return n * m + k + k * m + QR_NB * m + qrTElements(k) + 2 * max(n, k) * QR_NB;
}

/**
 * Blocked Householder QR (LAPACK dgeqrf + dorgqr with compact WY, Schreiber and Van Loan 1989) on
 * the transpose, so each reflector and each column it updates is a contiguous row. A panel of QR_NB
 * columns is factored with SIMD dots and axpys (dgeqr2); its block reflector I − V·T·Vᵀ (T from
 * dlarft) then updates the trailing columns and, at the end, builds Q, by three GEMMs each (the
 * micro-kernel of gemm.ts). Backward error ‖ΔA‖ ≤ γ_{cmn}‖A‖ (Higham Thm 19.4).
 * `work` holds qrWorkElements(m, n) elements; `gemmWork` the GEMM scratch.
 */
export function qr<T>(a: usize, q: usize, r: usize, m: i32, n: i32, work: usize, gemmWork: usize): i32 {
  if (anyNonFinite<T>(a, m * n)) return -1;
  const k = min(m, n);
  const sz = sizeof<T>();
  const w = work;
  const tau = w + <usize>n * m * sz;
  const qt = tau + <usize>k * sz;
  const vp = qt + <usize>k * m * sz;
  const ts = vp + <usize>QR_NB * m * sz;
  const w1 = ts + <usize>qrTElements(k) * sz;
  const w2 = w1 + <usize>max(n, k) * QR_NB * sz;
  for (let i = 0; i < m; i++) for (let c = 0; c < n; c++) store<T>(at<T>(w, c, i, m), load<T>(at<T>(a, i, c, n)));
  for (let j0 = 0; j0 < k; j0 += QR_NB) {
    const j1 = min(j0 + QR_NB, k), b = j1 - j0, mp = m - j0;
    // Panel: unblocked reflectors, applied within the panel only.
    for (let j = j0; j < j1; j++) {
      const x = at<T>(w, j, 0, m);
      const t = householder<T>(x, j, m, at<T>(r, j, j, n));
      store<T>(tau + <usize>j * sz, <T>t);
      for (let c = j + 1; c < j1; c++) {
        const y = at<T>(w, c, j, m);
        if (t != 0) axpy<T>(-<T>(t * dot<T>(at<T>(x, 0, j, 0), y, m - j)), at<T>(x, 0, j, 0), y, m - j);
      }
    }
    // V (b×mp, rows = reflectors over the window [j0, m)) with its unit diagonal and zeros above.
    for (let i = 0; i < b; i++) {
      for (let t = 0; t < mp; t++) {
        const v = t < i ? <T>0 : t == i ? <T>1 : load<T>(at<T>(w, j0 + i, j0 + t, m));
        store<T>(at<T>(vp, i, t, mp), v);
      }
    }
    // T (b×b upper, LAPACK dlarft forward/columnwise): T[:i, i] = −τ_i·T[:i, :i]·(V[:i]·v_i).
    const tb = ts + <usize>j0 * QR_NB * sz;
    memory.fill(tb, 0, <usize>QR_NB * QR_NB * sz);
    for (let i = 0; i < b; i++) {
      const ti = load<T>(tau + <usize>(j0 + i) * sz);
      store<T>(at<T>(tb, i, i, QR_NB), ti);
      for (let p = 0; p < i; p++) store<T>(at<T>(w1, 0, p, 0), <T>dot<T>(at<T>(vp, p, 0, mp), at<T>(vp, i, 0, mp), mp));
      for (let p = 0; p < i; p++) {
        let acc: T = 0;
        for (let c = p; c < i; c++) acc += load<T>(at<T>(tb, p, c, QR_NB)) * load<T>(at<T>(w1, 0, c, 0));
        store<T>(at<T>(tb, p, i, QR_NB), -ti * acc);
      }
    }
    // Trailing columns X (rows j1..n of w over the window): X ← X − ((X·Vᵀ)·T)·V.
    const rest = n - j1;
    if (rest > 0) {
      const x = at<T>(w, j1, j0, m);
      gemm<T>(false, true, rest, b, mp, <T>1, x, m, vp, mp, <T>0, w1, b, gemmWork);
      gemm<T>(false, false, rest, b, b, <T>1, w1, b, tb, QR_NB, <T>0, w2, b, gemmWork);
      gemm<T>(false, false, rest, mp, b, <T>-1, w2, b, vp, mp, <T>1, x, m, gemmWork);
      for (let j = j0; j < j1; j++) for (let c = j1; c < n; c++) store<T>(at<T>(r, j, c, n), load<T>(at<T>(w, c, j, m)));
    }
    for (let j = j0; j < j1; j++) for (let c = j + 1; c < j1; c++) store<T>(at<T>(r, j, c, n), load<T>(at<T>(w, c, j, m)));
  }
  // Q: rows of Qᵀ start as e_i and take the block reflectors from the right, last block first:
  // Qᵀ[j0:, j0:] ← Qᵀ − ((Qᵀ·Vᵀ)·Tᵀ)·V (rows above j0 are zero on that window and stay unchanged).
  memory.fill(qt, 0, <usize>k * m * sz);
  for (let i = 0; i < k; i++) store<T>(at<T>(qt, i, i, m), <T>1);
  const lastBlock = ((k - 1) / QR_NB) * QR_NB;
  for (let j0 = lastBlock; j0 >= 0; j0 -= QR_NB) {
    const j1 = min(j0 + QR_NB, k), b = j1 - j0, mp = m - j0, rows = k - j0;
    for (let i = 0; i < b; i++) {
      for (let t = 0; t < mp; t++) {
        const v = t < i ? <T>0 : t == i ? <T>1 : load<T>(at<T>(w, j0 + i, j0 + t, m));
        store<T>(at<T>(vp, i, t, mp), v);
      }
    }
    const tb = ts + <usize>j0 * QR_NB * sz;
    const x = at<T>(qt, j0, j0, m);
    gemm<T>(false, true, rows, b, mp, <T>1, x, m, vp, mp, <T>0, w1, b, gemmWork);
    gemm<T>(false, true, rows, b, b, <T>1, w1, b, tb, QR_NB, <T>0, w2, b, gemmWork);
    gemm<T>(false, false, rows, mp, b, <T>-1, w2, b, vp, mp, <T>1, x, m, gemmWork);
  }
  for (let i = 0; i < k; i++) for (let t = 0; t < m; t++) store<T>(at<T>(q, t, i, k), load<T>(at<T>(qt, i, t, m)));
  return 0;
}

// The exports, as src/abi.ts declares them (index.ts re-exports every one).
export function qr_f32(a: usize, q: usize, r: usize, m: i32, n: i32, work: usize, gemmWork: usize): i32 { return qr<f32>(a, q, r, m, n, work, gemmWork); }
export function qr_f64(a: usize, q: usize, r: usize, m: i32, n: i32, work: usize, gemmWork: usize): i32 { return qr<f64>(a, q, r, m, n, work, gemmWork); }
