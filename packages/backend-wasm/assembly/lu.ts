// Dense factorizations and triangular solves, row-oriented so every inner loop is a SIMD dot product
// or axpy over contiguous rows (row-major storage). Error bounds are LAPACK's (Higham ch. 9, 10, 8):
// Cholesky |ΔA| ≤ γ_{n+1}|L||Lᵀ|, LU with partial pivoting |ΔA| ≤ γ_n|L||U|, substitution
// |ΔT| ≤ γ_n|T| per right-hand side. Status codes as in @lowrank/core's CholeskyParams, TrsmParams, LuParams.
import { axpy } from './axpy';
import { gemm } from './gemm';
import { at } from './shared/memory';
import { anyNonFinite } from './shared/factor';

const LU_NB: i32 = 32;

/**
 * Blocked right-looking LU with partial pivoting (LAPACK dgetrf): a panel of LU_NB columns is factored
 * unblocked (dgetf2: pivot search, whole-row swap, rank-1 updates confined to the panel), the block row
 * U₁₂ = L₁₁⁻¹·A₁₂ by forward substitution over rows (SIMD axpys), and the trailing A₂₂ ← A₂₂ − L₂₁·U₁₂ by
 * the GEMM micro-kernel, which carries (1 − 1/LU_NB) of the flops. Same arithmetic and pivots as the
 * unblocked algorithm up to the order of the updates; |ΔA| ≤ γ_n|L||U| (Higham Thm 9.3).
 * Pivots stored as floats in `piv`; `gemmWork` is the GEMM scratch.
 */
export function lu<T>(a: usize, out: usize, piv: usize, m: i32, n: i32, gemmWork: usize): i32 {
  if (anyNonFinite<T>(a, m * n)) return -1;
  memory.copy(out, a, <usize>m * n * sizeof<T>());
  let info = 0;
  const steps = min(m, n);
  for (let j0 = 0; j0 < steps; j0 += LU_NB) {
    const j1 = min(j0 + LU_NB, steps);
    for (let j = j0; j < j1; j++) {
      let pr = j;
      let best = abs<T>(load<T>(at<T>(out, j, j, n)));
      for (let i = j + 1; i < m; i++) {
        const v = abs<T>(load<T>(at<T>(out, i, j, n)));
        if (v > best) { best = v; pr = i; }
      }
      store<T>(piv + <usize>j * sizeof<T>(), <T>pr);
      if (pr != j) swapRows<T>(at<T>(out, j, 0, n), at<T>(out, pr, 0, n), n);
      const d = load<T>(at<T>(out, j, j, n));
      if (d == 0) {
        if (info == 0) info = j + 1;
        continue;
      }
      const tail = j1 - j - 1;
      for (let i = j + 1; i < m; i++) {
        const pij = at<T>(out, i, j, n);
        const lij = load<T>(pij) / d;
        store<T>(pij, lij);
        if (lij != 0 && tail > 0) axpy<T>(-lij, at<T>(out, j, j + 1, n), at<T>(out, i, j + 1, n), tail);
      }
    }
    const rest = n - j1;
    if (rest <= 0) continue;
    // U₁₂: row i of the block row minus Σ_{k<i} L[i, k]·(row k), k and i in the panel.
    for (let i = j0 + 1; i < j1; i++) {
      for (let k = j0; k < i; k++) {
        const lik = load<T>(at<T>(out, i, k, n));
        if (lik != 0) axpy<T>(-lik, at<T>(out, k, j1, n), at<T>(out, i, j1, n), rest);
      }
    }
    if (m > j1) gemm<T>(false, false, m - j1, rest, j1 - j0, <T>-1, at<T>(out, j1, j0, n), n, at<T>(out, j0, j1, n), n, <T>1, at<T>(out, j1, j1, n), n, gemmWork);
  }
  return info;
}

function swapRows<T>(x: usize, y: usize, len: i32): void {
  for (let c = 0; c < len; c++) {
    const o = <usize>c * sizeof<T>();
    const tmp = load<T>(x + o);
    store<T>(x + o, load<T>(y + o));
    store<T>(y + o, tmp);
  }
}

// The exports, as src/abi.ts declares them (index.ts re-exports every one).
export function lu_f32(a: usize, out: usize, piv: usize, m: i32, n: i32, gemmWork: usize): i32 { return lu<f32>(a, out, piv, m, n, gemmWork); }
export function lu_f64(a: usize, out: usize, piv: usize, m: i32, n: i32, gemmWork: usize): i32 { return lu<f64>(a, out, piv, m, n, gemmWork); }
