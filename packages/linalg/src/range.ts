/**
 * Range scaling: a power of two that brings max|a_ij| near 1 before a method whose intermediate
 * quantities square the entries (AᵀA, squared column norms, ε·|d| deflation tests), as LAPACK's
 * drivers scale by ‖A‖. Exact, and undone on the results.
 */
import { ops, type Backend, type DeviceTensor, type DType } from '@lowrank/core';

/** The exponent range |log₂ max|a_ij|| within which AᵀA and Jacobi's squared column norms stay normal numbers. */
const SAFE_EXPONENT: Readonly<Record<DType, number>> = { f64: 200, f32: 30, f16: 6 };

/**
 * A power of two that brings max|a_ij| near 1 when it lies outside 2^±SAFE_EXPONENT, else 1 (LAPACK's
 * dgesvd scales by ‖A‖ the same way): exact, and undone on the singular values. 1 for a zero A, NaN
 * when A holds NaN or ±Inf.
 */
export async function rangeScale(be: Backend, a: DeviceTensor): Promise<number> {
  if (a.size === 0) return 1;
  const maxima = await ops.reduce(be, 'absmax', a, 'rows');
  let big = 0;
  for (const x of (await be.download(maxima)).data) big = x > big || Number.isNaN(x) ? x : big;
  be.dispose(maxima);
  if (!Number.isFinite(big)) return NaN;
  if (big === 0) return 1;
  const e = Math.floor(Math.log2(big));
  return Math.abs(e) <= SAFE_EXPONENT[a.dtype] ? 1 : 2 ** -e;
}
