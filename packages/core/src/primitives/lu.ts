import type { Backend, DeviceTensor } from '../backend.ts';
import { BYTES_PER_ELEMENT, type DType } from '../dtype.ts';
import { NonFiniteError } from '../errors.ts';
import { kernel, owned, rank } from './check.ts';
import type { CostModel } from './cost.ts';

/**
 * LU with partial pivoting of an m×n A: P·A = L·U with L unit lower (m×min) and U upper (min×n),
 * both packed into `lu` (m×n) as LAPACK's getrf does; `piv[j]` (as a float) is the row swapped with
 * row j at step j. Returns 0, j + 1 for the first exactly zero pivot (U singular; the factors are still
 * complete), or −1 when A holds NaN or ±Inf.
 */
export interface LuParams<T = DeviceTensor> {
  a: T;
  lu: T;
  piv: T;
  m: number;
  n: number;
}

declare module '../backend.ts' {
  interface PrimitiveSignatures<T> {
    lu(p: LuParams<T>): number | Promise<number>;
  }
}

/** LU of m×n (m ≥ n): m·n² − n³/3 flops (LAWN 41). */
export function luCost(m: number, n: number, dtype: DType): CostModel {
  const k = Math.min(m, n);
  return { flops: m * n * k - ((m + n) * k * k) / 2 + k ** 3 / 3, bytes: BYTES_PER_ELEMENT[dtype] * 2 * m * n };
}

export interface LuResult {
  /** L (unit lower, below the diagonal) and U (upper, on and above it), packed as LAPACK's getrf. */
  lu: DeviceTensor;
  /** Row interchanges: at step j, row j was swapped with row pivots[j]. */
  pivots: Int32Array;
  /** Index of the first exactly zero pivot (U singular), or null. */
  singularAt: number | null;
}

/** LU with partial pivoting. Throws NonFiniteError for NaN/Inf input; a singular A is reported in `singularAt`. */
export async function lu(be: Backend, a: DeviceTensor): Promise<LuResult> {
  owned(be, 'a', a);
  rank('a', a, 2);
  const [m, n] = a.shape;
  const run = kernel(be, 'lu', a.dtype);
  const out = be.zeros(a.dtype, [m, n]);
  const piv = be.zeros(a.dtype, [Math.min(m, n)]);
  const info = await run({ a, lu: out, piv, m, n });
  const pivots = Int32Array.from((await be.download(piv)).data);
  be.dispose(piv);
  if (info < 0) {
    be.dispose(out);
    throw new NonFiniteError('lu: a contains NaN or ±Inf');
  }
  return { lu: out, pivots, singularAt: info > 0 ? info - 1 : null };
}
