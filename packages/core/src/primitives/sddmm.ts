import type { Backend, DeviceTensor } from '../backend.ts';
import { BYTES_PER_ELEMENT, type DType } from '../dtype.ts';
import type { SparsePattern } from '../sparse.ts';
import { checkShape, finiteScalar, kernel, owned, rank, sameDType } from './check.ts';
import type { CostModel } from './cost.ts';

/**
 * Sampled dense–dense product (SDDMM): out[e] = α·Σ_l U[rows[e], l]·V[cols[e], l], the entries of
 * α·U·Vᵀ on the pattern Ω only (the AltMin residual on observed entries). U m×k, V n×k, out nnz.
 */
export interface SddmmParams<T = DeviceTensor> {
  u: T;
  v: T;
  out: T;
  pattern: SparsePattern;
  m: number;
  n: number;
  k: number;
  alpha: number;
}

declare module '../backend.ts' {
  interface PrimitiveSignatures<T> {
    sddmm(p: SddmmParams<T>): void | Promise<void>;
  }
}

/** SDDMM: 2·k flops per sampled entry; reads two rows of k and an index pair, writes one value. */
export function sddmmCost(nnz: number, k: number, dtype: DType): CostModel {
  return { flops: 2 * nnz * k, bytes: nnz * (BYTES_PER_ELEMENT[dtype] * (2 * k + 1) + 8) };
}

/**
 * The entries of α·U·Vᵀ on a sparse pattern (SDDMM): out[e] = α·U[rows[e], :]·V[cols[e], :].
 * U is m×k and V n×k with m, n the pattern's; returns `out` (nnz), new unless given.
 */
export async function sddmm(
  be: Backend,
  u: DeviceTensor,
  v: DeviceTensor,
  pattern: SparsePattern,
  o: { alpha?: number; out?: DeviceTensor } = {},
): Promise<DeviceTensor> {
  owned(be, 'u', u);
  owned(be, 'v', v);
  rank('u', u, 2);
  rank('v', v, 2);
  sameDType('v', v, u.dtype);
  const [m, k] = u.shape;
  checkShape('u', u, [pattern.m, k]);
  checkShape('v', v, [pattern.n, k]);
  const alpha = o.alpha ?? 1;
  finiteScalar('alpha', alpha);
  const run = kernel(be, 'sddmm', u.dtype);
  const out = o.out ?? be.zeros(u.dtype, [pattern.nnz]);
  owned(be, 'out', out);
  sameDType('out', out, u.dtype);
  checkShape('out', out, [pattern.nnz]);
  if (pattern.nnz > 0) await run({ u, v, out, pattern, m, n: pattern.n, k, alpha });
  return out;
}
