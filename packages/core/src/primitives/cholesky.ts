import type { Backend, DeviceTensor } from '../backend.ts';
import { BYTES_PER_ELEMENT, type DType } from '../dtype.ts';
import { NonFiniteError, NumericalError } from '../errors.ts';
import { kernel, owned, square } from './check.ts';
import type { CostModel } from './cost.ts';

/**
 * Cholesky factor L (lower, A = L·Lᵀ) of a symmetric n×n A, reading only A's lower triangle; L's
 * strict upper triangle is written with zeros. Returns a status: 0 success, j + 1 when the leading
 * minor of order j + 1 is not positive definite (LAPACK's potrf info), −1 when A holds NaN or ±Inf.
 */
export interface CholeskyParams<T = DeviceTensor> {
  a: T;
  l: T;
  n: number;
}

declare module '../backend.ts' {
  interface PrimitiveSignatures<T> {
    cholesky(p: CholeskyParams<T>): number | Promise<number>;
  }
}

/** Cholesky: n³/3 flops; reads the lower triangle, writes L. */
export function choleskyCost(n: number, dtype: DType): CostModel {
  return { flops: n ** 3 / 3, bytes: BYTES_PER_ELEMENT[dtype] * 2 * n * n };
}

/**
 * Cholesky factor L of a symmetric positive definite A (only its lower triangle is read).
 * Throws NumericalError naming the failing pivot, NonFiniteError for NaN/Inf input.
 */
export async function cholesky(be: Backend, a: DeviceTensor): Promise<DeviceTensor> {
  owned(be, 'a', a);
  const n = square('a', a);
  const run = kernel(be, 'cholesky', a.dtype);
  const l = be.zeros(a.dtype, [n, n]);
  const info = await run({ a, l, n });
  if (info !== 0) {
    be.dispose(l);
    if (info < 0) throw new NonFiniteError('cholesky: a contains NaN or ±Inf');
    throw new NumericalError(
      `cholesky: a is not positive definite: the leading minor of order ${info} is not positive (pivot ${info - 1})`,
    );
  }
  return l;
}
