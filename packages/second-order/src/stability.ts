/**
 * S27 (Wu & Su, "The Implicit Regularization of Dynamical Stability in SGD"): the linearized
 * dynamics of gradient descent and of SGD with batch size 1 at an interpolating minimum of the
 * squared loss L(w) = (1/2n)·Σ(x_iᵀw − y_i)², whose Hessian is H = XᵀX/n.
 *   GD:  e ← (I − ηH)·e                      stable iff η·λ_max(H) ≤ 2
 *   SGD: e ← (I − η·x_i x_iᵀ)·e, i uniform   linearly stable only if η·Tr(H) ≤ 2 (their Thm 3.3: a
 *        necessary condition). With rows of equal norm the bound is also sufficient, and the check is a
 *        one-line identity; with unequal norms it is not: each step is a non-expansion when
 *        η·‖x_i‖² ≤ 2, so the SGD threshold lies in [2/max‖x_i‖², 2/Tr H], and where it falls is measured.
 */
import { fillRandom, hostTensor, ops, type Backend, type DeviceTensor, type DType } from '@lowrank/core';
import { symmetricEigValues } from '@lowrank/linalg';

/** An over-parameterized least-squares problem: n rows of dimension d with norms spread over [1 − s, 1 + s]. */
export interface StabilityProblem {
  /** X (n×d) on the device, and each row as its own vector for the per-sample steps. */
  x: DeviceTensor;
  rows: DeviceTensor[];
  /** e₀ in the row space of X with ‖e₀‖ = 1e-3 (the plan's setting). */
  e0: Float64Array;
  n: number;
  d: number;
  /** max_i ‖x_i‖²: above 2/η some SGD step expands. */
  maxRowNorm2: number;
}

export async function stabilityProblem(
  be: Backend,
  dtype: DType,
  n: number,
  d: number,
  spread: number,
  seed: number,
): Promise<StabilityProblem> {
  const g = fillRandom({ seed, stream: 0 }, 'normal', 'f64', n * d);
  const u = fillRandom({ seed, stream: 3 }, 'uniform', 'f64', n);
  let maxRowNorm2 = 0;
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < d; j++) s += g[i * d + j] ** 2;
    const norm = 1 + spread * (2 * u[i] - 1);
    for (let j = 0; j < d; j++) g[i * d + j] *= norm / Math.sqrt(s);
    maxRowNorm2 = Math.max(maxRowNorm2, norm * norm);
  }
  const c = fillRandom({ seed, stream: 1 }, 'normal', 'f64', n);
  const e0 = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) e0[j] += c[i] * g[i * d + j];
  const norm = Math.hypot(...e0);
  for (let j = 0; j < d; j++) e0[j] *= 1e-3 / norm;
  const x = await be.upload(hostTensor(dtype, [n, d], g));
  const rows = await Promise.all(
    Array.from({ length: n }, (_, i) => be.upload(hostTensor(dtype, [d], g.subarray(i * d, (i + 1) * d)))),
  );
  return { x, rows, e0, n, d, maxRowNorm2 };
}

/** Tr(H) and λ_max(H), from the eigenvalues of XXᵀ/n (the nonzero spectrum of H = XᵀX/n). */
export async function hessianSpectrum(be: Backend, p: StabilityProblem): Promise<{ trace: number; lambdaMax: number }> {
  const gram = await ops.gemm(be, p.x, p.x, { transB: true, alpha: 1 / p.n });
  const values = await symmetricEigValues(be, gram);
  be.dispose(gram);
  return { trace: values.reduce((a, b) => a + b, 0), lambdaMax: values[0] };
}

/** ‖e‖ grows past this multiple of ‖e₀‖: the run has escaped, and stops (the ratio is then at least this). */
export const ESCAPED = 1e12;

/** ‖e_T‖/‖e₀‖ after `steps` of GD, stopping early once past ESCAPED. */
export async function gdErrorRatio(be: Backend, p: StabilityProblem, eta: number, steps: number): Promise<number> {
  const e = await be.upload(hostTensor(p.x.dtype, [p.d], p.e0));
  const r = be.zeros(p.x.dtype, [p.n]);
  const n0 = await ops.nrm2(be, e);
  let ratio = 1;
  for (let t = 0; t < steps && ratio < ESCAPED; t++) {
    await ops.gemv(be, p.x, e, { y: r }); // r = X·e
    await ops.gemv(be, p.x, r, { trans: true, alpha: -eta / p.n, beta: 1, y: e }); // e ← e − (η/n)·Xᵀr
    if (t % 100 === 99 || t === steps - 1) ratio = (await ops.nrm2(be, e)) / n0;
  }
  be.dispose(e);
  be.dispose(r);
  return ratio;
}

/** ‖e_T‖/‖e₀‖ after `steps` of SGD with batch 1 (sample order from the seeded PRNG), stopping once past ESCAPED. */
export async function sgdErrorRatio(
  be: Backend,
  p: StabilityProblem,
  eta: number,
  steps: number,
  seed: number,
): Promise<number> {
  const e = await be.upload(hostTensor(p.x.dtype, [p.d], p.e0));
  const n0 = await ops.nrm2(be, e);
  const pick = fillRandom({ seed, stream: 2 }, 'uniform', 'f64', steps);
  let ratio = 1;
  for (let t = 0; t < steps && ratio < ESCAPED; t++) {
    const xi = p.rows[Math.floor(pick[t] * p.n)];
    const s = await ops.dot(be, xi, e);
    if (!Number.isFinite(s)) return Infinity;
    await ops.axpy(be, -eta * s, xi, e); // e ← e − η·x_i(x_iᵀe)
    if (t % 100 === 99 || t === steps - 1) ratio = (await ops.nrm2(be, e)) / n0;
  }
  be.dispose(e);
  return ratio;
}

export function disposeProblem(be: Backend, p: StabilityProblem): void {
  be.dispose(p.x);
  for (const r of p.rows) be.dispose(r);
}
