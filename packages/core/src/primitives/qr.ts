import type { Backend, DeviceTensor } from '../backend.ts';
import { BYTES_PER_ELEMENT, type DType } from '../dtype.ts';
import { NonFiniteError } from '../errors.ts';
import { kernel, owned, rank } from './check.ts';
import type { CostModel } from './cost.ts';

/**
 * Thin QR by Householder reflections (LAPACK geqrf + orgqr): A (m×n) = Q·R with Q m×k orthonormal
 * columns and R k×n upper trapezoidal, k = min(m, n); R's diagonal carries LAPACK's signs
 * (β = −sign(α)·‖x‖). Returns 0, or −1 when A holds NaN or ±Inf.
 */
export interface QrParams<T = DeviceTensor> {
  a: T;
  q: T;
  r: T;
  m: number;
  n: number;
}

declare module '../backend.ts' {
  interface PrimitiveSignatures<T> {
    qr(p: QrParams<T>): number | Promise<number>;
  }
}

/**
 * Householder QR with explicit thin Q, k = min(m, n) (LAWN 41): R 2mnk − 2k³/3 (dgeqrf: 2mn² − 2n³/3
 * for m ≥ n) and Q (m×k from k reflectors, dorgqr) 2mk² − 2k³/3, as much again for a tall A.
 */
export function qrCost(m: number, n: number, dtype: DType): CostModel {
  const k = Math.min(m, n);
  return {
    flops: 2 * m * n * k + 2 * m * k * k - (4 * k ** 3) / 3,
    bytes: BYTES_PER_ELEMENT[dtype] * (m * n + m * k + k * n),
  };
}

/** Thin QR: A = Q·R with Q (m×k) orthonormal columns, R (k×n) upper, k = min(m, n). NonFiniteError for NaN/Inf. */
export async function qr(be: Backend, a: DeviceTensor): Promise<{ q: DeviceTensor; r: DeviceTensor }> {
  owned(be, 'a', a);
  rank('a', a, 2);
  const [m, n] = a.shape;
  const k = Math.min(m, n);
  const run = kernel(be, 'qr', a.dtype);
  const q = be.zeros(a.dtype, [m, k]);
  const r = be.zeros(a.dtype, [k, n]);
  if ((await run({ a, q, r, m, n })) < 0) {
    be.dispose(q);
    be.dispose(r);
    throw new NonFiniteError('qr: a contains NaN or ±Inf');
  }
  return { q, r };
}
