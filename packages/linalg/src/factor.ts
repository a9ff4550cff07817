/**
 * Factorizations and solves, written once against the Backend interface: the factorization kernels
 * (cholesky, lu, trsm) are the backends' own; the rest is composition and row permutations.
 */
import { computeEps, hostTensor, NumericalError, ops, type Backend, type DeviceTensor } from '@lowrank/core';
import { permuteRows, unpackLu } from './host.ts';
import { rangeScale } from './range.ts';

/** A = L·Lᵀ for symmetric positive definite A (lower triangle read). NumericalError names the failing pivot. */
export const cholesky = ops.cholesky;

/** op(T)·X = α·B, X overwriting B. NumericalError on a zero diagonal. */
export const solveTriangular = ops.trsm;

/** P·A = L·U with partial pivoting (packed factors, LAPACK's layout). */
export const lu = ops.lu;

async function rowsPermuted(be: Backend, b: DeviceTensor, pivots: Int32Array): Promise<DeviceTensor> {
  const host = await be.download(b);
  const cols = b.shape.length === 1 ? 1 : b.shape[1];
  return be.upload(hostTensor(b.dtype, b.shape, permuteRows(Float64Array.from(host.data), cols, pivots)));
}

/** Solves A·X = B by LU with partial pivoting; NumericalError when A is singular. Returns a new X. */
export async function luSolve(be: Backend, a: DeviceTensor, b: DeviceTensor): Promise<DeviceTensor> {
  const f = await ops.lu(be, a);
  try {
    if (f.singularAt !== null)
      throw new NumericalError(`luSolve: a is singular: pivot ${f.singularAt} is exactly zero`);
    const x = await rowsPermuted(be, b, f.pivots);
    await ops.trsm(be, f.lu, x, { lower: true, unitDiag: true });
    await ops.trsm(be, f.lu, x, { lower: false });
    return x;
  } finally {
    be.dispose(f.lu);
  }
}

/** Solves A·X = B for symmetric positive definite A by Cholesky. Returns a new X. */
export async function choleskySolve(be: Backend, a: DeviceTensor, b: DeviceTensor): Promise<DeviceTensor> {
  const l = await ops.cholesky(be, a);
  try {
    const x = await ops.copy(be, b);
    await ops.trsm(be, l, x, { lower: true });
    await ops.trsm(be, l, x, { lower: true, trans: true });
    return x;
  } finally {
    be.dispose(l);
  }
}

export interface Ldu {
  /** Unit lower triangular m×k. */
  l: DeviceTensor;
  /** The k pivots of U, as a vector. */
  d: DeviceTensor;
  /** Unit upper triangular k×n. */
  u: DeviceTensor;
  /** Row interchanges as in `lu`: P·A = L·diag(d)·U. */
  pivots: Int32Array;
}

/**
 * LDU split of the pivoted LU (LoLDU initializes adapters from it): U = diag(d)·Ũ with Ũ unit upper,
 * so P·A = L·diag(d)·Ũ. With a zero pivot no such split exists: NumericalError names the pivot.
 */
export async function ldu(be: Backend, a: DeviceTensor): Promise<Ldu> {
  const [m, n] = a.shape;
  const f = await ops.lu(be, a);
  const packed = Float64Array.from((await be.download(f.lu)).data);
  be.dispose(f.lu);
  if (f.singularAt !== null)
    throw new NumericalError(
      `ldu: a is singular: pivot ${f.singularAt} is exactly zero, so U has no unit-diagonal split`,
    );
  const { l, u, k } = unpackLu(packed, m, n);
  const d = new Float64Array(k);
  for (let i = 0; i < k; i++) {
    d[i] = u[i * n + i];
    for (let j = i; j < n; j++) u[i * n + j] /= d[i];
  }
  return {
    l: await be.upload(hostTensor(a.dtype, [m, k], l)),
    d: await be.upload(hostTensor(a.dtype, [k], d)),
    u: await be.upload(hostTensor(a.dtype, [k, n], u)),
    pivots: f.pivots,
  };
}

/** Thin Householder QR, A = Q·R (the backend's kernel). */
export const qr = ops.qr;

/**
 * CholeskyQR2 (Fukaya et al. 2014; Yamamoto et al. 2015) for tall-skinny A (m ≥ n): R₁ = chol(AᵀA)ᵀ,
 * Q₁ = A·R₁⁻¹, repeated once on Q₁, all in GEMMs, a small Cholesky and triangular solves. Orthogonal
 * to working precision when κ(A) ≲ u^-1/2 (about 6.7e7 in f64, 4.1e3 in f32): that is the method's
 * domain. Outside it the Gram matrix may still factor, giving a Q that is not orthogonal, so the
 * first factor's diagonal (max/min of diag R₁, a lower bound on κ(A)) is checked and NumericalError
 * names the domain. A is first brought into range by a power of two (the Gram matrix squares it).
 */
export async function choleskyQr2(be: Backend, a: DeviceTensor): Promise<{ q: DeviceTensor; r: DeviceTensor }> {
  const [m, n] = a.shape;
  if (m < n) throw new NumericalError(`choleskyQr2: a must be tall (m ≥ n), got ${m}×${n}`);
  const scale = await rangeScale(be, a);
  if (scale === 1 || Number.isNaN(scale)) return choleskyQr2InRange(be, a);
  const scaled = await ops.scal(be, scale, await ops.copy(be, a));
  try {
    const f = await choleskyQr2InRange(be, scaled);
    await ops.scal(be, 1 / scale, f.r);
    return f;
  } finally {
    be.dispose(scaled);
  }
}

/** The diagonal of an n×n device matrix, on the host. */
async function diagonal(be: Backend, t: DeviceTensor, n: number): Promise<number[]> {
  const data = (await be.download(t)).data;
  return Array.from({ length: n }, (_, i) => data[i * n + i]);
}

/** The largest κ(A) CholeskyQR2 handles, u^-1/2 of the dtype. */
const CHOLQR2_MAX_COND: Readonly<Record<string, number>> = { f64: 2 ** 26, f32: 2 ** 12, f16: 2 ** 5.5 };

async function choleskyQr2InRange(be: Backend, a: DeviceTensor): Promise<{ q: DeviceTensor; r: DeviceTensor }> {
  const n = a.shape[1];
  const step = async (x: DeviceTensor) => {
    const g = await ops.gemm(be, x, x, { transA: true });
    const l = await ops.cholesky(be, g);
    be.dispose(g);
    const qt = await ops.transpose(be, x); // Qᵀ = L⁻¹·Xᵀ
    await ops.trsm(be, l, qt, { lower: true });
    const q = await ops.transpose(be, qt);
    be.dispose(qt);
    return { q, l };
  };
  const refuse = (kappa: number, ...ts: DeviceTensor[]) => {
    for (const t of ts) be.dispose(t);
    return new NumericalError(
      `choleskyQr2: κ(A) ≥ ${kappa.toExponential(1)}, outside the method's domain κ(A) ≤ u^-1/2 ≈ ${CHOLQR2_MAX_COND[a.dtype].toExponential(1)} (${a.dtype}); use qr or tsqr`,
    );
  };
  const spread = (d: number[]) => (d.length === 0 ? 1 : Math.max(...d.map(Math.abs)) / Math.min(...d.map(Math.abs)));
  const first = await step(a);
  const kappa = spread(await diagonal(be, first.l, n));
  if (!(kappa <= CHOLQR2_MAX_COND[a.dtype])) throw refuse(kappa, first.q, first.l);
  const second = await step(first.q);
  // diag R₁ only bounds κ(A) from below (a singular A can show a modest spread). Within the domain
  // δ = ‖Q₁ᵀQ₁ − I‖ ≲ κ(A)²·u is small; the pivots of Q₁ᵀQ₁ lie in [1 − δ, 1 + δ], so with δ ≤ ½ the
  // second factor's diagonal spreads by at most √3. More means Q₁ was far from orthogonal.
  const second2 = spread(await diagonal(be, second.l, n));
  if (!(second2 <= Math.sqrt(3))) throw refuse(kappa * second2, first.q, first.l, second.q, second.l);
  be.dispose(first.q);
  const r = await ops.gemm(be, second.l, first.l, { transA: true, transB: true }); // R = L₂ᵀ·L₁ᵀ
  be.dispose(first.l);
  be.dispose(second.l);
  return { q: second.q, r };
}

/**
 * min ‖A·x − b‖₂ for tall A of full numerical column rank by Householder QR: x = R⁻¹·(Qᵀ·b). The domain
 * is |r_jj| > max(m, n)·ε·max|r_ii| for every j (numpy's lstsq default rcond, on R's diagonal):
 * NumericalError names it otherwise, instead of returning Inf or noise.
 */
export async function leastSquares(be: Backend, a: DeviceTensor, b: DeviceTensor): Promise<DeviceTensor> {
  const [m, n] = a.shape;
  if (m < n) throw new NumericalError(`leastSquares: a must have at least as many rows as columns, got ${m}×${n}`);
  const { q, r } = await ops.qr(be, a);
  try {
    // The method's domain is full column rank: a diagonal entry of R at rounding level (≤ max(m, n)·ε
    // times the largest) means A is numerically rank-deficient, and the solve would return Inf or noise.
    const d = await diagonal(be, r, n);
    const big = Math.max(0, ...d.map(Math.abs)),
      eps = computeEps(be, a.dtype);
    const j = d.findIndex((x) => !(Math.abs(x) > Math.max(m, n) * eps * big));
    if (n > 0 && j >= 0) {
      throw new NumericalError(
        `leastSquares: A is numerically rank-deficient (|r_${j}${j}| = ${Math.abs(d[j]).toExponential(1)} ≤ max(m, n)·ε·max|r_ii|); the method needs full column rank`,
      );
    }
    const x = await ops.gemv(be, q, b, { trans: true });
    await ops.trsm(be, r, x, { lower: false });
    return x;
  } finally {
    be.dispose(q);
    be.dispose(r);
  }
}
