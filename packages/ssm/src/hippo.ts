/**
 * HiPPO-LegS, the state matrix S4 is initialized with (Gu et al., "Efficiently modeling long sequences with
 * structured state spaces", §2 and Appendix C.1), and its normal-plus-low-rank split:
 *
 *   A_nk = −√(2n+1)·√(2k+1)  (n > k),   −(n+1)  (n = k),   0  (n < k);      B_n = √(2n+1),
 *   A = A_N − P·Pᵀ with P_n = √(n + ½), so A_N = −½·I + S, S skew-symmetric: normal, unitarily diagonalizable.
 *
 * A is lower triangular with eigenvalues −1, …, −N, distinct, yet its eigenvector matrix has κ₂ growing like 2^N
 * (Yu et al., S06 §3): diagonalizing it in floating point is ill-posed. S4D drops P·Pᵀ and diagonalizes A_N.
 * Row-major n×n arrays, f64 on the host: the matrices are exact formulas, not data.
 */
import { ArgumentError } from '@lowrank/core';

export interface HippoLegS {
  n: number;
  /** A (n×n, row-major). */
  a: Float64Array;
  /** B (n). */
  b: Float64Array;
  /** P (n), the low-rank factor: A = A_N − P·Pᵀ. */
  p: Float64Array;
  /** A_N = A + P·Pᵀ (n×n), the normal part S4D diagonalizes. */
  normal: Float64Array;
}

export function hippoLegS(n: number): HippoLegS {
  if (!Number.isInteger(n) || n < 1)
    throw new ArgumentError(`hippoLegS: the state size must be a positive integer, got ${n}`);
  const r = Float64Array.from({ length: n }, (_, i) => Math.sqrt(2 * i + 1));
  const p = Float64Array.from({ length: n }, (_, i) => Math.sqrt(i + 0.5));
  const a = new Float64Array(n * n),
    normal = new Float64Array(n * n);
  for (let i = 0; i < n; i++)
    for (let k = 0; k < n; k++) {
      a[i * n + k] = i > k ? -r[i] * r[k] : i === k ? -(i + 1) : 0;
      // A_N's entries in closed form (−½ on the diagonal, ∓½√((2n+1)(2k+1)) off it), not A + PPᵀ rounded.
      normal[i * n + k] = i === k ? -0.5 : (i > k ? -0.5 : 0.5) * r[i] * r[k];
    }
  return { n, a, b: r, p, normal };
}
