import type { Backend, DeviceTensor } from '../backend.ts';
import { BYTES_PER_ELEMENT, type DType } from '../dtype.ts';
import { ArgumentError, ShapeError } from '../errors.ts';
import { checkShape, finiteScalar, kernel, owned, rank, sameDType } from './check.ts';
import type { CostModel } from './cost.ts';

/** C ← α·op(A)·op(B) + β·C, op(A) m×k, op(B) k×n. β = 0 means C is not read (BLAS semantics). */
export interface GemmParams<T = DeviceTensor> {
  a: T;
  b: T;
  c: T;
  m: number;
  n: number;
  k: number;
  transA: boolean;
  transB: boolean;
  alpha: number;
  beta: number;
}

declare module '../backend.ts' {
  interface PrimitiveSignatures<T> {
    gemm(p: GemmParams<T>): void | Promise<void>;
  }
}

/** GEMM: 2mnk flops; compulsory traffic reads A, B (and C when β ≠ 0), writes C. */
export function gemmCost(m: number, n: number, k: number, dtype: DType, beta = 0, batch = 1): CostModel {
  const w = BYTES_PER_ELEMENT[dtype];
  return {
    flops: batch * 2 * m * n * k,
    bytes: batch * w * (m * k + k * n + m * n * (beta === 0 ? 1 : 2)),
  };
}

export interface GemmOptions {
  transA?: boolean;
  transB?: boolean;
  alpha?: number;
  beta?: number;
  /** Output (and input when β ≠ 0). Allocated when omitted; then β must be 0. */
  c?: DeviceTensor;
}

export function gemmDims(a: DeviceTensor, b: DeviceTensor, transA: boolean, transB: boolean, lead: number) {
  const [ar, ac] = [a.shape[lead], a.shape[lead + 1]];
  const [br, bc] = [b.shape[lead], b.shape[lead + 1]];
  const [m, k] = transA ? [ac, ar] : [ar, ac];
  const [kb, n] = transB ? [bc, br] : [br, bc];
  if (k !== kb) {
    throw new ShapeError(
      `gemm: op(a) is ${m}×${k} but op(b) is ${kb}×${n} (inner dimensions differ; transA=${transA}, transB=${transB})`,
    );
  }
  return { m, n, k };
}

export function gemmScalars(o: GemmOptions) {
  const alpha = o.alpha ?? 1;
  const beta = o.beta ?? 0;
  finiteScalar('alpha', alpha);
  finiteScalar('beta', beta);
  if (o.c === undefined && beta !== 0)
    throw new ArgumentError('beta is non-zero but no c was given to accumulate into');
  return { alpha, beta, transA: o.transA ?? false, transB: o.transB ?? false };
}

/** C ← α·op(A)·op(B) + β·C on 2-D tensors. Returns C. */
export async function gemm(be: Backend, a: DeviceTensor, b: DeviceTensor, o: GemmOptions = {}): Promise<DeviceTensor> {
  owned(be, 'a', a);
  owned(be, 'b', b);
  rank('a', a, 2);
  rank('b', b, 2);
  sameDType('b', b, a.dtype);
  const s = gemmScalars(o);
  const { m, n, k } = gemmDims(a, b, s.transA, s.transB, 0);
  const run = kernel(be, 'gemm', a.dtype);
  const c = o.c ?? be.zeros(a.dtype, [m, n]);
  owned(be, 'c', c);
  sameDType('c', c, a.dtype);
  checkShape('c', c, [m, n]);
  await run({ a, b, c, m, n, k, ...s });
  return c;
}
