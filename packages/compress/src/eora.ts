/**
 * EoRA (S45: Liu et al., "EoRA: Training-free Compensation for Compressed LLM with Eigenspace Low-Rank
 * Approximation"): compensate a compression error ΔW = W − W_c (m×n) by a rank-r product B·A chosen
 * in the eigenspace of the input activations X (n×N):
 *   X·Xᵀ = Q·Λ·Qᵀ,  ΔW' = ΔW·Q·Λ^{1/2},  ΔW' ≈ U_r·S_r·V_rᵀ (truncated SVD),
 *   B = U_r·S_r,  A = V_rᵀ·Λ^{−1/2}·Qᵀ,  deployed as W_c + B·A.
 * Because Λ^{−1/2}·Qᵀ·X has orthonormal rows, ‖(ΔW − B·A)·X‖_F = ‖ΔW' − [ΔW']_r‖_F, and σ(ΔW') = σ(ΔW·X):
 * B·A is the exact minimizer of the output error over rank-r products (Eckart–Young in the X-weighted
 * norm; needs X·Xᵀ ≻ 0). Plain SVD compensation truncates ΔW itself and minimizes ‖ΔW − B·A‖_F instead.
 */
import { computeEps, hostTensor, NumericalError, ops, type Backend, type DeviceTensor } from '@lowrank/core';
import { hostSvd, symmetricEig } from '@lowrank/linalg';
import { reconstruct, termsFromSvd, type LowRankTerm } from './low-rank-term.ts';

/** The calibration set's eigenspace: X·Xᵀ = Q·Λ·Qᵀ (Λ descending, Q's columns on the host, n×n). */
export interface ActivationEigenspace {
  readonly n: number;
  readonly q: Float64Array;
  readonly lambda: Float64Array;
}

/**
 * Eigendecomposition of X·Xᵀ for X (n×N) on the backend; NumericalError unless X·Xᵀ ≻ 0 (N ≥ n and full
 * rank) numerically: a singular Gram matrix's smallest computed eigenvalue is ±O(n·ε·λ₁), of either
 * sign, so the test is λ_n > n·ε·λ₁ (ε of the computing dtype).
 */
export async function activationEigenspace(be: Backend, x: DeviceTensor): Promise<ActivationEigenspace> {
  const release = be.track();
  try {
    const n = x.shape[0];
    const { values, vectors } = await symmetricEig(be, await ops.gemm(be, x, x, { transB: true }));
    const min = values[n - 1];
    if (!(min > n * computeEps(be, x.dtype) * values[0]))
      throw new NumericalError(
        `EoRA: X·Xᵀ is not positive definite (smallest eigenvalue ${min}); the calibration set needs at least ${n} independent samples`,
      );
    return { n, q: Float64Array.from((await be.download(vectors)).data), lambda: values };
  } finally {
    release();
  }
}

/** Q·diag(d) for the host Q (n×n): column j scaled by d_j. */
function scaleColumns(q: Float64Array, n: number, d: ArrayLike<number>): Float64Array {
  return q.map((v, i) => v * d[i % n]);
}

/** EoRA's B·A for each rank, with the singular values of ΔW' = ΔW·Q·Λ^{1/2} (= those of ΔW·X). */
export async function eoraCompensation(
  be: Backend,
  deltaW: DeviceTensor,
  space: ActivationEigenspace,
  ranks: readonly number[],
): Promise<{ terms: LowRankTerm[]; sigma: Float64Array }> {
  const [m, n] = deltaW.shape;
  const release = be.track();
  try {
    const qHalf = await be.upload(
      hostTensor(deltaW.dtype, [n, n], scaleColumns(space.q, n, Array.from(space.lambda, Math.sqrt))),
    );
    const f = await hostSvd(be, await ops.gemm(be, deltaW, qHalf));
    // A_r = V_rᵀ·Λ^{−1/2}·Qᵀ = (Q·Λ^{−1/2}·V_r)ᵀ: the columns of Q·Λ^{−1/2}·V take V's place.
    const back = await be.upload(
      hostTensor(
        deltaW.dtype,
        [n, n],
        scaleColumns(
          space.q,
          n,
          Array.from(space.lambda, (l) => 1 / Math.sqrt(l)),
        ),
      ),
    );
    const v = await be.upload(hostTensor(deltaW.dtype, [n, f.s.length], f.v));
    const z = Float64Array.from((await be.download(await ops.gemm(be, back, v))).data);
    return { terms: termsFromSvd(f.u, f.s, z, m, n, ranks), sigma: f.s };
  } finally {
    release();
  }
}

/** ‖(ΔW − B·A)·X‖_F on the backend: the compensated layer's output error on inputs X (n×N). */
export async function outputError(
  be: Backend,
  deltaW: DeviceTensor,
  term: LowRankTerm | null,
  x: DeviceTensor,
): Promise<number> {
  const release = be.track();
  try {
    let residual = deltaW;
    if (term !== null) residual = await ops.binary(be, 'sub', deltaW, await reconstruct(be, deltaW.dtype, term));
    return await ops.nrm2(be, await ops.gemm(be, residual, x));
  } finally {
    release();
  }
}
