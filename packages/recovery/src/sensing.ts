/**
 * S30 (Xiong, Ding & Du, "How Over-Parameterization Slows Down Gradient Descent in Matrix Sensing",
 * ICLR 2024): gradient descent on factorized low-rank matrix recovery, here with full observation
 * (the sensing operator A is the identity, so A*(A(M) − y) = M − M*):
 *   symmetric   X ← X − η·(XXᵀ − M*)·X                          X ∈ R^{n×k}
 *   asymmetric  R = FGᵀ − M*;  F ← F − η·R·G,  G ← G − η·Rᵀ·F     (simultaneous), F, G ∈ R^{n×k}
 * Over-parameterized when k > r = rank(M*). Their Thm 1: symmetric over-parameterized GD has
 * ‖XXᵀ − M*‖ ≥ Ω(1/T) (squared error Ω(1/T²)); Thm 2: asymmetric converges as exp(−Ω(α²T)) from an
 * initialization of scale α.
 */
import { fillRandom, hostTensor, ops, type Backend, type DeviceTensor, type DType } from '@lowrank/core';

/** n×r with orthonormal columns: Gram–Schmidt (twice, for orthogonality to rounding) of a Gaussian. */
export function orthonormalColumns(n: number, r: number, seed: number, stream: number): Float64Array {
  const q = fillRandom({ seed, stream }, 'normal', 'f64', n * r) as Float64Array;
  for (let j = 0; j < r; j++) {
    for (let pass = 0; pass < 2; pass++) {
      for (let i = 0; i < j; i++) {
        let d = 0;
        for (let t = 0; t < n; t++) d += q[t * r + i] * q[t * r + j];
        for (let t = 0; t < n; t++) q[t * r + j] -= d * q[t * r + i];
      }
    }
    let s = 0;
    for (let t = 0; t < n; t++) s += q[t * r + j] ** 2;
    for (let t = 0; t < n; t++) q[t * r + j] /= Math.sqrt(s);
  }
  return q;
}

/** M* = U·diag(σ)·Vᵀ (n×n); symmetric positive semidefinite (V = U) when `symmetric`. */
export function lowRankTarget(n: number, sigmas: readonly number[], seed: number, symmetric: boolean): Float64Array {
  const r = sigmas.length;
  const u = orthonormalColumns(n, r, seed, 0);
  const v = symmetric ? u : orthonormalColumns(n, r, seed, 1);
  const m = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) for (let l = 0; l < r; l++) m[i * n + j] += u[i * r + l] * sigmas[l] * v[j * r + l];
  return m;
}

/** Scale·N(0, 1) draws, n×k, from stream `stream` of `seed`. */
export function gaussianInit(n: number, k: number, scale: number, seed: number, stream: number): Float64Array {
  return (fillRandom({ seed, stream }, 'normal', 'f64', n * k) as Float64Array).map((v) => scale * v);
}

/** ‖X_tX_tᵀ − M*‖_F at each step t in `at` (ascending), for symmetric GD from X₀. */
export async function symmetricGd(be: Backend, dtype: DType, mStar: Float64Array, x0: Float64Array, n: number, k: number, eta: number, at: readonly number[]): Promise<number[]> {
  const target = await be.upload(hostTensor(dtype, [n, n], mStar));
  const x = await be.upload(hostTensor(dtype, [n, k], x0));
  const p = be.zeros(dtype, [n, n]);
  const r = be.zeros(dtype, [n, n]); // out of place: WebGPU forbids one buffer bound for reading and writing
  const grad = be.zeros(dtype, [n, k]);
  const errors: number[] = [];
  for (let t = 0, next = 0; next < at.length; t++) {
    await ops.gemm(be, x, x, { transB: true, c: p });
    await ops.binary(be, 'sub', p, target, r); // R = XXᵀ − M*
    if (t === at[next]) {
      errors.push(await ops.nrm2(be, r));
      next++;
      if (next === at.length) break;
    }
    await ops.gemm(be, r, x, { c: grad });
    await ops.axpy(be, -eta, grad, x);
  }
  for (const tsr of [target, x, p, r, grad]) be.dispose(tsr);
  return errors;
}

/** ‖F_tG_tᵀ − M*‖_F every `every` steps up to `steps` (index i is step i·every), for asymmetric GD. */
export async function asymmetricGd(
  be: Backend, dtype: DType, mStar: Float64Array, f0: Float64Array, g0: Float64Array, n: number, k: number, eta: number, steps: number, every: number,
): Promise<number[]> {
  const target = await be.upload(hostTensor(dtype, [n, n], mStar));
  const f = await be.upload(hostTensor(dtype, [n, k], f0));
  const g = await be.upload(hostTensor(dtype, [n, k], g0));
  const p = be.zeros(dtype, [n, n]);
  const r = be.zeros(dtype, [n, n]);
  const gradF: DeviceTensor = be.zeros(dtype, [n, k]);
  const gradG: DeviceTensor = be.zeros(dtype, [n, k]);
  const errors: number[] = [];
  for (let t = 0; t <= steps; t++) {
    await ops.gemm(be, f, g, { transB: true, c: p });
    await ops.binary(be, 'sub', p, target, r); // R = FGᵀ − M*
    if (t % every === 0) errors.push(await ops.nrm2(be, r));
    if (t === steps) break;
    await ops.gemm(be, r, g, { c: gradF }); // R·G
    await ops.gemm(be, r, f, { transA: true, c: gradG }); // Rᵀ·F, from the same (old) F
    await ops.axpy(be, -eta, gradF, f);
    await ops.axpy(be, -eta, gradG, g);
  }
  for (const tsr of [target, f, g, p, r, gradF, gradG]) be.dispose(tsr);
  return errors;
}

/**
 * The linear rate of an error trajectory: −d ln(error)/dt by least squares over the samples whose
 * error lies in [floor, ceiling] (the linear phase, after the initial plateau and before rounding).
 */
export function linearRate(errors: readonly number[], every: number, floor: number, ceiling: number): number {
  const pts = errors.map((e, i) => [i * every, Math.log(e)] as const).filter((_, i) => errors[i] >= floor && errors[i] <= ceiling);
  if (pts.length < 2) return NaN;
  const mt = pts.reduce((a, p) => a + p[0], 0) / pts.length, ml = pts.reduce((a, p) => a + p[1], 0) / pts.length;
  let stl = 0, stt = 0;
  for (const [t, l] of pts) {
    stl += (t - mt) * (l - ml);
    stt += (t - mt) ** 2;
  }
  return -stl / stt;
}
