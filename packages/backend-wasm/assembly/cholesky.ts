// Dense factorizations and triangular solves, row-oriented so every inner loop is a SIMD dot product
// or axpy over contiguous rows (row-major storage). Error bounds are LAPACK's (Higham ch. 9, 10, 8):
// Cholesky |ΔA| ≤ γ_{n+1}|L||Lᵀ|, LU with partial pivoting |ΔA| ≤ γ_n|L||U|, substitution
// |ΔT| ≤ γ_n|T| per right-hand side. Status codes as in @lowrank/core's CholeskyParams, TrsmParams, LuParams.
import { dot } from './dot';
import { gemm } from './gemm';
import { at } from './shared/memory';
import { anyNonFinite } from './shared/factor';
import { hsum, lanes, vmadd } from './shared/simd';

/** Columns of C per GEMM in choleskyUpdate: each block starts at its own diagonal, so the upper triangle costs ≤ half a block. */
const UPDATE_COLUMNS: i32 = 64;

/**
 * Blocked right-looking Cholesky (LAPACK dpotrf, lower) in place in `l`, in phases the glue (src/kernels/cholesky.ts)
 * calls in order, so that the trailing update of each panel runs on every thread while one of them factors the next
 * panel (look-ahead): choleskyStart checks and copies a range of A's rows (on every thread; NaN or ±Inf writes −1 to
 * the status); choleskyPanel factors a panel of columns by Crout over rows,
 * l_ij = (a_ij − L[i, j₀:j]·L[j, j₀:j]) / l_jj and l_ii = √(a_ii − ‖L[i, j₀:i]‖²), for its diagonal block and every
 * row below; choleskyUpdate brings a range of later columns up to date with a panel, A[c:, c:c₁] −= L[c:, p]·L[c:c₁, p]ᵀ,
 * by the GEMM micro-kernel; choleskyFinish zeroes the strict upper triangle, scratch until then. Every element sees
 * the same operations in the same order whatever the column ranges, so any thread count gives the same bits.
 * |ΔA| ≤ γ_{n+1}|L||Lᵀ| (Higham Thm 10.3).
 */
export function choleskyStart<T>(a: usize, l: usize, n: i32, r0: i32, r1: i32, status: usize): void {
  for (let i = r0; i < r1; i++) if (anyNonFinite<T>(at<T>(a, i, 0, n), i + 1)) store<i32>(status, -1);
  memory.copy(at<T>(l, r0, 0, n), at<T>(a, r0, 0, n), <usize>(r1 - r0) * n * sizeof<T>());
}

/** Factors columns [j0, j1), already updated by every earlier panel; a row i that is not positive definite is written to *status as i + 1. */
export function choleskyPanel<T>(l: usize, n: i32, j0: i32, j1: i32, status: usize): void {
  for (let i = j0; i < j1; i++) {
    const li = at<T>(l, i, j0, n);
    for (let j = j0; j <= i; j++) {
      const s = load<T>(at<T>(l, i, j, n)) - <T>dot<T>(li, at<T>(l, j, j0, n), j - j0);
      if (j < i) {
        store<T>(at<T>(l, i, j, n), s / load<T>(at<T>(l, j, j, n)));
      } else {
        if (!(s > 0)) {
          store<i32>(status, i + 1);
          return;
        }
        store<T>(at<T>(l, i, i, n), <T>Math.sqrt(<f64>s));
      }
    }
  }
  for (let i = j1; i < n; i += 4) panelRows4<T>(l, n, j0, j1, i);
}

/**
 * Rows [i, i + 4) below the diagonal block (the last ones repeated past n, unstored): l_rj = (a_rj − L[r, j₀:j]·L[j, j₀:j]) / l_jj
 * for the four rows in one pass over row j of the block, one vector per step. dot() unrolls by four vectors, so its
 * dots of ≤ nb = 32 ran mostly in its scalar tail: this took the panel from a third of Cholesky's time at n = 1024.
 */
function panelRows4<T>(l: usize, n: i32, j0: i32, j1: i32, i: i32): void {
  const rows = min(4, n - i), last = n - 1, size = <usize>sizeof<T>();
  const r0 = at<T>(l, i, j0, n), r1 = at<T>(l, min(i + 1, last), j0, n);
  const r2 = at<T>(l, min(i + 2, last), j0, n), r3 = at<T>(l, min(i + 3, last), j0, n);
  for (let j = j0; j < j1; j++) {
    const y = at<T>(l, j, j0, n), len = j - j0;
    let a0 = v128.splat<T>(0), a1 = v128.splat<T>(0), a2 = v128.splat<T>(0), a3 = v128.splat<T>(0);
    let k = 0;
    for (; k + lanes<T>() <= len; k += lanes<T>()) {
      const o = <usize>k * size, v = v128.load(y + o);
      a0 = vmadd<T>(v128.load(r0 + o), v, a0);
      a1 = vmadd<T>(v128.load(r1 + o), v, a1);
      a2 = vmadd<T>(v128.load(r2 + o), v, a2);
      a3 = vmadd<T>(v128.load(r3 + o), v, a3);
    }
    let s0 = hsum<T>(a0), s1 = hsum<T>(a1), s2 = hsum<T>(a2), s3 = hsum<T>(a3);
    for (; k < len; k++) {
      const o = <usize>k * size, v = load<T>(y + o);
      s0 += load<T>(r0 + o) * v;
      s1 += load<T>(r1 + o) * v;
      s2 += load<T>(r2 + o) * v;
      s3 += load<T>(r3 + o) * v;
    }
    const d = load<T>(at<T>(l, j, j, n)), o = <usize>len * size;
    store<T>(r0 + o, (load<T>(r0 + o) - s0) / d);
    if (rows > 1) store<T>(r1 + o, (load<T>(r1 + o) - s1) / d);
    if (rows > 2) store<T>(r2 + o, (load<T>(r2 + o) - s2) / d);
    if (rows > 3) store<T>(r3 + o, (load<T>(r3 + o) - s3) / d);
  }
}

/** Columns [c0, c1), right of the factored panel [j0, j1): rows from each block's diagonal down, in blocks of UPDATE_COLUMNS. */
export function choleskyUpdate<T>(l: usize, n: i32, j0: i32, j1: i32, c0: i32, c1: i32, gemmWork: usize): void {
  for (let c = c0; c < c1; c += UPDATE_COLUMNS) {
    const cols = min(UPDATE_COLUMNS, c1 - c);
    gemm<T>(false, true, n - c, cols, j1 - j0, <T>-1, at<T>(l, c, j0, n), n, at<T>(l, c, j0, n), n, <T>1, at<T>(l, c, c, n), n, gemmWork);
  }
}

export function choleskyFinish<T>(l: usize, n: i32): void {
  for (let i = 0; i < n - 1; i++) memory.fill(at<T>(l, i, i + 1, n), 0, <usize>(n - i - 1) * sizeof<T>());
}

// The exports, as src/abi.ts declares them (index.ts re-exports every one).
export function choleskyStart_f32(a: usize, l: usize, n: i32, r0: i32, r1: i32, status: usize): void { choleskyStart<f32>(a, l, n, r0, r1, status); }
export function choleskyStart_f64(a: usize, l: usize, n: i32, r0: i32, r1: i32, status: usize): void { choleskyStart<f64>(a, l, n, r0, r1, status); }
export function choleskyPanel_f32(l: usize, n: i32, j0: i32, j1: i32, status: usize): void { choleskyPanel<f32>(l, n, j0, j1, status); }
export function choleskyPanel_f64(l: usize, n: i32, j0: i32, j1: i32, status: usize): void { choleskyPanel<f64>(l, n, j0, j1, status); }
export function choleskyUpdate_f32(l: usize, n: i32, j0: i32, j1: i32, c0: i32, c1: i32, gemmWork: usize): void { choleskyUpdate<f32>(l, n, j0, j1, c0, c1, gemmWork); }
export function choleskyUpdate_f64(l: usize, n: i32, j0: i32, j1: i32, c0: i32, c1: i32, gemmWork: usize): void { choleskyUpdate<f64>(l, n, j0, j1, c0, c1, gemmWork); }
export function choleskyFinish_f32(l: usize, n: i32): void { choleskyFinish<f32>(l, n); }
export function choleskyFinish_f64(l: usize, n: i32): void { choleskyFinish<f64>(l, n); }
