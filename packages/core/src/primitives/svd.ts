import type { Backend, DeviceTensor } from '../backend.ts';
import { BYTES_PER_ELEMENT, type DType } from '../dtype.ts';
import { ArgumentError, NonFiniteError, NumericalError } from '../errors.ts';
import { householderVector } from '../householder.ts';
import { hostTensor } from '../tensor.ts';
import { checkShape, kernel, owned, rank, sameDType } from './check.ts';
import type { CostModel } from './cost.ts';
import { qrCost } from './qr.ts';
import { syevCost } from './syev.ts';

/**
 * Thin SVD A (m×n) = U·diag(s)·Vᵀ by one-sided Jacobi (Hestenes; Demmel and Veselić 1992): U m×k,
 * s (k) non-negative and sorted descending, V n×k, k = min(m, n). Returns the number of sweeps
 * (≥ 1), −1 for NaN/±Inf input, or −2 when it did not converge within `maxSweeps`.
 */
export interface SvdParams<T = DeviceTensor> {
  a: T;
  u: T;
  s: T;
  v: T;
  m: number;
  n: number;
  maxSweeps: number;
  /** False: singular values only (no rotations accumulated, u and v untouched). */
  vectors: boolean;
  /**
   * An n×n Z (m ≥ n, with vectors) onto which the right rotations accumulate in place of I: v = Z·V_A. For A = C·Z
   * with Z orthogonal (linalg's preconditioned SVD), v is then C's right factor, without the n³ product Z·V_A.
   */
  basis?: T;
}

declare module '../backend.ts' {
  interface PrimitiveSignatures<T> {
    svd(p: SvdParams<T>): number | Promise<number>;
  }
}

/** The one-sided Jacobi kernel alone (`svd` on A itself): about 6·m·n² per sweep with V accumulated, ~8 sweeps as the model. */
export function jacobiSvdCost(m: number, n: number, dtype: DType): CostModel {
  const [rows, cols] = m >= n ? [m, n] : [n, m];
  return { flops: 8 * 6 * rows * cols * cols, bytes: BYTES_PER_ELEMENT[dtype] * (2 * m * n + n * n) };
}

/**
 * Thin SVD as linalg computes it (m ≥ n; a wide A is transposed): for m ≥ 2n a QR first and U = Q·U_R
 * (2mn²), leaving an n×n core; on the core (r×n): AᵀA 2rn², syev, B = A·Z 2rn², about three Jacobi
 * sweeps that are mostly dot products (2rn² each; their rotations act on Z, so V needs no product). A nominal
 * count: linalg skips the QR of a well-conditioned tall A, and the WASM kernel forms the Gram matrix in place of
 * most dot products.
 */
export function svdCost(m: number, n: number, dtype: DType): CostModel {
  const [rows, cols] = m >= n ? [m, n] : [n, m];
  const tall = rows >= 2 * cols;
  const r = tall ? cols : rows;
  const core = 2 * r * cols ** 2 * (2 + 3) + syevCost(cols, dtype).flops;
  const flops = core + (tall ? qrCost(rows, cols, dtype).flops + 2 * rows * cols ** 2 : 0);
  return { flops, bytes: BYTES_PER_ELEMENT[dtype] * (2 * m * n + n * n) };
}

export interface Svd {
  u: DeviceTensor;
  s: DeviceTensor;
  v: DeviceTensor;
  sweeps: number;
}

/**
 * Thin SVD, A = U·diag(s)·Vᵀ with s sorted descending. NonFiniteError for NaN/Inf; NumericalError if
 * Jacobi has not converged after `maxSweeps` sweeps. It typically needs 6–14, but numerically low-rank
 * matrices (exp(QKᵀ) for attention with short rows) converge slowly in their noise subspace, needing
 * more sweeps as k doubles; the default cap, max(40, 20·log₂ k), grows with log k for that reason and
 * only guards termination: a sweep is O(mn·k), paid only when needed. With
 * `valuesOnly`, u and v come back empty (0×k) and the rotations are not accumulated. With `basis` Z (n×n, m ≥ n),
 * v = Z·V (SvdParams.basis).
 */
export async function svd(
  be: Backend,
  a: DeviceTensor,
  o: { maxSweeps?: number; valuesOnly?: boolean; basis?: DeviceTensor } = {},
): Promise<Svd> {
  owned(be, 'a', a);
  rank('a', a, 2);
  const [m, n] = a.shape;
  const basis = o.basis;
  if (basis !== undefined) {
    if (m < n || o.valuesOnly === true)
      throw new ArgumentError(
        `svd: a basis needs m ≥ n and the vectors, got ${m}×${n}${o.valuesOnly ? ', valuesOnly' : ''}`,
      );
    owned(be, 'basis', basis);
    sameDType('basis', basis, a.dtype);
    checkShape('basis', basis, [n, n]);
  }
  const k = Math.min(m, n);
  const maxSweeps = o.maxSweeps ?? Math.max(40, Math.ceil(20 * Math.log2(Math.max(k, 2))));
  if (!Number.isInteger(maxSweeps) || maxSweeps < 1)
    throw new ArgumentError(`maxSweeps must be a positive integer, got ${maxSweeps}`);
  const run = kernel(be, 'svd', a.dtype);
  const vectors = o.valuesOnly !== true;
  const u = be.zeros(a.dtype, vectors ? [m, k] : [0, k]);
  const s = be.zeros(a.dtype, [k]);
  const v = be.zeros(a.dtype, vectors ? [n, k] : [0, k]);
  const status = await run({ a, u, s, v, m, n, maxSweeps, vectors, basis });
  if (status < 0) {
    for (const t of [u, s, v]) be.dispose(t);
    if (status === -1) throw new NonFiniteError('svd: a contains NaN or ±Inf');
    throw new NumericalError(`svd: one-sided Jacobi did not converge in ${maxSweeps} sweeps`);
  }
  // A zero singular value leaves a zero column in the left factor Jacobi normalized (U when m ≥ n,
  // V otherwise); complete it to an orthonormal basis so the factor keeps orthonormal columns.
  const sv = (await be.download(s)).data;
  if (vectors && sv.some((x) => x === 0)) {
    const side = m >= n ? u : v;
    const host = await be.download(side);
    const rows = side.shape[0];
    const data = Float64Array.from(host.data);
    completeOrthonormal(
      data,
      rows,
      k,
      Array.from(sv, (x, i) => (x === 0 ? i : -1)).filter((i) => i >= 0),
    );
    const fixed = await be.upload(hostTensor(a.dtype, side.shape, data));
    be.dispose(side);
    return m >= n ? { u: fixed, s, v, sweeps: status } : { u, s, v: fixed, sweeps: status };
  }
  return { u, s, v, sweeps: status };
}

/**
 * Replaces the listed (zero) columns of a rows×k matrix with unit vectors orthogonal to the other columns and to
 * each other, the other columns being orthonormal up to rounding (a factor Jacobi normalized): with Q = H₀⋯H_{r−1}
 * from the Householder QR of the r other columns, the new columns are Q·e_r, Q·e_{r+1}, … (LAPACK dorgqr's columns
 * past r), orthogonal to the others' span to rounding, at 4·rows·r flops each.
 */
export function completeOrthonormal(x: Float64Array, rows: number, k: number, cols: readonly number[]): void {
  const zero = new Set(cols);
  const reflectors = Array.from({ length: k }, (_, c) => c)
    .filter((c) => !zero.has(c))
    .map((c) => Float64Array.from({ length: rows }, (_, t) => x[t * k + c]));
  const tau = reflectors.map((v, j) => {
    const t = householderVector(v, j, rows - j).tau;
    for (let c = j + 1; c < reflectors.length; c++) reflect(reflectors[c], v, t, j);
    return t;
  });
  cols.forEach((j, i) => {
    const e = new Float64Array(rows);
    e[reflectors.length + i] = 1;
    for (let h = reflectors.length - 1; h >= 0; h--) reflect(e, reflectors[h], tau[h], h);
    for (let t = 0; t < rows; t++) x[t * k + j] = e[t];
  });
}

/** y ← (I − τ·v·vᵀ)·y for v zero above entry j. */
function reflect(y: Float64Array, v: Float64Array, tau: number, j: number): void {
  if (tau === 0) return;
  let d = 0;
  for (let t = j; t < y.length; t++) d += v[t] * y[t];
  d *= tau;
  for (let t = j; t < y.length; t++) y[t] -= d * v[t];
}
