import type { DeviceTensor } from './backend.ts';
import { BYTES_PER_ELEMENT, type DType } from './dtype.ts';
import type { Distribution } from './rng/stream.ts';

/** The primitives of the foundation. Each has a parameter type, a flop model and a byte model. */
export const PRIMITIVES = [
  'gemm', 'batchedGemm', 'gemv', 'dot', 'axpy', 'scal', 'nrm2',
  'unary', 'binary', 'reduce', 'transpose', 'random',
] as const;
export type PrimitiveName = (typeof PRIMITIVES)[number];

export const UNARY_OPS = ['neg', 'abs', 'square', 'sqrt', 'exp', 'log', 'tanh', 'relu', 'reciprocal'] as const;
export type UnaryOp = (typeof UNARY_OPS)[number];
export const BINARY_OPS = ['add', 'sub', 'mul', 'div', 'max', 'min'] as const;
export type BinaryOp = (typeof BINARY_OPS)[number];
export const REDUCE_OPS = ['sum', 'sumsq', 'max', 'min', 'absmax'] as const;
export type ReduceOp = (typeof REDUCE_OPS)[number];
/** `rows`: one result per row (reduce along columns); `cols`: one result per column. */
export type ReduceAxis = 'rows' | 'cols';

/** C ← α·op(A)·op(B) + β·C, op(A) m×k, op(B) k×n. β = 0 means C is not read (BLAS semantics). */
export interface GemmParams<T = DeviceTensor> {
  a: T; b: T; c: T;
  m: number; n: number; k: number;
  transA: boolean; transB: boolean;
  alpha: number; beta: number;
}
/** `batch` independent GEMMs on [batch, rows, cols] tensors. */
export interface BatchedGemmParams<T = DeviceTensor> extends GemmParams<T> { batch: number }
/** y ← α·op(A)·x + β·y, A m×n stored. */
export interface GemvParams<T = DeviceTensor> {
  a: T; x: T; y: T; m: number; n: number; trans: boolean; alpha: number; beta: number;
}
export interface DotParams<T = DeviceTensor> { x: T; y: T; n: number }
/** y ← α·x + y. */
export interface AxpyParams<T = DeviceTensor> { alpha: number; x: T; y: T; n: number }
/** x ← α·x. */
export interface ScalParams<T = DeviceTensor> { alpha: number; x: T; n: number }
export interface Nrm2Params<T = DeviceTensor> { x: T; n: number }
export interface UnaryParams<T = DeviceTensor> { op: UnaryOp; x: T; out: T; n: number }
export interface BinaryParams<T = DeviceTensor> { op: BinaryOp; x: T; y: T; out: T; n: number }
export interface ReduceParams<T = DeviceTensor> {
  op: ReduceOp; axis: ReduceAxis; x: T; out: T; rows: number; cols: number;
}
export interface TransposeParams<T = DeviceTensor> { x: T; out: T; rows: number; cols: number }
export interface RandomParams<T = DeviceTensor> {
  out: T; n: number; dist: Distribution; seed: number; stream: number; offset: number;
}

/** What a kernel receives and returns. Every method may be sync or async. */
export interface PrimitiveSignatures<T> {
  gemm(p: GemmParams<T>): void | Promise<void>;
  batchedGemm(p: BatchedGemmParams<T>): void | Promise<void>;
  gemv(p: GemvParams<T>): void | Promise<void>;
  dot(p: DotParams<T>): number | Promise<number>;
  axpy(p: AxpyParams<T>): void | Promise<void>;
  scal(p: ScalParams<T>): void | Promise<void>;
  nrm2(p: Nrm2Params<T>): number | Promise<number>;
  unary(p: UnaryParams<T>): void | Promise<void>;
  binary(p: BinaryParams<T>): void | Promise<void>;
  reduce(p: ReduceParams<T>): void | Promise<void>;
  transpose(p: TransposeParams<T>): void | Promise<void>;
  random(p: RandomParams<T>): void | Promise<void>;
}
export type KernelTable<T> = Partial<PrimitiveSignatures<T>>;

/** Work and traffic of one call: flops counted as in LAPACK working notes (a multiply-add = 2). */
export interface CostModel { flops: number; bytes: number }

/** GEMM: 2mnk flops; compulsory traffic reads A, B (and C when β ≠ 0), writes C. */
export function gemmCost(m: number, n: number, k: number, dtype: DType, beta = 0, batch = 1): CostModel {
  const w = BYTES_PER_ELEMENT[dtype];
  return {
    flops: batch * 2 * m * n * k,
    bytes: batch * w * (m * k + k * n + m * n * (beta === 0 ? 1 : 2)),
  };
}

export function gemvCost(m: number, n: number, dtype: DType): CostModel {
  return { flops: 2 * m * n, bytes: BYTES_PER_ELEMENT[dtype] * (m * n + m + n) };
}

/** Level-1 and elementwise: `flopsPerElement` per element, `arrays` arrays of n elements moved. */
export function streamCost(n: number, dtype: DType, flopsPerElement: number, arrays: number): CostModel {
  return { flops: n * flopsPerElement, bytes: n * arrays * BYTES_PER_ELEMENT[dtype] };
}
