/**
 * Factorizations and solves, written once against the Backend interface: the factorization kernels
 * (cholesky, lu, trsm) are the backends' own; the rest is composition and row permutations.
 */
import { hostTensor, NumericalError, ops, type Backend, type DeviceTensor } from '@lowrank/core';
import { permuteRows, unpackLu } from './host.ts';

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
    if (f.singularAt !== null) throw new NumericalError(`luSolve: a is singular: pivot ${f.singularAt} is exactly zero`);
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
    const x = await be.upload(await be.download(b));
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
  if (f.singularAt !== null) throw new NumericalError(`ldu: a is singular: pivot ${f.singularAt} is exactly zero, so U has no unit-diagonal split`);
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
