/** Random test matrices drawn on a backend from the shared PRNG: orthonormal bases, prescribed spectra, anisotropic samples. */
import { fillRandom, hostTensor, ops, type Backend, type DeviceTensor, type DType } from '@lowrank/core';
import { diagonalMatrix } from './host.ts';

/** n×k with orthonormal columns: the Q of a Gaussian matrix's QR, on the backend. */
export async function randomOrthonormal(
  be: Backend,
  dtype: DType,
  n: number,
  k: number,
  seed: number,
  stream: number,
): Promise<DeviceTensor> {
  const g = await ops.random(be, dtype, [n, k], { dist: 'normal', seed, stream });
  const { q, r } = await ops.qr(be, g);
  be.dispose(g);
  be.dispose(r);
  return q;
}

/** U·diag(σ)·Vᵀ (m×n, m ≤ n) with random orthonormal U, V and the given singular values. */
export async function matrixWithSpectrum(
  be: Backend,
  dtype: DType,
  m: number,
  n: number,
  sigma: ArrayLike<number>,
  seed: number,
): Promise<DeviceTensor> {
  const release = be.track();
  const u = await randomOrthonormal(be, dtype, m, m, seed, 70);
  const v = await randomOrthonormal(be, dtype, n, m, seed, 71);
  const us = await ops.gemm(
    be,
    u,
    await be.upload(hostTensor(dtype, [m, m], diagonalMatrix(Array.from({ length: m }, (_, i) => sigma[i])))),
  );
  const w = await ops.gemm(be, us, v, { transB: true });
  release(w);
  return w;
}

/**
 * N samples (as the columns of an n×N matrix) of N(0, Σ) with Σ = P·diag(λ)·Pᵀ, P a random orthogonal
 * basis fixed by `seed`: X = P·diag(√λ)·G with G standard normal from `stream`.
 */
export async function samplesWithSpectrum(
  be: Backend,
  dtype: DType,
  variances: readonly number[],
  count: number,
  seed: number,
  stream: number,
): Promise<DeviceTensor> {
  const n = variances.length;
  const release = be.track();
  const p = await randomOrthonormal(be, dtype, n, n, seed, 72);
  const d = diagonalMatrix(variances.map(Math.sqrt));
  const g = await ops.random(be, dtype, [n, count], { dist: 'normal', seed, stream });
  const x = await ops.gemm(be, await ops.gemm(be, p, await be.upload(hostTensor(dtype, [n, n], d))), g);
  release(x);
  return x;
}

/** samplesWithSpectrum with λ_i = 10^{U(lo, hi)} (uniform exponents from the seed's stream 73). */
export async function anisotropicSamples(
  be: Backend,
  dtype: DType,
  n: number,
  count: number,
  lo: number,
  hi: number,
  seed: number,
  stream: number,
): Promise<DeviceTensor> {
  const u = fillRandom({ seed, stream: 73 }, 'uniform', 'f64', n);
  return samplesWithSpectrum(
    be,
    dtype,
    Array.from(u, (v) => 10 ** (lo + (hi - lo) * v)),
    count,
    seed,
    stream,
  );
}
