import type { Backend, DeviceTensor } from '../backend.ts';
import { BYTES_PER_ELEMENT, type DType } from '../dtype.ts';
import type { SparsePattern } from '../sparse.ts';
import { checkShape, finiteScalar, kernel, owned, rank, sameDType } from './check.ts';
import type { CostModel } from './cost.ts';

/**
 * Sparse times dense (SpMM): out (m×k) = α·S·B, S the m×n matrix with values `vals` (nnz) on the
 * pattern, B n×k: out[i, :] = α·Σ_{e in row i} vals[e]·B[cols[e], :] (the AltMin gradient Sᵀ·U
 * through the transposed pattern). Each output row sums its entries in pattern order.
 */
export interface SpmmParams<T = DeviceTensor> {
  vals: T;
  b: T;
  out: T;
  pattern: SparsePattern;
  m: number;
  n: number;
  k: number;
  alpha: number;
}

declare module '../backend.ts' {
  interface PrimitiveSignatures<T> {
    spmm(p: SpmmParams<T>): void | Promise<void>;
  }
}

/** SpMM: 2·k flops per entry; reads a value, an index and a row of B per entry, writes m rows of k. */
export function spmmCost(nnz: number, m: number, k: number, dtype: DType): CostModel {
  const w = BYTES_PER_ELEMENT[dtype];
  return { flops: 2 * nnz * k, bytes: nnz * (w * (k + 1) + 8) + m * k * w };
}

/** out (m×k) = α·S·B for the sparse S with values `vals` on `pattern` (m×n) and dense B (n×k). */
export async function spmm(
  be: Backend,
  pattern: SparsePattern,
  vals: DeviceTensor,
  b: DeviceTensor,
  o: { alpha?: number; out?: DeviceTensor } = {},
): Promise<DeviceTensor> {
  owned(be, 'vals', vals);
  owned(be, 'b', b);
  rank('b', b, 2);
  sameDType('b', b, vals.dtype);
  checkShape('vals', vals, [pattern.nnz]);
  const k = b.shape[1];
  checkShape('b', b, [pattern.n, k]);
  const alpha = o.alpha ?? 1;
  finiteScalar('alpha', alpha);
  const run = kernel(be, 'spmm', b.dtype);
  const out = o.out ?? be.zeros(b.dtype, [pattern.m, k]);
  owned(be, 'out', out);
  sameDType('out', out, b.dtype);
  checkShape('out', out, [pattern.m, k]);
  if (pattern.m * k > 0) await run({ vals, b, out, pattern, m: pattern.m, n: pattern.n, k, alpha });
  return out;
}
