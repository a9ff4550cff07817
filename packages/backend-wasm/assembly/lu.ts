// Dense factorizations and triangular solves, row-oriented so every inner loop is a SIMD dot product
// or axpy over contiguous rows (row-major storage). Error bounds are LAPACK's (Higham ch. 9, 10, 8):
// Cholesky |ΔA| ≤ γ_{n+1}|L||Lᵀ|, LU with partial pivoting |ΔA| ≤ γ_n|L||U|, substitution
// |ΔT| ≤ γ_n|T| per right-hand side. Status codes as in @lowrank/core's CholeskyParams, TrsmParams, LuParams.
import { axpy } from './axpy';
import { gemm } from './gemm';
import { at } from './shared/memory';
import { anyNonFinite } from './shared/factor';

/**
 * Blocked right-looking LU with partial pivoting (LAPACK dgetrf), in phases the glue (src/kernels/lu.ts) calls in
 * order, so that the trailing update of each panel runs on every thread while one of them factors the next panel
 * (look-ahead): luStart checks and copies a range of A's rows (on every thread; NaN or ±Inf writes −1 to the
 * status); luPanel factors a panel of columns unblocked (dgetf2: pivot search, rank-1
 * updates confined to the panel), swapping rows within the panel only; luUpdate brings a range of other columns
 * up to date with a panel — its row swaps, then right of it the block row U₁₂ = L₁₁⁻¹·A₁₂ by forward substitution
 * (SIMD axpys) and A₂₂ ← A₂₂ − L₂₁·U₁₂ by the GEMM micro-kernel, which carries (1 − 1/nb) of the flops. Every
 * element sees the same operations in the same order whatever the column ranges, so any thread count gives the
 * same bits. Same arithmetic and pivots as the unblocked algorithm up to the order of the updates;
 * |ΔA| ≤ γ_n|L||U| (Higham Thm 9.3). Pivots stored as floats in `piv`.
 */
export function luStart<T>(a: usize, out: usize, m: i32, n: i32, r0: i32, r1: i32, status: usize): void {
  if (anyNonFinite<T>(at<T>(a, r0, 0, n), (r1 - r0) * n)) store<i32>(status, -1);
  memory.copy(at<T>(out, r0, 0, n), at<T>(a, r0, 0, n), <usize>(r1 - r0) * n * sizeof<T>());
}

/** Factors columns [j0, j1), already updated by every earlier panel; a zero pivot j is written to *status as j + 1 if it holds 0. */
export function luPanel<T>(out: usize, piv: usize, m: i32, n: i32, j0: i32, j1: i32, status: usize): void {
  for (let j = j0; j < j1; j++) {
    let pr = j;
    let best = abs<T>(load<T>(at<T>(out, j, j, n)));
    for (let i = j + 1; i < m; i++) {
      const v = abs<T>(load<T>(at<T>(out, i, j, n)));
      if (v > best) { best = v; pr = i; }
    }
    store<T>(piv + <usize>j * sizeof<T>(), <T>pr);
    if (pr != j) swapRows<T>(at<T>(out, j, j0, n), at<T>(out, pr, j0, n), j1 - j0);
    const d = load<T>(at<T>(out, j, j, n));
    if (d == 0) {
      if (load<i32>(status) == 0) store<i32>(status, j + 1);
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
}

/** Columns [c0, c1), outside the factored panel [j0, j1): its row swaps, and right of it U₁₂ and the A₂₂ update. */
export function luUpdate<T>(out: usize, piv: usize, m: i32, n: i32, j0: i32, j1: i32, c0: i32, c1: i32, gemmWork: usize): void {
  const cols = c1 - c0;
  if (cols <= 0) return;
  for (let j = j0; j < j1; j++) {
    const pr = <i32>load<T>(piv + <usize>j * sizeof<T>());
    if (pr != j) swapRows<T>(at<T>(out, j, c0, n), at<T>(out, pr, c0, n), cols);
  }
  if (c0 < j1) return;
  // U₁₂: row i of the block row minus Σ_{k<i} L[i, k]·(row k), k and i in the panel.
  for (let i = j0 + 1; i < j1; i++) {
    for (let k = j0; k < i; k++) {
      const lik = load<T>(at<T>(out, i, k, n));
      if (lik != 0) axpy<T>(-lik, at<T>(out, k, c0, n), at<T>(out, i, c0, n), cols);
    }
  }
  if (m > j1) gemm<T>(false, false, m - j1, cols, j1 - j0, <T>-1, at<T>(out, j1, j0, n), n, at<T>(out, j0, c0, n), n, <T>1, at<T>(out, j1, c0, n), n, gemmWork);
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
export function luStart_f32(a: usize, out: usize, m: i32, n: i32, r0: i32, r1: i32, status: usize): void { luStart<f32>(a, out, m, n, r0, r1, status); }
export function luStart_f64(a: usize, out: usize, m: i32, n: i32, r0: i32, r1: i32, status: usize): void { luStart<f64>(a, out, m, n, r0, r1, status); }
export function luPanel_f32(out: usize, piv: usize, m: i32, n: i32, j0: i32, j1: i32, status: usize): void { luPanel<f32>(out, piv, m, n, j0, j1, status); }
export function luPanel_f64(out: usize, piv: usize, m: i32, n: i32, j0: i32, j1: i32, status: usize): void { luPanel<f64>(out, piv, m, n, j0, j1, status); }
export function luUpdate_f32(out: usize, piv: usize, m: i32, n: i32, j0: i32, j1: i32, c0: i32, c1: i32, gemmWork: usize): void { luUpdate<f32>(out, piv, m, n, j0, j1, c0, c1, gemmWork); }
export function luUpdate_f64(out: usize, piv: usize, m: i32, n: i32, j0: i32, j1: i32, c0: i32, c1: i32, gemmWork: usize): void { luUpdate<f64>(out, piv, m, n, j0, j1, c0, c1, gemmWork); }
