/**
 * AFM, Atomic Feature Mimicking (S33: "Unified Low-rank Compression Framework for Click-through Rate
 * Prediction"): compress what a layer *outputs* rather than its weights. For y = x·W + b (W n×m) with
 * calibration outputs Y (N×m): μ = 1ᵀY/N, Cov(Y) = (Y − 1μ)ᵀ(Y − 1μ)/N = Q·Λ·Qᵀ, and with Q_r its top-r
 * eigenvectors the layer becomes two thin ones,
 *   ŷ = μ + (y − μ)·Q_r·Q_rᵀ = x·(W·Q_r)·Q_rᵀ + [μ + (b − μ)·Q_r·Q_rᵀ],
 * the best rank-r orthogonal projection of the centered calibration outputs (Eckart–Young), with output
 * error √(N·Σ_{i>r} λ_i). An embedding table E (V×d) is the layer of one-hot inputs: E ≈ (E·Q_r)·Q_rᵀ
 * plus the constant μ·(I − Q_r·Q_rᵀ), which the next layer's bias absorbs.
 */
import { hostTensor, ops, type Backend, type DeviceTensor } from '@lowrank/core';
import { symmetricEig } from '@lowrank/linalg';
import type { LowRankTerm } from './low-rank-term.ts';

/** The calibration outputs' mean, the eigenvalues of their covariance (descending) and its top-r eigenvectors. */
export interface OutputProjection {
  readonly m: number;
  readonly r: number;
  readonly mean: Float64Array;
  readonly lambda: Float64Array;
  /** Q_r, m×r row-major (host). */
  readonly basis: Float64Array;
}

/** μ and Cov(Y) of calibration outputs Y (N×m, device) by two GEMMs on the centered Y, then its eigendecomposition. */
export async function outputProjection(be: Backend, y: DeviceTensor, r: number): Promise<OutputProjection> {
  const [n, m] = y.shape;
  if (!(Number.isInteger(r) && r >= 1 && r <= m))
    throw new RangeError(`AFM: rank ${r} must be an integer in [1, ${m}]`);
  const release = be.track();
  try {
    const ones = await be.upload(hostTensor(y.dtype, [1, n], new Float64Array(n).fill(1)));
    const mu = await ops.gemm(be, ones, y, { alpha: 1 / n });
    const centered = await addToRows(be, await ops.copy(be, y), mu, -1);
    const { values, vectors } = await symmetricEig(
      be,
      await ops.gemm(be, centered, centered, { transA: true, alpha: 1 / n }),
    );
    const q = (await be.download(vectors)).data;
    const basis = new Float64Array(m * r);
    for (let i = 0; i < m; i++) for (let j = 0; j < r; j++) basis[i * r + j] = q[i * m + j];
    return { m, r, mean: Float64Array.from((await be.download(mu)).data), lambda: values, basis };
  } finally {
    release();
  }
}

/** Q_r·Q_rᵀ (m×m, host). */
export function projector(p: OutputProjection): Float64Array {
  const { m, r, basis } = p;
  const out = new Float64Array(m * m);
  for (let i = 0; i < m; i++)
    for (let j = 0; j < m; j++) {
      let s = 0;
      for (let t = 0; t < r; t++) s += basis[i * r + t] * basis[j * r + t];
      out[i * m + j] = s;
    }
  return out;
}

/** y ← y + α·1·row for a 1×m row on the device (a bias, or −μ), in place; returns y. */
async function addToRows(be: Backend, y: DeviceTensor, row: DeviceTensor, alpha = 1): Promise<DeviceTensor> {
  const ones = await be.upload(hostTensor(y.dtype, [y.shape[0], 1], new Float64Array(y.shape[0]).fill(1)));
  await ops.gemm(be, ones, row, { alpha, beta: 1, c: y });
  be.dispose(ones);
  return y;
}

/** y ← y + 1·vᵀ for a host vector v (length m). */
async function addHostRow(be: Backend, y: DeviceTensor, v: ArrayLike<number>): Promise<DeviceTensor> {
  const row = await be.upload(hostTensor(y.dtype, [1, y.shape[1]], Float64Array.from(v)));
  await addToRows(be, y, row);
  be.dispose(row);
  return y;
}

/** Y = X·W + 1·bᵀ on the backend. */
export async function layerOutputs(
  be: Backend,
  x: DeviceTensor,
  w: DeviceTensor,
  bias: ArrayLike<number>,
): Promise<DeviceTensor> {
  return addHostRow(be, await ops.gemm(be, x, w), bias);
}

/** A layer y = x·W + b compressed to x·(term.b·term.a) + bias. */
export interface AffineLowRank {
  readonly term: LowRankTerm;
  readonly bias: Float64Array;
}

/** AFM's two thin layers: W·Q_r (n×r, on the backend), Q_rᵀ, and the bias μ + (b − μ)·Q_r·Q_rᵀ. */
export async function afmLayer(
  be: Backend,
  w: DeviceTensor,
  bias: ArrayLike<number>,
  p: OutputProjection,
): Promise<AffineLowRank> {
  const [n, m] = w.shape;
  const { r, basis, mean } = p;
  const release = be.track();
  try {
    const wq = await ops.gemm(be, w, await be.upload(hostTensor(w.dtype, [m, r], basis)));
    const a = new Float64Array(r * m);
    for (let i = 0; i < m; i++) for (let j = 0; j < r; j++) a[j * m + i] = basis[i * r + j];
    const pp = projector(p);
    const shifted = new Float64Array(m);
    for (let j = 0; j < m; j++) {
      let s = 0;
      for (let i = 0; i < m; i++) s += (bias[i] - mean[i]) * pp[i * m + j];
      shifted[j] = mean[j] + s;
    }
    return { term: { m: n, n: m, r, b: Float64Array.from((await be.download(wq)).data), a }, bias: shifted };
  } finally {
    release();
  }
}

/** ‖Ŷ − Y‖_F of a compressed layer on inputs X (N×n) against the layer itself (both on the backend). */
export async function calibrationError(
  be: Backend,
  x: DeviceTensor,
  w: DeviceTensor,
  bias: ArrayLike<number>,
  c: AffineLowRank,
): Promise<number> {
  const release = be.track();
  try {
    const [n, m] = w.shape;
    const b = await be.upload(hostTensor(x.dtype, [n, c.term.r], c.term.b));
    const a = await be.upload(hostTensor(x.dtype, [c.term.r, m], c.term.a));
    const diff = await ops.gemm(be, await ops.gemm(be, x, b), a); // X·B·A − X·W + 1·(b̂ − b)
    await ops.gemm(be, x, w, { alpha: -1, beta: 1, c: diff });
    await addHostRow(
      be,
      diff,
      Float64Array.from({ length: m }, (_, j) => c.bias[j] - bias[j]),
    );
    return await ops.nrm2(be, diff); // awaited inside try: the release must not run before the kernel has read diff
  } finally {
    release();
  }
}
