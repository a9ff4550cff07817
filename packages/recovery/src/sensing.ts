/**
 * S30 (Xiong, Ding & Du, "How Over-Parameterization Slows Down Gradient Descent in Matrix Sensing",
 * ICLR 2024): gradient descent on factorized low-rank matrix recovery, with full observation
 * (A = identity, A*(A(M) − y) = M − M*) or Gaussian measurements:
 *   symmetric   X ← X − η·A*(A(XXᵀ) − y)·X                          X ∈ R^{n×k}
 *   asymmetric  R = A*(A(FGᵀ) − y);  F ← F − η·R·G,  G ← G − η·Rᵀ·F  (simultaneous), F, G ∈ R^{n×k}
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
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) for (let l = 0; l < r; l++) m[i * n + j] += u[i * r + l] * sigmas[l] * v[j * r + l];
  return m;
}

/** Scale·N(0, 1) draws, n×k, from stream `stream` of `seed`. */
export function gaussianInit(n: number, k: number, scale: number, seed: number, stream: number): Float64Array {
  return (fillRandom({ seed, stream }, 'normal', 'f64', n * k) as Float64Array).map((v) => scale * v);
}

/**
 * A sensing operator through its normal map R = A*(A(P) − y), the gradient factor of
 * (1/4)·‖A(P) − y‖² at P = XXᵀ (or FGᵀ). For full observation (A = I) R = P − M*.
 */
export interface SensingOperator {
  readonly name: string;
  readonly dtype: DType;
  /** A new n×n tensor A*(A(P) − y). */
  normalResidual(p: DeviceTensor): Promise<DeviceTensor>;
  dispose(): void;
}

/** A = identity: every entry observed. */
export async function fullObservation(
  be: Backend,
  dtype: DType,
  mStar: Float64Array,
  n: number,
): Promise<SensingOperator> {
  const target = await be.upload(hostTensor(dtype, [n, n], mStar));
  return {
    name: 'full observation',
    dtype,
    normalResidual: (p) => ops.binary(be, 'sub', p, target),
    dispose: () => be.dispose(target),
  };
}

/** m matrices A_i (n×n) with standard normal entries, symmetrized to (G + Gᵀ)/2 when asked, stacked as the rows of an m×n² array. */
export function measurementMatrices(
  m: number,
  n: number,
  seed: number,
  stream: number,
  symmetric: boolean,
): Float64Array {
  const g = fillRandom({ seed, stream }, 'normal', 'f64', m * n * n) as Float64Array;
  if (symmetric) {
    for (let i = 0; i < m; i++) {
      const o = i * n * n;
      for (let r = 0; r < n; r++)
        for (let c = r + 1; c < n; c++) g[o + r * n + c] = g[o + c * n + r] = (g[o + r * n + c] + g[o + c * n + r]) / 2;
    }
  }
  return g;
}

/** y_i = ⟨A_i, X⟩ for the m stacked matrices of `measurementMatrices`. */
export function measure(a: Float64Array, m: number, x: Float64Array): Float64Array {
  const size = x.length,
    y = new Float64Array(m);
  for (let i = 0; i < m; i++) for (let e = 0; e < size; e++) y[i] += a[i * size + e] * x[e];
  return y;
}

/**
 * m Gaussian measurements y_i = ⟨A_i, M*⟩, A_i with standard normal entries (symmetrized, (G + Gᵀ)/2,
 * for a symmetric problem), stacked as the rows of one m×n² matrix; A*(r) = (1/m)·Σ r_i A_i, so that
 * E[A*A(P)] = P (for symmetric P in the symmetric case).
 */
export async function gaussianSensing(
  be: Backend,
  dtype: DType,
  mStar: Float64Array,
  n: number,
  m: number,
  seed: number,
  symmetric: boolean,
): Promise<SensingOperator> {
  const g = measurementMatrices(m, n, seed, 20, symmetric);
  const y = measure(g, m, mStar);
  const a = await be.upload(hostTensor(dtype, [m, n * n], g));
  const yd = await be.upload(hostTensor(dtype, [m], y));
  return {
    name: `Gaussian sensing (m = ${m})`,
    dtype,
    async normalResidual(p) {
      const v = await ops.reshape(be, p, [n * n]);
      const av = await ops.gemv(be, a, v);
      const z = await ops.binary(be, 'sub', av, yd);
      const back = await ops.gemv(be, a, z, { trans: true, alpha: 1 / m });
      const r = await ops.reshape(be, back, [n, n]);
      for (const t of [v, av, z, back]) be.dispose(t);
      return r;
    },
    dispose: () => {
      be.dispose(a);
      be.dispose(yd);
    },
  };
}

/** ‖X_tX_tᵀ − M*‖_F at each step t in `at` (ascending), for symmetric GD X ← X − η·A*(A(XXᵀ) − y)·X from X₀. */
export async function symmetricGd(
  be: Backend,
  op: SensingOperator,
  mStar: Float64Array,
  x0: Float64Array,
  n: number,
  k: number,
  eta: number,
  at: readonly number[],
): Promise<number[]> {
  const dtype = op.dtype;
  const target = await be.upload(hostTensor(dtype, [n, n], mStar));
  const x = await be.upload(hostTensor(dtype, [n, k], x0));
  const p = be.zeros(dtype, [n, n]);
  const grad = be.zeros(dtype, [n, k]);
  const errors: number[] = [];
  for (let t = 0, next = 0; next < at.length; t++) {
    await ops.gemm(be, x, x, { transB: true, c: p });
    if (t === at[next]) {
      errors.push(await distance(be, p, target));
      next++;
      if (next === at.length) break;
    }
    const r = await op.normalResidual(p);
    await ops.gemm(be, r, x, { c: grad });
    be.dispose(r);
    await ops.axpy(be, -eta, grad, x);
  }
  for (const tsr of [target, x, p, grad]) be.dispose(tsr);
  return errors;
}

/** ‖P − M*‖_F, out of place (WebGPU forbids one buffer bound for reading and writing). */
async function distance(be: Backend, p: DeviceTensor, target: DeviceTensor): Promise<number> {
  const d = await ops.binary(be, 'sub', p, target);
  const v = await ops.nrm2(be, d);
  be.dispose(d);
  return v;
}

/**
 * ‖F_tG_tᵀ − M*‖_F every `every` steps up to `steps` (index i is step i·every; the run stops at the
 * first sample below `stopBelow`), for asymmetric GD
 * R = A*(A(FGᵀ) − y); F ← F − η·R·G, G ← G − η·Rᵀ·F (simultaneous).
 */
export async function asymmetricGd(
  be: Backend,
  op: SensingOperator,
  mStar: Float64Array,
  f0: Float64Array,
  g0: Float64Array,
  n: number,
  k: number,
  eta: number,
  steps: number,
  every: number,
  stopBelow = 0,
): Promise<number[]> {
  const dtype = op.dtype;
  const target = await be.upload(hostTensor(dtype, [n, n], mStar));
  const f = await be.upload(hostTensor(dtype, [n, k], f0));
  const g = await be.upload(hostTensor(dtype, [n, k], g0));
  const p = be.zeros(dtype, [n, n]);
  const gradF: DeviceTensor = be.zeros(dtype, [n, k]);
  const gradG: DeviceTensor = be.zeros(dtype, [n, k]);
  const errors: number[] = [];
  for (let t = 0; t <= steps; t++) {
    await ops.gemm(be, f, g, { transB: true, c: p });
    if (t % every === 0) errors.push(await distance(be, p, target));
    if (t === steps || errors[errors.length - 1] < stopBelow) break;
    const r = await op.normalResidual(p);
    await ops.gemm(be, r, g, { c: gradF }); // R·G
    await ops.gemm(be, r, f, { transA: true, c: gradG }); // Rᵀ·F, from the same (old) F
    be.dispose(r);
    await ops.axpy(be, -eta, gradF, f);
    await ops.axpy(be, -eta, gradG, g);
  }
  for (const tsr of [target, f, g, p, gradF, gradG]) be.dispose(tsr);
  return errors;
}

/**
 * The linear rate of an error trajectory: −d ln(error)/dt by least squares over the samples whose
 * error lies in [floor, ceiling] (the linear phase, after the initial plateau and before rounding).
 */
export function linearRate(errors: readonly number[], every: number, floor: number, ceiling: number): number {
  const pts = errors
    .map((e, i) => [i * every, Math.log(e)] as const)
    .filter((_, i) => errors[i] >= floor && errors[i] <= ceiling);
  if (pts.length < 2) return NaN;
  const mt = pts.reduce((a, p) => a + p[0], 0) / pts.length,
    ml = pts.reduce((a, p) => a + p[1], 0) / pts.length;
  let stl = 0,
    stt = 0;
  for (const [t, l] of pts) {
    stl += (t - mt) * (l - ml);
    stt += (t - mt) ** 2;
  }
  return -stl / stt;
}
