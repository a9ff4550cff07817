/**
 * The validated front door to every primitive. Algorithms call these, never `backend.kernels`
 * directly: this is where shapes, dtypes, ownership and scalar arguments are checked, once for all
 * backends, and where a missing kernel becomes an `UnsupportedError` instead of a silent fallback.
 */
import { supports, type Backend, type DeviceTensor } from './backend.ts';
import type { DType } from './dtype.ts';
import { ArgumentError, DTypeError, NonFiniteError, NumericalError, ShapeError, UnsupportedError } from './errors.ts';
import { interruptPoint } from './interrupt.ts';
import {
  BINARY_OPS, REDUCE_OPS, UNARY_OPS,
  type BinaryOp, type PrimitiveName, type PrimitiveSignatures, type ReduceAxis, type ReduceOp, type UnaryOp,
} from './primitives.ts';
import { checkStreamId, type Distribution } from './rng/stream.ts';
import type { SparsePattern } from './sparse.ts';
import { formatShape, hostTensor, sizeOf, type Shape } from './tensor.ts';

type Sig = PrimitiveSignatures<DeviceTensor>;

function kernel<P extends PrimitiveName>(be: Backend, p: P, dtype: DType): Sig[P] {
  const fn = be.kernels[p] as Sig[P] | undefined;
  if (fn === undefined || !supports(be, p, dtype)) {
    throw new UnsupportedError(`backend '${be.name}' has no ${dtype} kernel for '${p}' (see its capability table: lowrank info)`);
  }
  // Every ~50 ms of kernel calls, one yield to the event loop, where a signal can stop the run (interrupt.ts).
  const pending = interruptPoint();
  if (pending === null) return fn;
  return (async (params: never) => {
    await pending;
    return (fn as (q: never) => unknown)(params);
  }) as unknown as Sig[P];
}

function owned(be: Backend, name: string, t: DeviceTensor): void {
  if (t === null || typeof t !== 'object' || t.backend !== be) {
    throw new ArgumentError(`${name} is not a tensor of backend '${be.name}'`);
  }
}

function sameDType(name: string, t: DeviceTensor, dtype: DType): void {
  if (t.dtype !== dtype) throw new DTypeError(`${name} is ${t.dtype} but the operation is ${dtype}`);
}

function finiteScalar(name: string, v: number): void {
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new ArgumentError(`${name} must be a finite number, got ${String(v)}`);
}

function rank(name: string, t: DeviceTensor, r: number): void {
  if (t.shape.length !== r) throw new ShapeError(`${name} must have rank ${r}, got shape ${formatShape(t.shape)}`);
}

function checkShape(name: string, t: DeviceTensor, expected: Shape): void {
  if (t.shape.length !== expected.length || t.shape.some((d, i) => d !== expected[i])) {
    throw new ShapeError(`${name} has shape ${formatShape(t.shape)}, expected ${formatShape(expected)}`);
  }
}

function oneOf<T extends string>(name: string, v: T, allowed: readonly T[]): void {
  if (!allowed.includes(v)) throw new ArgumentError(`${name} must be one of ${allowed.join(', ')}, got '${String(v)}'`);
}

export interface GemmOptions {
  transA?: boolean;
  transB?: boolean;
  alpha?: number;
  beta?: number;
  /** Output (and input when β ≠ 0). Allocated when omitted; then β must be 0. */
  c?: DeviceTensor;
}

function gemmDims(a: DeviceTensor, b: DeviceTensor, transA: boolean, transB: boolean, lead: number) {
  const [ar, ac] = [a.shape[lead], a.shape[lead + 1]];
  const [br, bc] = [b.shape[lead], b.shape[lead + 1]];
  const [m, k] = transA ? [ac, ar] : [ar, ac];
  const [kb, n] = transB ? [bc, br] : [br, bc];
  if (k !== kb) {
    throw new ShapeError(`gemm: op(a) is ${m}×${k} but op(b) is ${kb}×${n} (inner dimensions differ; transA=${transA}, transB=${transB})`);
  }
  return { m, n, k };
}

function gemmScalars(o: GemmOptions) {
  const alpha = o.alpha ?? 1;
  const beta = o.beta ?? 0;
  finiteScalar('alpha', alpha);
  finiteScalar('beta', beta);
  if (o.c === undefined && beta !== 0) throw new ArgumentError('beta is non-zero but no c was given to accumulate into');
  return { alpha, beta, transA: o.transA ?? false, transB: o.transB ?? false };
}

/** C ← α·op(A)·op(B) + β·C on 2-D tensors. Returns C. */
export async function gemm(be: Backend, a: DeviceTensor, b: DeviceTensor, o: GemmOptions = {}): Promise<DeviceTensor> {
  owned(be, 'a', a); owned(be, 'b', b); rank('a', a, 2); rank('b', b, 2); sameDType('b', b, a.dtype);
  const s = gemmScalars(o);
  const { m, n, k } = gemmDims(a, b, s.transA, s.transB, 0);
  const run = kernel(be, 'gemm', a.dtype);
  const c = o.c ?? be.zeros(a.dtype, [m, n]);
  owned(be, 'c', c); sameDType('c', c, a.dtype); checkShape('c', c, [m, n]);
  await run({ a, b, c, m, n, k, ...s });
  return c;
}

/** `batch` GEMMs over [batch, rows, cols] tensors. Returns C [batch, m, n]. */
export async function batchedGemm(be: Backend, a: DeviceTensor, b: DeviceTensor, o: GemmOptions = {}): Promise<DeviceTensor> {
  owned(be, 'a', a); owned(be, 'b', b); rank('a', a, 3); rank('b', b, 3); sameDType('b', b, a.dtype);
  const batch = a.shape[0];
  if (b.shape[0] !== batch) throw new ShapeError(`batchedGemm: a has batch ${batch} but b has batch ${b.shape[0]}`);
  const s = gemmScalars(o);
  const { m, n, k } = gemmDims(a, b, s.transA, s.transB, 1);
  const run = kernel(be, 'batchedGemm', a.dtype);
  const c = o.c ?? be.zeros(a.dtype, [batch, m, n]);
  owned(be, 'c', c); sameDType('c', c, a.dtype); checkShape('c', c, [batch, m, n]);
  await run({ a, b, c, m, n, k, batch, ...s });
  return c;
}

export interface GemvOptions { trans?: boolean; alpha?: number; beta?: number; y?: DeviceTensor }

/** y ← α·op(A)·x + β·y, A 2-D, x and y 1-D. Returns y. */
export async function gemv(be: Backend, a: DeviceTensor, x: DeviceTensor, o: GemvOptions = {}): Promise<DeviceTensor> {
  owned(be, 'a', a); owned(be, 'x', x); rank('a', a, 2); rank('x', x, 1); sameDType('x', x, a.dtype);
  const trans = o.trans ?? false;
  const alpha = o.alpha ?? 1;
  const beta = o.beta ?? 0;
  finiteScalar('alpha', alpha); finiteScalar('beta', beta);
  if (o.y === undefined && beta !== 0) throw new ArgumentError('beta is non-zero but no y was given to accumulate into');
  const [m, n] = a.shape;
  const [xLen, yLen] = trans ? [m, n] : [n, m];
  checkShape('x', x, [xLen]);
  const run = kernel(be, 'gemv', a.dtype);
  const y = o.y ?? be.zeros(a.dtype, [yLen]);
  owned(be, 'y', y); sameDType('y', y, a.dtype); checkShape('y', y, [yLen]);
  await run({ a, x, y, m, n, trans, alpha, beta });
  return y;
}

function vectorPair(be: Backend, x: DeviceTensor, y: DeviceTensor): number {
  owned(be, 'x', x); owned(be, 'y', y); sameDType('y', y, x.dtype);
  if (x.size !== y.size) throw new ShapeError(`x has ${x.size} elements but y has ${y.size}`);
  return x.size;
}

/** xᵀy over all elements. */
export async function dot(be: Backend, x: DeviceTensor, y: DeviceTensor): Promise<number> {
  const n = vectorPair(be, x, y);
  return kernel(be, 'dot', x.dtype)({ x, y, n });
}

/** y ← α·x + y in place. Returns y. */
export async function axpy(be: Backend, alpha: number, x: DeviceTensor, y: DeviceTensor): Promise<DeviceTensor> {
  finiteScalar('alpha', alpha);
  const n = vectorPair(be, x, y);
  await kernel(be, 'axpy', x.dtype)({ alpha, x, y, n });
  return y;
}

/** x ← α·x in place. Returns x. */
export async function scal(be: Backend, alpha: number, x: DeviceTensor): Promise<DeviceTensor> {
  finiteScalar('alpha', alpha); owned(be, 'x', x);
  await kernel(be, 'scal', x.dtype)({ alpha, x, n: x.size });
  return x;
}

/** Euclidean norm of all elements, without overflow or underflow in intermediate sums. */
export async function nrm2(be: Backend, x: DeviceTensor): Promise<number> {
  owned(be, 'x', x);
  return kernel(be, 'nrm2', x.dtype)({ x, n: x.size });
}

/** Elementwise f(x) into a new tensor (or `out`). */
export async function unary(be: Backend, op: UnaryOp, x: DeviceTensor, out?: DeviceTensor): Promise<DeviceTensor> {
  oneOf('op', op, UNARY_OPS); owned(be, 'x', x);
  const run = kernel(be, 'unary', x.dtype);
  const o = out ?? be.zeros(x.dtype, x.shape);
  owned(be, 'out', o); sameDType('out', o, x.dtype); checkShape('out', o, x.shape);
  await run({ op, x, out: o, n: x.size });
  return o;
}

/** Elementwise x ∘ y (same shapes) into a new tensor (or `out`). */
export async function binary(be: Backend, op: BinaryOp, x: DeviceTensor, y: DeviceTensor, out?: DeviceTensor): Promise<DeviceTensor> {
  oneOf('op', op, BINARY_OPS); owned(be, 'x', x); owned(be, 'y', y); sameDType('y', y, x.dtype);
  checkShape('y', y, x.shape);
  const run = kernel(be, 'binary', x.dtype);
  const o = out ?? be.zeros(x.dtype, x.shape);
  owned(be, 'out', o); sameDType('out', o, x.dtype); checkShape('out', o, x.shape);
  await run({ op, x, y, out: o, n: x.size });
  return o;
}

/** Reduces a 2-D tensor along rows (one value per row) or columns (one per column). */
export async function reduce(be: Backend, op: ReduceOp, x: DeviceTensor, axis: ReduceAxis): Promise<DeviceTensor> {
  oneOf('op', op, REDUCE_OPS); oneOf('axis', axis, ['rows', 'cols'] as const); owned(be, 'x', x); rank('x', x, 2);
  const [rows, cols] = x.shape;
  if ((op === 'max' || op === 'min') && (axis === 'rows' ? cols : rows) === 0) {
    throw new ShapeError(`reduce '${op}' over an empty ${axis === 'rows' ? 'row' : 'column'} has no value (x is ${formatShape(x.shape)})`);
  }
  const run = kernel(be, 'reduce', x.dtype);
  const out = be.zeros(x.dtype, [axis === 'rows' ? rows : cols]);
  await run({ op, axis, x, out, rows, cols });
  return out;
}

/** Transpose of a 2-D tensor into a new tensor. */
export async function transpose(be: Backend, x: DeviceTensor): Promise<DeviceTensor> {
  owned(be, 'x', x); rank('x', x, 2);
  const [rows, cols] = x.shape;
  const run = kernel(be, 'transpose', x.dtype);
  const out = be.zeros(x.dtype, [cols, rows]);
  await run({ x, out, rows, cols });
  return out;
}

/**
 * The same elements in a new shape (row-major order kept), as a new tensor: y ← 1·x into zeros of
 * the new shape, through the axpy kernel every backend has (tensors own their buffers, so no view).
 */
export async function reshape(be: Backend, x: DeviceTensor, shape: Shape): Promise<DeviceTensor> {
  owned(be, 'x', x);
  if (sizeOf(shape) !== x.size) throw new ShapeError(`cannot reshape ${formatShape(x.shape)} (${x.size} elements) to ${formatShape(shape)} (${sizeOf(shape)})`);
  const y = be.zeros(x.dtype, shape);
  await kernel(be, 'axpy', x.dtype)({ alpha: 1, x, y, n: x.size });
  return y;
}

/** A new tensor with the same shape and elements (tensors own their buffers, so this is the way to keep a value while the original is updated). */
export function copy(be: Backend, x: DeviceTensor): Promise<DeviceTensor> {
  return reshape(be, x, x.shape);
}

/**
 * The entries of α·U·Vᵀ on a sparse pattern (SDDMM): out[e] = α·U[rows[e], :]·V[cols[e], :].
 * U is m×k and V n×k with m, n the pattern's; returns `out` (nnz), new unless given.
 */
export async function sddmm(be: Backend, u: DeviceTensor, v: DeviceTensor, pattern: SparsePattern, o: { alpha?: number; out?: DeviceTensor } = {}): Promise<DeviceTensor> {
  owned(be, 'u', u); owned(be, 'v', v); rank('u', u, 2); rank('v', v, 2); sameDType('v', v, u.dtype);
  const [m, k] = u.shape;
  checkShape('u', u, [pattern.m, k]);
  checkShape('v', v, [pattern.n, k]);
  const alpha = o.alpha ?? 1;
  finiteScalar('alpha', alpha);
  const run = kernel(be, 'sddmm', u.dtype);
  const out = o.out ?? be.zeros(u.dtype, [pattern.nnz]);
  owned(be, 'out', out); sameDType('out', out, u.dtype); checkShape('out', out, [pattern.nnz]);
  if (pattern.nnz > 0) await run({ u, v, out, pattern, m, n: pattern.n, k, alpha });
  return out;
}

/** out (m×k) = α·S·B for the sparse S with values `vals` on `pattern` (m×n) and dense B (n×k). */
export async function spmm(be: Backend, pattern: SparsePattern, vals: DeviceTensor, b: DeviceTensor, o: { alpha?: number; out?: DeviceTensor } = {}): Promise<DeviceTensor> {
  owned(be, 'vals', vals); owned(be, 'b', b); rank('b', b, 2); sameDType('b', b, vals.dtype);
  checkShape('vals', vals, [pattern.nnz]);
  const k = b.shape[1];
  checkShape('b', b, [pattern.n, k]);
  const alpha = o.alpha ?? 1;
  finiteScalar('alpha', alpha);
  const run = kernel(be, 'spmm', b.dtype);
  const out = o.out ?? be.zeros(b.dtype, [pattern.m, k]);
  owned(be, 'out', out); sameDType('out', out, b.dtype); checkShape('out', out, [pattern.m, k]);
  if (pattern.m * k > 0) await run({ vals, b, out, pattern, m: pattern.m, n: pattern.n, k, alpha });
  return out;
}

export interface RandomOptions { dist: Distribution; seed: number; stream?: number; offset?: number }

/** A tensor filled on the device from the counter-based stream (bit-identical to `fillRandom`). */
export async function random(be: Backend, dtype: DType, shape: Shape, o: RandomOptions): Promise<DeviceTensor> {
  const stream = o.stream ?? 0;
  const offset = o.offset ?? 0;
  checkStreamId({ seed: o.seed, stream });
  oneOf('dist', o.dist, ['uniform', 'normal'] as const);
  if (!Number.isSafeInteger(offset) || offset < 0) throw new ArgumentError(`offset must be a non-negative integer, got ${offset}`);
  const n = sizeOf(shape);
  const run = kernel(be, 'random', dtype);
  const out = be.zeros(dtype, shape);
  await run({ out, n, dist: o.dist, seed: o.seed, stream, offset });
  return out;
}

function square(name: string, t: DeviceTensor): number {
  rank(name, t, 2);
  if (t.shape[0] !== t.shape[1]) throw new ShapeError(`${name} must be square, got ${formatShape(t.shape)}`);
  return t.shape[0];
}

/**
 * Cholesky factor L of a symmetric positive definite A (only its lower triangle is read).
 * Throws NumericalError naming the failing pivot, NonFiniteError for NaN/Inf input.
 */
export async function cholesky(be: Backend, a: DeviceTensor): Promise<DeviceTensor> {
  owned(be, 'a', a);
  const n = square('a', a);
  const run = kernel(be, 'cholesky', a.dtype);
  const l = be.zeros(a.dtype, [n, n]);
  const info = await run({ a, l, n });
  if (info !== 0) {
    be.dispose(l);
    if (info < 0) throw new NonFiniteError('cholesky: a contains NaN or ±Inf');
    throw new NumericalError(`cholesky: a is not positive definite: the leading minor of order ${info} is not positive (pivot ${info - 1})`);
  }
  return l;
}

export interface TrsmOptions { lower?: boolean; trans?: boolean; unitDiag?: boolean; alpha?: number }

/** Solves op(T)·X = α·B for X, overwriting B (n×m, or a vector of length n). Returns B. Throws NumericalError on a zero diagonal. */
export async function trsm(be: Backend, t: DeviceTensor, b: DeviceTensor, o: TrsmOptions = {}): Promise<DeviceTensor> {
  owned(be, 't', t); owned(be, 'b', b); sameDType('b', b, t.dtype);
  const n = square('t', t);
  if (b.shape.length !== 1 && b.shape.length !== 2) throw new ShapeError(`b must be a vector or a matrix, got ${formatShape(b.shape)}`);
  if (b.shape[0] !== n) throw new ShapeError(`b has ${b.shape[0]} rows but t is ${n}×${n}`);
  const alpha = o.alpha ?? 1;
  finiteScalar('alpha', alpha);
  const m = b.shape.length === 1 ? 1 : b.shape[1];
  const info = await kernel(be, 'trsm', t.dtype)({ t, b, n, m, lower: o.lower ?? true, trans: o.trans ?? false, unitDiag: o.unitDiag ?? false, alpha });
  if (info !== 0) throw new NumericalError(`trsm: t is singular: diagonal element ${info - 1} is zero`);
  return b;
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
  owned(be, 'a', a); rank('a', a, 2);
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

/** Thin QR: A = Q·R with Q (m×k) orthonormal columns, R (k×n) upper, k = min(m, n). NonFiniteError for NaN/Inf. */
export async function qr(be: Backend, a: DeviceTensor): Promise<{ q: DeviceTensor; r: DeviceTensor }> {
  owned(be, 'a', a); rank('a', a, 2);
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

export interface Svd { u: DeviceTensor; s: DeviceTensor; v: DeviceTensor; sweeps: number }

/**
 * Thin SVD, A = U·diag(s)·Vᵀ with s sorted descending. NonFiniteError for NaN/Inf; NumericalError if
 * Jacobi has not converged after `maxSweeps` sweeps. It typically needs 6–14, but numerically low-rank
 * matrices converge slowly in their noise subspace: exp(QKᵀ) with 4-dimensional rows took 21, 31 and
 * 45 sweeps at k = 128, 256, 512 (WASM f64), about 14 more per doubling. The default cap,
 * max(40, 20·log₂ k), only guards termination; a sweep is O(mn·k), paid only when needed. With
 * `valuesOnly`, u and v come back empty (0×k) and the rotations are not accumulated.
 */
export async function svd(be: Backend, a: DeviceTensor, o: { maxSweeps?: number; valuesOnly?: boolean } = {}): Promise<Svd> {
  owned(be, 'a', a); rank('a', a, 2);
  const [m, n] = a.shape;
  const k = Math.min(m, n);
  const maxSweeps = o.maxSweeps ?? Math.max(40, Math.ceil(20 * Math.log2(Math.max(k, 2))));
  if (!Number.isInteger(maxSweeps) || maxSweeps < 1) throw new ArgumentError(`maxSweeps must be a positive integer, got ${maxSweeps}`);
  const run = kernel(be, 'svd', a.dtype);
  const vectors = o.valuesOnly !== true;
  const u = be.zeros(a.dtype, vectors ? [m, k] : [0, k]);
  const s = be.zeros(a.dtype, [k]);
  const v = be.zeros(a.dtype, vectors ? [n, k] : [0, k]);
  const status = await run({ a, u, s, v, m, n, maxSweeps, vectors });
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
    completeOrthonormal(data, rows, k, Array.from(sv, (x, i) => (x === 0 ? i : -1)).filter((i) => i >= 0));
    const fixed = await be.upload(hostTensor(a.dtype, side.shape, data));
    be.dispose(side);
    return m >= n ? { u: fixed, s, v, sweeps: status } : { u, s, v: fixed, sweeps: status };
  }
  return { u, s, v, sweeps: status };
}

export interface Syev { values: DeviceTensor; vectors: DeviceTensor; iterations: number }

/**
 * Symmetric eigendecomposition by tridiagonal QR (the `syev` kernel; only A's lower triangle is
 * read): values descending, eigenvectors as the columns of `vectors` (0×n with `valuesOnly`).
 * NonFiniteError for NaN/Inf, NumericalError if QL has not converged within 30·n iterations.
 */
export async function syev(be: Backend, a: DeviceTensor, o: { valuesOnly?: boolean } = {}): Promise<Syev> {
  owned(be, 'a', a);
  const n = square('a', a);
  const run = kernel(be, 'syev', a.dtype);
  const vectors = o.valuesOnly !== true;
  const w = be.zeros(a.dtype, [n]);
  const z = be.zeros(a.dtype, vectors ? [n, n] : [0, n]);
  const status = await run({ a, w, z, n, vectors });
  if (status < 0) {
    be.dispose(w);
    be.dispose(z);
    if (status === -1) throw new NonFiniteError('syev: a contains NaN or ±Inf');
    throw new NumericalError(`syev: the tridiagonal QL iteration did not converge in ${30 * n} iterations`);
  }
  return { values: w, vectors: z, iterations: status };
}

/**
 * Replaces the listed (zero) columns of a rows×k matrix with unit vectors orthogonal to all other
 * columns: Gram–Schmidt, applied twice, to the next coordinate vector (cyclically) whose residual keeps at least
 * half the average squared norm (rows − r)/rows of the complement of the r other columns — some
 * coordinate vector always does (the residuals' squared norms sum to rows − r), and dividing by a norm
 * of at least √(1/(2·rows)) costs at most a factor √(2·rows) of orthogonality.
 */
export function completeOrthonormal(x: Float64Array, rows: number, k: number, cols: readonly number[]): void {
  const col = (j: number) => Float64Array.from({ length: rows }, (_, t) => x[t * k + j]);
  const zero = new Set(cols);
  let candidate = 0;
  for (const j of cols) {
    const others = Array.from({ length: k }, (_, c) => c).filter((c) => c !== j && !zero.has(c)).map(col);
    const enough = (0.5 * (rows - others.length)) / rows;
    for (let tried = 0; tried < rows; tried++, candidate = (candidate + 1) % rows) {
      const v = new Float64Array(rows);
      v[candidate] = 1;
      for (let pass = 0; pass < 2; pass++) {
        for (const c of others) {
          let d = 0;
          for (let t = 0; t < rows; t++) d += c[t] * v[t];
          for (let t = 0; t < rows; t++) v[t] -= d * c[t];
        }
      }
      const norm = Math.hypot(...v);
      if (norm * norm >= enough) {
        for (let t = 0; t < rows; t++) x[t * k + j] = v[t] / norm;
        zero.delete(j);
        candidate = (candidate + 1) % rows;
        break;
      }
    }
  }
}
