/**
 * Singular value decompositions written against the Backend interface: the full thin SVD is the
 * backends' one-sided Jacobi kernel, preconditioned by QR or by the eigenvectors of AᵀA; truncation
 * and the randomized SVD are compositions of GEMM, QR and a small SVD, so they run on every backend
 * that has those kernels.
 */
import { hostTensor, ops, type Backend, type DeviceTensor } from '@lowrank/core';
import { checkCount, checkRank } from './checks.ts';
import { firstColumns } from './host.ts';
import { rangeScale } from './range.ts';

/**
 * Thin SVD by preconditioned one-sided Jacobi; `valuesOnly` skips the vectors (u and v come back 0×k).
 * - A clearly tall A (m ≥ 2n) that is well conditioned (AᵀA's eigenvalues within TALL_EIGENVALUE_RATIO, so
 *   κ(A) ≤ 100) goes straight to the eigenvector preconditioning below: B = A·Z converges in one to three
 *   sweeps, cheaper than a QR. Otherwise it is reduced to the n×n factor R of A = Q·R and U = Q·U_R (QR
 *   preconditioning, Drmač and Veselić 2008): the sweeps, more of them now, cost n³ instead of m·n², on
 *   R·Z with the same Z (RᵀR = AᵀA). The condition estimate chooses the path as dgejsv's does. A wide A goes
 *   through its transpose.
 * - A whose largest entry is far from 1 is first scaled by a power of two (AᵀA would under- or overflow).
 * - Otherwise Jacobi runs on B = A·Z, Z the eigenvectors of AᵀA from the tridiagonal eigensolver,
 *   and V = Z·V_B (B's rotations applied to Z). B's columns are orthogonal up to the eigensolver's error,
 *   O(ε·‖A‖²) in BᵀB, so Jacobi, which converges quadratically once the off-diagonal is small, needs 2–3 sweeps instead of
 *   10–14 (measured at n = 128: 2 sweeps and 135 rotations on a random matrix against 11 sweeps and
 *   63 000 rotations on A itself). Z is only a change of basis: the accuracy is still Jacobi's on B.
 */
export async function svd(
  be: Backend,
  a: DeviceTensor,
  o: { maxSweeps?: number; valuesOnly?: boolean } = {},
): Promise<ops.Svd> {
  const scale = await rangeScale(be, a);
  if (Number.isNaN(scale)) return ops.svd(be, a, o); // NaN or ±Inf in A: the kernel names it (NonFiniteError)
  if (scale === 1) return preconditionedSvd(be, a, o);
  const scaled = await ops.scal(be, scale, await ops.copy(be, a));
  const f = await preconditionedSvd(be, scaled, o);
  be.dispose(scaled);
  await ops.scal(be, 1 / scale, f.s);
  return f;
}

/** The SVD of an A already in range: transposed when wide, then QR- or eigenvector-preconditioned Jacobi. */
async function preconditionedSvd(
  be: Backend,
  a: DeviceTensor,
  o: { maxSweeps?: number; valuesOnly?: boolean },
): Promise<ops.Svd> {
  const [m, n] = a.shape;
  if (m < n) {
    const at = await ops.transpose(be, a);
    const t = await preconditionedSvd(be, at, o);
    be.dispose(at);
    return { u: t.v, s: t.s, v: t.u, sweeps: t.sweeps };
  }
  if (n === 0) return ops.svd(be, a, o);
  return keepingFactors(be, async () => {
    const { values, vectors: z } = await ops.syev(be, await ops.gemm(be, a, a, { transA: true }));
    if (m < 2 * n || (await wellConditioned(be, values))) return jacobiOnAZ(be, a, z, o);
    const { q, r } = await ops.qr(be, a); // |r_ij| ≤ ‖a_j‖: R stays in range
    const inner = await jacobiOnAZ(be, r, z, o);
    return o.valuesOnly === true ? inner : { ...inner, u: await ops.gemm(be, q, inner.u) };
  });
}

/**
 * AᵀA's eigenvalues (descending) at most this far apart, κ(A) ≤ 100: a tall A·Z then converges in one to three
 * sweeps, cheaper than a QR; near κ = 10⁴ the two paths tie (1000×100), and past it the QR path's smaller sweeps win.
 */
const TALL_EIGENVALUE_RATIO = 1e-4;

async function wellConditioned(be: Backend, values: DeviceTensor): Promise<boolean> {
  const lambda = (await be.download(values)).data;
  return lambda[lambda.length - 1] >= TALL_EIGENVALUE_RATIO * lambda[0];
}

/** Runs `body` with the backend tracking its allocations: all are freed at the end but the result's factors. */
async function keepingFactors(be: Backend, body: () => Promise<ops.Svd>): Promise<ops.Svd> {
  const release = be.track();
  let kept: ops.Svd | undefined;
  try {
    kept = await body();
    return kept;
  } finally {
    release(kept?.u, kept?.s, kept?.v);
  }
}

/**
 * Jacobi on B = A·Z, Z the eigenvectors of AᵀA, and V = Z·V_B: the kernel applies B's right rotations to Z itself
 * (ops.svd's basis), at no cost beyond rotating I, instead of a product Z·V_B of 2n³ flops (inside keepingFactors).
 */
async function jacobiOnAZ(
  be: Backend,
  a: DeviceTensor,
  z: DeviceTensor,
  o: { maxSweeps?: number; valuesOnly?: boolean },
): Promise<ops.Svd> {
  return ops.svd(be, await ops.gemm(be, a, z), o.valuesOnly === true ? o : { ...o, basis: z });
}

/**
 * Smallest k with Σ_{i≤k} s_i² ≥ energy·Σ s_i² (energy in (0, 1]), the rank rule of TRP and of
 * compression by retained spectral energy. Zero for an all-zero spectrum.
 */
export function rankForEnergy(s: ArrayLike<number>, energy: number): number {
  if (!(energy > 0 && energy <= 1)) throw new RangeError(`energy must be in (0, 1], got ${energy}`);
  let total = 0;
  for (let i = 0; i < s.length; i++) total += s[i] * s[i];
  if (total === 0) return 0;
  let acc = 0;
  for (let i = 0; i < s.length; i++) {
    acc += s[i] * s[i];
    if (acc >= energy * total) return i + 1;
  }
  return s.length;
}

/** Keeps the first k columns of a rows×cols tensor (a host round trip; k and the tensors are small). */
async function leadingColumns(be: Backend, t: DeviceTensor, k: number): Promise<DeviceTensor> {
  const host = await be.download(t);
  const [rows, cols] = t.shape.length === 1 ? [1, t.shape[0]] : t.shape;
  return be.upload(hostTensor(t.dtype, t.shape.length === 1 ? [k] : [rows, k], firstColumns(host.data, rows, cols, k)));
}

/** The thin SVD of a device matrix, brought to the host. */
export async function hostSvd(
  be: Backend,
  a: DeviceTensor,
): Promise<{ u: Float64Array; s: Float64Array; v: Float64Array }> {
  const f = await svd(be, a);
  const out = {
    u: Float64Array.from((await be.download(f.u)).data),
    s: Float64Array.from((await be.download(f.s)).data),
    v: Float64Array.from((await be.download(f.v)).data),
  };
  for (const t of [f.u, f.s, f.v]) be.dispose(t);
  return out;
}

export interface TruncatedSvd {
  u: DeviceTensor;
  s: DeviceTensor;
  v: DeviceTensor;
}

/** The best rank-k approximation's factors (Eckart–Young): the leading k singular triplets. */
export async function truncatedSvd(be: Backend, a: DeviceTensor, k: number): Promise<TruncatedSvd> {
  checkRank(k);
  const full = await svd(be, a);
  const kk = Math.min(k, full.s.size);
  const out = {
    u: await leadingColumns(be, full.u, kk),
    s: await leadingColumns(be, full.s, kk),
    v: await leadingColumns(be, full.v, kk),
  };
  for (const t of [full.u, full.s, full.v]) be.dispose(t);
  return out;
}

export interface RandomizedSvdOptions {
  /** Extra sample columns beyond k (HMT's p; 10 by default). */
  oversampling?: number;
  /** Power (subspace) iterations q, each re-orthonormalized by QR (2 by default). */
  powerIterations?: number;
  seed?: number;
}

/**
 * Randomized SVD (Halko, Martinsson and Tropp 2011, Alg. 4.4 + 5.1): Y = A·Ω with Gaussian Ω (n×(k+p)),
 * q rounds of Y ← A·(Aᵀ·Q) with QR in between, Q = qr(Y), B = Qᵀ·A, B = Ũ·Σ·Vᵀ, U = Q·Ũ; truncated to k.
 * Expected error E‖A − U·Σ·Vᵀ‖_F ≤ (1 + k/(p − 1))^{1/2}·(Σ_{j>k} σ_j²)^{1/2} for q = 0 (HMT Thm 10.5),
 * and closer to optimal with each power iteration.
 */
export async function randomizedSvd(
  be: Backend,
  a: DeviceTensor,
  k: number,
  o: RandomizedSvdOptions = {},
): Promise<TruncatedSvd> {
  checkRank(k);
  if (o.oversampling !== undefined) checkCount('oversampling', o.oversampling, 0);
  if (o.powerIterations !== undefined) checkCount('powerIterations', o.powerIterations, 0);
  const [m, n] = a.shape;
  const l = Math.min(k + (o.oversampling ?? 10), m, n);
  const omega = await ops.random(be, a.dtype, [n, l], { dist: 'normal', seed: o.seed ?? 0, stream: 0 });
  let y = await ops.gemm(be, a, omega);
  be.dispose(omega);
  for (let i = 0; i < (o.powerIterations ?? 2); i++) {
    const q1 = await ops.qr(be, y);
    be.dispose(y);
    be.dispose(q1.r);
    const z = await ops.gemm(be, a, q1.q, { transA: true });
    be.dispose(q1.q);
    const q2 = await ops.qr(be, z);
    be.dispose(z);
    be.dispose(q2.r);
    y = await ops.gemm(be, a, q2.q);
    be.dispose(q2.q);
  }
  const { q, r } = await ops.qr(be, y);
  be.dispose(y);
  be.dispose(r);
  const b = await ops.gemm(be, q, a, { transA: true }); // l×n
  const small = await svd(be, b);
  be.dispose(b);
  const u = await ops.gemm(be, q, small.u);
  be.dispose(q);
  be.dispose(small.u);
  const kk = Math.min(k, l);
  const out = {
    u: await leadingColumns(be, u, kk),
    s: await leadingColumns(be, small.s, kk),
    v: await leadingColumns(be, small.v, kk),
  };
  for (const t of [u, small.s, small.v]) be.dispose(t);
  return out;
}
