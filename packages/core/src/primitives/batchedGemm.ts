import type { Backend, DeviceTensor } from '../backend.ts';
import { ShapeError } from '../errors.ts';
import { checkShape, kernel, owned, rank, sameDType } from './check.ts';
import { gemmDims, type GemmOptions, type GemmParams, gemmScalars } from './gemm.ts';

/** `batch` independent GEMMs on [batch, rows, cols] tensors. */
export interface BatchedGemmParams<T = DeviceTensor> extends GemmParams<T> {
  batch: number;
}

declare module '../backend.ts' {
  interface PrimitiveSignatures<T> {
    batchedGemm(p: BatchedGemmParams<T>): void | Promise<void>;
  }
}

/** `batch` GEMMs over [batch, rows, cols] tensors. Returns C [batch, m, n]. */
export async function batchedGemm(
  be: Backend,
  a: DeviceTensor,
  b: DeviceTensor,
  o: GemmOptions = {},
): Promise<DeviceTensor> {
  owned(be, 'a', a);
  owned(be, 'b', b);
  rank('a', a, 3);
  rank('b', b, 3);
  sameDType('b', b, a.dtype);
  const batch = a.shape[0];
  if (b.shape[0] !== batch) throw new ShapeError(`batchedGemm: a has batch ${batch} but b has batch ${b.shape[0]}`);
  const s = gemmScalars(o);
  const { m, n, k } = gemmDims(a, b, s.transA, s.transB, 1);
  const run = kernel(be, 'batchedGemm', a.dtype);
  const c = o.c ?? be.zeros(a.dtype, [batch, m, n]);
  owned(be, 'c', c);
  sameDType('c', c, a.dtype);
  checkShape('c', c, [batch, m, n]);
  await run({ a, b, c, m, n, k, batch, ...s });
  return c;
}
