/**
 * S07 ("Global Convergence of Sub-gradient Method for Robust Matrix Recovery"): recover
 * X* = U*U*ᵀ (d×d, rank r) from y_i = ⟨A_i, X*⟩ + s_i, where a fraction p of the measurements carry
 * gross outliers s_i, by the sub-gradient method on the ℓ1 loss over an over-parameterized factor
 * U ∈ R^{d×r'} (their problem (1)):
 *   f(U) = (1/m)·Σ|⟨A_i, UUᵀ⟩ − y_i|,  U ← U − η_t·(2/m)·Σ sign(⟨A_i, UUᵀ⟩ − y_i)·A_i·U,  η_t = η₀ρ^t,
 * from a small initialization U₀ = α·N(0, 1). The A_i are symmetric Gaussian, stacked as the rows of
 * one m×d² matrix so that the measurements and the sub-gradient are two matrix–vector products.
 */
import { fillRandom, hostTensor, ops, type Backend, type DeviceTensor, type DType } from '@lowrank/core';
import { gaussianInit, measure, measurementMatrices, orthonormalColumns } from './sensing.ts';

export interface RobustSensingProblem {
  /** The m symmetric measurement matrices, row i = vec(A_i) (m×d²). */
  a: DeviceTensor;
  y: Float64Array;
  xStar: Float64Array;
  d: number;
  m: number;
}

/**
 * X* = QQᵀ with Q (d×r) orthonormal (so ‖X*‖₂ = 1); A_i = (G_i + G_iᵀ)/2, G_i standard Gaussian;
 * each measurement is an outlier with probability p, drawn from N(0, (10‖X*‖_F)²).
 */
export async function robustSensingProblem(
  be: Backend,
  dtype: DType,
  d: number,
  r: number,
  m: number,
  p: number,
  seed: number,
): Promise<RobustSensingProblem> {
  const q = orthonormalColumns(d, r, seed, 10);
  const xStar = new Float64Array(d * d);
  for (let i = 0; i < d; i++)
    for (let j = 0; j < d; j++) for (let l = 0; l < r; l++) xStar[i * d + j] += q[i * r + l] * q[j * r + l];
  const a = measurementMatrices(m, d, seed, 11, true);
  const fro = Math.sqrt(xStar.reduce((s, v) => s + v * v, 0));
  const hit = fillRandom({ seed, stream: 12 }, 'uniform', 'f64', m);
  const noise = fillRandom({ seed, stream: 13 }, 'normal', 'f64', m);
  const y = measure(a, m, xStar);
  for (let k = 0; k < m; k++) if (hit[k] < p) y[k] += 10 * fro * noise[k];
  return { a: await be.upload(hostTensor(dtype, [m, d * d], a)), y, xStar, d, m };
}

/**
 * Runs `steps` sub-gradient steps from U₀ = α·N(0, 1) (d×rank) and returns the relative error
 * ‖U_TU_Tᵀ − X*‖_F / ‖X*‖_F. The signs are taken on the host (exactly: sign(0) = 0).
 */
export async function subgradientMethod(
  be: Backend,
  problem: RobustSensingProblem,
  rank: number,
  alpha: number,
  eta0: number,
  rho: number,
  steps: number,
  seed: number,
): Promise<number> {
  const { a, y, xStar, d, m } = problem;
  const dtype = a.dtype;
  const u = await be.upload(hostTensor(dtype, [d, rank], gaussianInit(d, rank, alpha, seed, 14)));
  for (let t = 0; t < steps; t++) {
    const release = be.track();
    const uu = await ops.reshape(be, await ops.gemm(be, u, u, { transB: true }), [d * d]);
    const z = (await be.download(await ops.gemv(be, a, uu))).data;
    const sign = Float64Array.from(z, (v, i) => Math.sign(v - y[i]));
    const g = await ops.gemv(be, a, await be.upload(hostTensor(dtype, [m], sign)), { trans: true }); // Σ sign_i·vec(A_i)
    const step = await ops.gemm(be, await ops.reshape(be, g, [d, d]), u);
    await ops.axpy(be, (-eta0 * rho ** t * 2) / m, step, u);
    release();
  }
  const ut = Float64Array.from((await be.download(u)).data);
  be.dispose(u);
  let num = 0,
    den = 0;
  for (let i = 0; i < d; i++) {
    for (let j = 0; j < d; j++) {
      let v = 0;
      for (let l = 0; l < rank; l++) v += ut[i * rank + l] * ut[j * rank + l];
      num += (v - xStar[i * d + j]) ** 2;
      den += xStar[i * d + j] ** 2;
    }
  }
  return Math.sqrt(num / den);
}
