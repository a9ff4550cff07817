/**
 * The primitives of the foundation, one file each: its parameter type, its entry in the kernel
 * signatures, its cost model (flops counted as in LAPACK working notes, compulsory bytes) and its
 * checked front end (exported as `ops.<name>` by ops.ts). Kernels live at the same name in every
 * backend: backend-ref/src/kernels/<name>.ts, backend-wasm/{assembly,src/kernels}/<name>.ts,
 * backend-webgpu/src/kernels/<name>.ts.
 */
import type { PrimitiveName } from '../backend.ts';

/** Every primitive, in the order tables list them; a compile error below when one is missing. */
export const PRIMITIVES = [
  'gemm',
  'batchedGemm',
  'gemv',
  'dot',
  'axpy',
  'scal',
  'nrm2',
  'unary',
  'binary',
  'reduce',
  'transpose',
  'random',
  'cholesky',
  'trsm',
  'lu',
  'qr',
  'svd',
  'syev',
  'sddmm',
  'spmm',
  'sor',
  'fft',
  'dct',
  'kalman',
  'geev',
] as const satisfies readonly PrimitiveName[];
type Unlisted = Exclude<PrimitiveName, (typeof PRIMITIVES)[number]>;
const _allListed: [Unlisted] extends [never] ? true : Unlisted = true;

export type { CostModel } from './cost.ts';
export { streamCost } from './cost.ts';
export { gemmCost } from './gemm.ts';
export type { GemmParams } from './gemm.ts';
export type { BatchedGemmParams } from './batchedGemm.ts';
export { gemvCost } from './gemv.ts';
export type { GemvParams } from './gemv.ts';
export type { DotParams } from './dot.ts';
export type { AxpyParams } from './axpy.ts';
export type { ScalParams } from './scal.ts';
export type { Nrm2Params } from './nrm2.ts';
export { UNARY_OPS } from './unary.ts';
export type { UnaryOp, UnaryParams } from './unary.ts';
export { BINARY_OPS } from './binary.ts';
export type { BinaryOp, BinaryParams } from './binary.ts';
export { REDUCE_OPS } from './reduce.ts';
export type { ReduceOp, ReduceAxis, ReduceParams } from './reduce.ts';
export type { TransposeParams } from './transpose.ts';
export type { RandomParams } from './random.ts';
export { choleskyCost } from './cholesky.ts';
export type { CholeskyParams } from './cholesky.ts';
export { trsmCost } from './trsm.ts';
export type { TrsmParams } from './trsm.ts';
export { luCost } from './lu.ts';
export type { LuParams } from './lu.ts';
export { qrCost } from './qr.ts';
export type { QrParams } from './qr.ts';
export { jacobiSvdCost, svdCost } from './svd.ts';
export type { SvdParams } from './svd.ts';
export { syevCost } from './syev.ts';
export type { SyevParams } from './syev.ts';
export { sddmmCost } from './sddmm.ts';
export type { SddmmParams } from './sddmm.ts';
export { spmmCost } from './spmm.ts';
export type { SpmmParams } from './spmm.ts';
export { sorCost } from './sor.ts';
export type { SorParams } from './sor.ts';
export { fftCost } from './fft.ts';
export type { FftParams } from './fft.ts';
export { dctCost, dctFftLength } from './dct.ts';
export type { DctKind, DctParams } from './dct.ts';
export { kalmanCost } from './kalman.ts';
export type { KalmanParams, KalmanResult } from './kalman.ts';
export { geevCost, unpackEigenvectors } from './geev.ts';
export type { GeevParams, Geev } from './geev.ts';
