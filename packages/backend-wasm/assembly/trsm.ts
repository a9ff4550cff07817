// Dense factorizations and triangular solves, row-oriented so every inner loop is a SIMD dot product
// or axpy over contiguous rows (row-major storage). Error bounds are LAPACK's (Higham ch. 9, 10, 8):
// Cholesky |ΔA| ≤ γ_{n+1}|L||Lᵀ|, LU with partial pivoting |ΔA| ≤ γ_n|L||U|, substitution
// |ΔT| ≤ γ_n|T| per right-hand side. Status codes as in @lowrank/core's CholeskyParams, TrsmParams, LuParams.
import { axpy } from './axpy';
import { scal } from './scal';
import { at } from './shared/memory';


/**
 * B (n×m) ← α·op(T)⁻¹·B by substitution over rows: once row k of X is known it is subtracted,
 * scaled by op(T)[i, k], from each row i that depends on it (one SIMD axpy of length m).
 */
export function trsm<T>(t: usize, b: usize, n: i32, m: i32, lower: bool, trans: bool, unitDiag: bool, alpha: T): i32 {
  if (!unitDiag) for (let i = 0; i < n; i++) if (load<T>(at<T>(t, i, i, n)) == 0) return i + 1;
  if (alpha != 1) scal<T>(alpha, b, n * m);
  const forward = lower != trans;
  for (let s = 0; s < n; s++) {
    const i = forward ? s : n - 1 - s;
    const bi = at<T>(b, i, 0, m);
    for (let r = 0; r < s; r++) {
      const k = forward ? r : n - 1 - r;
      const tik = trans ? load<T>(at<T>(t, k, i, n)) : load<T>(at<T>(t, i, k, n));
      if (tik != 0) axpy<T>(-tik, at<T>(b, k, 0, m), bi, m);
    }
    if (!unitDiag) {
      const d = load<T>(at<T>(t, i, i, n));
      for (let j = 0; j < m; j++) {
        const p = at<T>(b, i, j, m);
        store<T>(p, load<T>(p) / d);
      }
    }
  }
  return 0;
}

// The exports, as src/abi.ts declares them (index.ts re-exports every one).
export function trsm_f32(t: usize, b: usize, n: i32, m: i32, lower: bool, trans: bool, unit: bool, alpha: f32): i32 { return trsm<f32>(t, b, n, m, lower, trans, unit, alpha); }
export function trsm_f64(t: usize, b: usize, n: i32, m: i32, lower: bool, trans: bool, unit: bool, alpha: f64): i32 { return trsm<f64>(t, b, n, m, lower, trans, unit, alpha); }
