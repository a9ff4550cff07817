import type { Backend, DeviceTensor } from '../backend.ts';
import { BYTES_PER_ELEMENT, type DType } from '../dtype.ts';
import { NonFiniteError, NumericalError } from '../errors.ts';
import { kernel, owned, square } from './check.ts';
import type { CostModel } from './cost.ts';

/**
 * Symmetric eigendecomposition A (n×n, only its lower triangle read) = Z·diag(w)·Zᵀ by Householder
 * tridiagonalization, then implicit QL with Wilkinson shifts (LAPACK dsytrd + dsteqr) or divide and
 * conquer (dstedc; WASM with vectors): w (n) sorted descending, Z (n×n, or 0×n when `vectors` is false)
 * orthonormal eigenvectors as columns. Returns the QL iterations (≥ 0; 0 by divide and conquer), −1 for
 * NaN/±Inf input, or −2 when QL did not converge within 30·n iterations.
 */
export interface SyevParams<T = DeviceTensor> {
  a: T;
  w: T;
  z: T;
  n: number;
  vectors: boolean;
}

declare module '../backend.ts' {
  interface PrimitiveSignatures<T> {
    syev(p: SyevParams<T>): number | Promise<number>;
  }
}

/**
 * Nominal flops, one count for every backend so rates compare: the tridiagonal QR method's, tridiagonalization
 * 4n³/3 (on full storage, as the kernels do it: 2n³), Qᵀ 4n³/3, QL rotations about 3n³ (two iterations per
 * eigenvalue, 6n flops per rotation, n/2 long). Divide and conquer (WASM) does the last part in ≤ 4n³/3 of
 * GEMM, less as it deflates, so its rate reads above the flops it ran.
 */
export function syevCost(n: number, dtype: DType): CostModel {
  return { flops: (2 + 4 / 3 + 3) * n ** 3, bytes: BYTES_PER_ELEMENT[dtype] * 3 * n * n };
}

export interface Syev {
  values: DeviceTensor;
  vectors: DeviceTensor;
  iterations: number;
}

/**
 * Symmetric eigendecomposition by the tridiagonal `syev` kernel (only A's lower triangle is read): values
 * descending, eigenvectors as the columns of `vectors` (0×n with `valuesOnly`).
 * NonFiniteError for NaN/Inf, NumericalError if QL has not converged within 30·n iterations.
 */
export async function syev(be: Backend, a: DeviceTensor, o: { valuesOnly?: boolean } = {}): Promise<Syev> {
  owned(be, 'a', a);
  const n = square('a', a);
  const run = kernel(be, 'syev', a.dtype);
  const vectors = o.valuesOnly !== true;
  const w = be.zeros(a.dtype, [n]);
  const z = be.zeros(a.dtype, vectors ? [n, n] : [0, n]);
  const status = await run({ a, w, z, n, vectors });
  if (status < 0) {
    be.dispose(w);
    be.dispose(z);
    if (status === -1) throw new NonFiniteError('syev: a contains NaN or ±Inf');
    throw new NumericalError(`syev: the tridiagonal QL iteration did not converge in ${30 * n} iterations`);
  }
  return { values: w, vectors: z, iterations: status };
}
