// Dense factorizations and triangular solves, row-oriented so every inner loop is a SIMD dot product
// or axpy over contiguous rows (row-major storage). Error bounds are LAPACK's (Higham ch. 9, 10, 8):
// Cholesky |ΔA| ≤ γ_{n+1}|L||Lᵀ|, LU with partial pivoting |ΔA| ≤ γ_n|L||U|, substitution
// |ΔT| ≤ γ_n|T| per right-hand side. Status codes as in @lowrank/core's CholeskyParams, TrsmParams, LuParams.
import { axpy, dot, scal } from './level1';

// @ts-ignore: decorator
@inline function el<T>(base: usize, i: i32, j: i32, ld: i32): usize {
  return base + (<usize>i * ld + j) * sizeof<T>();
}

/** x − x is NaN exactly when x is NaN or ±Inf. */
function anyNonFinite<T>(a: usize, count: i32): bool {
  for (let i = 0; i < count; i++) {
    const v = load<T>(a + <usize>i * sizeof<T>());
    if (v - v != 0) return true;
  }
  return false;
}

/** Cholesky–Crout by rows: l_ij = (a_ij − L[i,:j]·L[j,:j]) / l_jj, l_ii = √(a_ii − ‖L[i,:i]‖²). */
export function cholesky<T>(a: usize, l: usize, n: i32): i32 {
  for (let i = 0; i < n; i++) if (anyNonFinite<T>(el<T>(a, i, 0, n), i + 1)) return -1;
  memory.fill(l, 0, <usize>n * n * sizeof<T>());
  for (let i = 0; i < n; i++) {
    const li = el<T>(l, i, 0, n);
    for (let j = 0; j <= i; j++) {
      const s = load<T>(el<T>(a, i, j, n)) - <T>dot<T>(li, el<T>(l, j, 0, n), j);
      if (j < i) {
        store<T>(el<T>(l, i, j, n), s / load<T>(el<T>(l, j, j, n)));
      } else {
        if (!(s > 0)) return i + 1;
        store<T>(el<T>(l, i, i, n), <T>Math.sqrt(<f64>s));
      }
    }
  }
  return 0;
}

/**
 * B (n×m) ← α·op(T)⁻¹·B by substitution over rows: once row k of X is known it is subtracted,
 * scaled by op(T)[i, k], from each row i that depends on it (one SIMD axpy of length m).
 */
export function trsm<T>(t: usize, b: usize, n: i32, m: i32, lower: bool, trans: bool, unitDiag: bool, alpha: T): i32 {
  if (!unitDiag) for (let i = 0; i < n; i++) if (load<T>(el<T>(t, i, i, n)) == 0) return i + 1;
  if (alpha != 1) scal<T>(alpha, b, n * m);
  const forward = lower != trans;
  for (let s = 0; s < n; s++) {
    const i = forward ? s : n - 1 - s;
    const bi = el<T>(b, i, 0, m);
    for (let r = 0; r < s; r++) {
      const k = forward ? r : n - 1 - r;
      const tik = trans ? load<T>(el<T>(t, k, i, n)) : load<T>(el<T>(t, i, k, n));
      if (tik != 0) axpy<T>(-tik, el<T>(b, k, 0, m), bi, m);
    }
    if (!unitDiag) {
      const d = load<T>(el<T>(t, i, i, n));
      for (let j = 0; j < m; j++) {
        const p = el<T>(b, i, j, m);
        store<T>(p, load<T>(p) / d);
      }
    }
  }
  return 0;
}

/** Right-looking LU with partial pivoting (LAPACK getf2); pivots stored as floats in `piv`. */
export function lu<T>(a: usize, out: usize, piv: usize, m: i32, n: i32): i32 {
  if (anyNonFinite<T>(a, m * n)) return -1;
  memory.copy(out, a, <usize>m * n * sizeof<T>());
  let info = 0;
  const steps = min(m, n);
  for (let j = 0; j < steps; j++) {
    let pr = j;
    let best = abs<T>(load<T>(el<T>(out, j, j, n)));
    for (let i = j + 1; i < m; i++) {
      const v = abs<T>(load<T>(el<T>(out, i, j, n)));
      if (v > best) { best = v; pr = i; }
    }
    store<T>(piv + <usize>j * sizeof<T>(), <T>pr);
    if (pr != j) {
      const rj = el<T>(out, j, 0, n), rp = el<T>(out, pr, 0, n);
      for (let c = 0; c < n; c++) {
        const o = <usize>c * sizeof<T>();
        const tmp = load<T>(rj + o);
        store<T>(rj + o, load<T>(rp + o));
        store<T>(rp + o, tmp);
      }
    }
    const d = load<T>(el<T>(out, j, j, n));
    if (d == 0) {
      if (info == 0) info = j + 1;
      continue;
    }
    const tail = n - j - 1;
    for (let i = j + 1; i < m; i++) {
      const pij = el<T>(out, i, j, n);
      const lij = load<T>(pij) / d;
      store<T>(pij, lij);
      if (lij != 0 && tail > 0) axpy<T>(-lij, el<T>(out, j, j + 1, n), el<T>(out, i, j + 1, n), tail);
    }
  }
  return info;
}

/**
 * Householder QR (LAPACK dgeqr2 + dorg2r) on the transpose, so each reflector and each column it
 * updates is a contiguous row: one SIMD dot and one SIMD axpy per (reflector, column). `work` holds
 * n·m + k + k·m elements of scratch. Backward error ‖ΔA‖ ≤ γ_{cmn}‖A‖ (Higham Thm 19.4).
 */
export function qr<T>(a: usize, q: usize, r: usize, m: i32, n: i32, work: usize): i32 {
  if (anyNonFinite<T>(a, m * n)) return -1;
  const k = min(m, n);
  const w = work;
  const tau = w + <usize>n * m * sizeof<T>();
  const qt = tau + <usize>k * sizeof<T>();
  for (let i = 0; i < m; i++) for (let c = 0; c < n; c++) store<T>(el<T>(w, c, i, m), load<T>(el<T>(a, i, c, n)));
  for (let j = 0; j < k; j++) {
    const x = el<T>(w, j, 0, m);
    const alpha = <f64>load<T>(el<T>(x, 0, j, 0));
    // ‖x[j+1:]‖ without overflow: scale by the largest magnitude first.
    let big: f64 = 0;
    for (let i = j + 1; i < m; i++) big = max(big, abs<f64>(<f64>load<T>(el<T>(x, 0, i, 0))));
    let xnorm: f64 = 0;
    if (big > 0) {
      let s: f64 = 0;
      for (let i = j + 1; i < m; i++) { const v = <f64>load<T>(el<T>(x, 0, i, 0)) / big; s += v * v; }
      xnorm = big * Math.sqrt(s);
    }
    let t: f64 = 0;
    if (xnorm == 0) {
      store<T>(el<T>(r, j, j, n), <T>alpha);
    } else {
      const beta = -(alpha < 0 ? -1.0 : 1.0) * Math.hypot(alpha, xnorm);
      t = (beta - alpha) / beta;
      scal<T>(<T>(1 / (alpha - beta)), el<T>(x, 0, j + 1, 0), m - j - 1);
      store<T>(el<T>(x, 0, j, 0), <T>1);
      store<T>(el<T>(r, j, j, n), <T>beta);
    }
    store<T>(tau + <usize>j * sizeof<T>(), <T>t);
    const len = m - j;
    for (let c = j + 1; c < n; c++) {
      const y = el<T>(w, c, j, m);
      if (t != 0) {
        const d = <T>(t * dot<T>(el<T>(x, 0, j, 0), y, len));
        axpy<T>(-d, el<T>(x, 0, j, 0), y, len);
      }
      store<T>(el<T>(r, j, c, n), load<T>(y));
    }
  }
  memory.fill(qt, 0, <usize>k * m * sizeof<T>());
  for (let i = 0; i < k; i++) {
    const row = el<T>(qt, i, 0, m);
    store<T>(el<T>(row, 0, i, 0), <T>1);
    for (let j = k - 1; j >= 0; j--) {
      const t = load<T>(tau + <usize>j * sizeof<T>());
      if (t == 0) continue;
      const v = el<T>(w, j, j, m), rj = el<T>(row, 0, j, 0);
      const d = t * <T>dot<T>(rj, v, m - j);
      axpy<T>(-d, v, rj, m - j);
    }
  }
  for (let i = 0; i < k; i++) for (let s = 0; s < m; s++) store<T>(el<T>(q, s, i, k), load<T>(el<T>(qt, i, s, m)));
  return 0;
}
