import type { DeviceTensor } from './backend.ts';
import { BYTES_PER_ELEMENT, type DType } from './dtype.ts';
import type { Distribution } from './rng/stream.ts';
import type { SparsePattern } from './sparse.ts';

/** The primitives of the foundation. Each has a parameter type, a flop model and a byte model. */
export const PRIMITIVES = [
  'gemm', 'batchedGemm', 'gemv', 'dot', 'axpy', 'scal', 'nrm2',
  'unary', 'binary', 'reduce', 'transpose', 'random',
  'cholesky', 'trsm', 'lu', 'qr', 'svd', 'syev', 'sddmm', 'spmm',
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

/**
 * Cholesky factor L (lower, A = L·Lᵀ) of a symmetric n×n A, reading only A's lower triangle; L's
 * strict upper triangle is written with zeros. Returns a status: 0 success, j + 1 when the leading
 * minor of order j + 1 is not positive definite (LAPACK's potrf info), −1 when A holds NaN or ±Inf.
 */
export interface CholeskyParams<T = DeviceTensor> { a: T; l: T; n: number }
/**
 * Triangular solve with many right-hand sides, in place: B (n×m) ← α·op(T)⁻¹·B, T n×n lower or
 * upper, op(T) = T or Tᵀ, unit diagonal optional. Returns 0, or j + 1 for the first zero on T's diagonal.
 */
export interface TrsmParams<T = DeviceTensor> {
  t: T; b: T; n: number; m: number; lower: boolean; trans: boolean; unitDiag: boolean; alpha: number;
}
/**
 * LU with partial pivoting of an m×n A: P·A = L·U with L unit lower (m×min) and U upper (min×n),
 * both packed into `lu` (m×n) as LAPACK's getrf does; `piv[j]` (as a float) is the row swapped with
 * row j at step j. Returns 0, j + 1 for the first exactly zero pivot (U singular; the factors are still
 * complete), or −1 when A holds NaN or ±Inf.
 */
export interface LuParams<T = DeviceTensor> { a: T; lu: T; piv: T; m: number; n: number }

/**
 * Thin QR by Householder reflections (LAPACK geqrf + orgqr): A (m×n) = Q·R with Q m×k orthonormal
 * columns and R k×n upper trapezoidal, k = min(m, n); R's diagonal carries LAPACK's signs
 * (β = −sign(α)·‖x‖). Returns 0, or −1 when A holds NaN or ±Inf.
 */
export interface QrParams<T = DeviceTensor> { a: T; q: T; r: T; m: number; n: number }

/**
 * Thin SVD A (m×n) = U·diag(s)·Vᵀ by one-sided Jacobi (Hestenes; Demmel and Veselić 1992): U m×k,
 * s (k) non-negative and sorted descending, V n×k, k = min(m, n). Returns the number of sweeps
 * (≥ 1), −1 for NaN/±Inf input, or −2 when it did not converge within `maxSweeps`.
 */
export interface SvdParams<T = DeviceTensor> {
  a: T; u: T; s: T; v: T; m: number; n: number; maxSweeps: number;
  /** False: singular values only (no rotations accumulated, u and v untouched). */
  vectors: boolean;
}

/**
 * Symmetric eigendecomposition A (n×n, only its lower triangle read) = Z·diag(w)·Zᵀ by Householder
 * tridiagonalization and implicit QL with Wilkinson shifts (LAPACK dsytrd + dsteqr): w (n) sorted
 * descending, Z (n×n, or 0×n when `vectors` is false) orthonormal eigenvectors as columns. Returns the
 * QL iterations (≥ 0), −1 for NaN/±Inf input, or −2 when QL did not converge within 30·n iterations.
 */
export interface SyevParams<T = DeviceTensor> { a: T; w: T; z: T; n: number; vectors: boolean }

/**
 * Sampled dense–dense product (SDDMM): out[e] = α·Σ_l U[rows[e], l]·V[cols[e], l], the entries of
 * α·U·Vᵀ on the pattern Ω only (the AltMin residual on observed entries). U m×k, V n×k, out nnz.
 */
export interface SddmmParams<T = DeviceTensor> {
  u: T; v: T; out: T; pattern: SparsePattern; m: number; n: number; k: number; alpha: number;
}

/**
 * Sparse times dense (SpMM): out (m×k) = α·S·B, S the m×n matrix with values `vals` (nnz) on the
 * pattern, B n×k: out[i, :] = α·Σ_{e in row i} vals[e]·B[cols[e], :] (the AltMin gradient Sᵀ·U
 * through the transposed pattern). Each output row sums its entries in pattern order.
 */
export interface SpmmParams<T = DeviceTensor> {
  vals: T; b: T; out: T; pattern: SparsePattern; m: number; n: number; k: number; alpha: number;
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
  cholesky(p: CholeskyParams<T>): number | Promise<number>;
  trsm(p: TrsmParams<T>): number | Promise<number>;
  lu(p: LuParams<T>): number | Promise<number>;
  qr(p: QrParams<T>): number | Promise<number>;
  svd(p: SvdParams<T>): number | Promise<number>;
  syev(p: SyevParams<T>): number | Promise<number>;
  sddmm(p: SddmmParams<T>): void | Promise<void>;
  spmm(p: SpmmParams<T>): void | Promise<void>;
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

/** SDDMM: 2·k flops per sampled entry; reads two rows of k and an index pair, writes one value. */
export function sddmmCost(nnz: number, k: number, dtype: DType): CostModel {
  return { flops: 2 * nnz * k, bytes: nnz * (BYTES_PER_ELEMENT[dtype] * (2 * k + 1) + 8) };
}

/** SpMM: 2·k flops per entry; reads a value, an index and a row of B per entry, writes m rows of k. */
export function spmmCost(nnz: number, m: number, k: number, dtype: DType): CostModel {
  const w = BYTES_PER_ELEMENT[dtype];
  return { flops: 2 * nnz * k, bytes: nnz * (w * (k + 1) + 8) + m * k * w };
}

/** Cholesky: n³/3 flops; reads the lower triangle, writes L. */
export function choleskyCost(n: number, dtype: DType): CostModel {
  return { flops: n ** 3 / 3, bytes: BYTES_PER_ELEMENT[dtype] * 2 * n * n };
}

/** Triangular solve with m right-hand sides: n²·m flops. */
export function trsmCost(n: number, m: number, dtype: DType): CostModel {
  return { flops: n * n * m, bytes: BYTES_PER_ELEMENT[dtype] * (n * n / 2 + 2 * n * m) };
}

/** LU of m×n (m ≥ n): m·n² − n³/3 flops (LAWN 41). */
export function luCost(m: number, n: number, dtype: DType): CostModel {
  const k = Math.min(m, n);
  return { flops: m * n * k - (m + n) * k * k / 2 + k ** 3 / 3, bytes: BYTES_PER_ELEMENT[dtype] * 2 * m * n };
}

/**
 * Householder QR with explicit thin Q, k = min(m, n) (LAWN 41): R 2mnk − 2k³/3 (dgeqrf: 2mn² − 2n³/3
 * for m ≥ n) and Q (m×k from k reflectors, dorgqr) 2mk² − 2k³/3, as much again for a tall A.
 */
export function qrCost(m: number, n: number, dtype: DType): CostModel {
  const k = Math.min(m, n);
  return { flops: 2 * m * n * k + 2 * m * k * k - (4 * k ** 3) / 3, bytes: BYTES_PER_ELEMENT[dtype] * (m * n + m * k + k * n) };
}

/**
 * Tridiagonal QR eigensolver: tridiagonalization 4n³/3 (on full storage, as the kernels do it: 2n³),
 * Qᵀ 4n³/3, QL rotations about 3n³ (two iterations per eigenvalue, 6n flops per rotation, n/2 long).
 */
export function syevCost(n: number, dtype: DType): CostModel {
  return { flops: (2 + 4 / 3 + 3) * n ** 3, bytes: BYTES_PER_ELEMENT[dtype] * 3 * n * n };
}

/** The one-sided Jacobi kernel alone (`svd` on A itself): about 6·m·n² per sweep with V accumulated, ~8 sweeps as the model. */
export function jacobiSvdCost(m: number, n: number, dtype: DType): CostModel {
  const [rows, cols] = m >= n ? [m, n] : [n, m];
  return { flops: 8 * 6 * rows * cols * cols, bytes: BYTES_PER_ELEMENT[dtype] * (2 * m * n + n * n) };
}

/**
 * Thin SVD as linalg computes it (m ≥ n; a wide A is transposed): for m ≥ 2n a QR first and U = Q·U_R
 * (2mn²), leaving an n×n core; on the core (r×n): AᵀA 2rn², syev, B = A·Z 2rn², about three Jacobi
 * sweeps that are mostly dot products (2rn² each), V = Z·V_B 2n³.
 */
export function svdCost(m: number, n: number, dtype: DType): CostModel {
  const [rows, cols] = m >= n ? [m, n] : [n, m];
  const tall = rows >= 2 * cols;
  const r = tall ? cols : rows;
  const core = 2 * r * cols ** 2 * (2 + 3) + syevCost(cols, dtype).flops + 2 * cols ** 3;
  const flops = core + (tall ? qrCost(rows, cols, dtype).flops + 2 * rows * cols ** 2 : 0);
  return { flops, bytes: BYTES_PER_ELEMENT[dtype] * (2 * m * n + n * n) };
}
