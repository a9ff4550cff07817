// Dense factorizations and triangular solves, row-oriented so every inner loop is a SIMD dot product
// or axpy over contiguous rows (row-major storage). Error bounds are LAPACK's (Higham ch. 9, 10, 8):
// Cholesky |ΔA| ≤ γ_{n+1}|L||Lᵀ|, LU with partial pivoting |ΔA| ≤ γ_n|L||U|, substitution
// |ΔT| ≤ γ_n|T| per right-hand side. Status codes as in @lowrank/core's CholeskyParams, TrsmParams, LuParams.
import { dot } from './dot';
import { gemm } from './gemm';
import { at } from './shared/memory';
import { anyNonFinite } from './shared/factor';

const CHOLESKY_NB: i32 = 32;

/**
 * Blocked right-looking Cholesky (LAPACK dpotrf, lower) in place in `l`: per panel of CHOLESKY_NB
 * columns, Crout by rows over the panel only, l_ij = (a_ij − L[i, j₀:j]·L[j, j₀:j]) / l_jj and
 * l_ii = √(a_ii − ‖L[i, j₀:i]‖²), for the diagonal block and every row below it; then the trailing
 * A₂₂ ← A₂₂ − L₂₁·L₂₁ᵀ by the GEMM micro-kernel, one block row at a time up to its diagonal block.
 * The strict upper triangle is scratch until the end, then zeroed. |ΔA| ≤ γ_{n+1}|L||Lᵀ| (Higham Thm 10.3).
 */
export function cholesky<T>(a: usize, l: usize, n: i32, gemmWork: usize): i32 {
  for (let i = 0; i < n; i++) if (anyNonFinite<T>(at<T>(a, i, 0, n), i + 1)) return -1;
  memory.copy(l, a, <usize>n * n * sizeof<T>());
  for (let j0 = 0; j0 < n; j0 += CHOLESKY_NB) {
    const j1 = min(j0 + CHOLESKY_NB, n);
    for (let i = j0; i < n; i++) {
      const li = at<T>(l, i, j0, n);
      for (let j = j0; j < min(i + 1, j1); j++) {
        const s = load<T>(at<T>(l, i, j, n)) - <T>dot<T>(li, at<T>(l, j, j0, n), j - j0);
        if (j < i) {
          store<T>(at<T>(l, i, j, n), s / load<T>(at<T>(l, j, j, n)));
        } else {
          if (!(s > 0)) return i + 1;
          store<T>(at<T>(l, i, i, n), <T>Math.sqrt(<f64>s));
        }
      }
    }
    for (let r0 = j1; r0 < n; r0 += CHOLESKY_NB) {
      const r1 = min(r0 + CHOLESKY_NB, n);
      gemm<T>(false, true, r1 - r0, r1 - j1, j1 - j0, <T>-1, at<T>(l, r0, j0, n), n, at<T>(l, j1, j0, n), n, <T>1, at<T>(l, r0, j1, n), n, gemmWork);
    }
  }
  for (let i = 0; i < n - 1; i++) memory.fill(at<T>(l, i, i + 1, n), 0, <usize>(n - i - 1) * sizeof<T>());
  return 0;
}

// The exports, as src/abi.ts declares them (index.ts re-exports every one).
export function cholesky_f32(a: usize, l: usize, n: i32, gemmWork: usize): i32 { return cholesky<f32>(a, l, n, gemmWork); }
export function cholesky_f64(a: usize, l: usize, n: i32, gemmWork: usize): i32 { return cholesky<f64>(a, l, n, gemmWork); }
