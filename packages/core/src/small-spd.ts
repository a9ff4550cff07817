import { NumericalError } from './errors.ts';

/**
 * Small dense symmetric positive definite systems on the host, in f64: the k×k and m×m systems that
 * batched algorithms solve one per row (AltMin's normal equations, its sketch preconditioners, M-FAC's
 * window). Matrices are row-major n×n blocks at an offset inside a larger array, so a batch of them
 * lives in one allocation. Cost n³/3 per factorization, n² per triangular solve: O(n) below the
 * products that feed them, which run on a backend.
 */

/** Overwrites the lower triangle of the block at `off` with its Cholesky factor L (A = L·Lᵀ); the strict upper triangle is left alone. */
export function choleskyInPlace(a: Float64Array, n: number, off = 0, what = 'matrix'): void {
  for (let j = 0; j < n; j++) {
    let s = a[off + j * n + j];
    for (let k = 0; k < j; k++) s -= a[off + j * n + k] ** 2;
    if (!(s > 0)) throw new NumericalError(`Cholesky of ${what}: not positive definite at pivot ${j} (${s})`);
    const d = Math.sqrt(s);
    a[off + j * n + j] = d;
    for (let i = j + 1; i < n; i++) {
      let t = a[off + i * n + j];
      for (let k = 0; k < j; k++) t -= a[off + i * n + k] * a[off + j * n + k];
      a[off + i * n + j] = t / d;
    }
  }
}

/** x ← L⁻¹·x for the lower factor at `lOff` and the n-vector at `xOff`. */
export function solveLower(l: Float64Array, n: number, x: Float64Array, lOff = 0, xOff = 0): void {
  for (let i = 0; i < n; i++) {
    let s = x[xOff + i];
    for (let k = 0; k < i; k++) s -= l[lOff + i * n + k] * x[xOff + k];
    x[xOff + i] = s / l[lOff + i * n + i];
  }
}

/** x ← L⁻ᵀ·x for the lower factor at `lOff` and the n-vector at `xOff`. */
export function solveLowerTransposed(l: Float64Array, n: number, x: Float64Array, lOff = 0, xOff = 0): void {
  for (let i = n - 1; i >= 0; i--) {
    let s = x[xOff + i];
    for (let k = i + 1; k < n; k++) s -= l[lOff + k * n + i] * x[xOff + k];
    x[xOff + i] = s / l[lOff + i * n + i];
  }
}

/** The lower Cholesky factor of an n×n SPD matrix, as a new array (upper triangle zero). */
export function choleskyFactor(a: ArrayLike<number>, n: number, what = 'matrix'): Float64Array {
  const l = Float64Array.from(a);
  choleskyInPlace(l, n, 0, what);
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) l[i * n + j] = 0;
  return l;
}

/** Solves L·Lᵀ·x = b for the factor from `choleskyFactor`. */
export function choleskySolve(l: Float64Array, n: number, b: ArrayLike<number>): Float64Array {
  const x = Float64Array.from(b);
  solveLower(l, n, x);
  solveLowerTransposed(l, n, x);
  return x;
}
