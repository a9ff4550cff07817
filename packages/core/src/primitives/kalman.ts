import type { Backend, DeviceTensor } from '../backend.ts';
import { BYTES_PER_ELEMENT, type DType } from '../dtype.ts';
import { ArgumentError, NonFiniteError, NumericalError, ShapeError } from '../errors.ts';
import { choleskyFactor } from '../small-spd.ts';
import { formatShape } from '../tensor.ts';
import { kernel, owned, sameDType } from './check.ts';
import type { CostModel } from './cost.ts';

/**
 * Kalman filter and Rauch–Tung–Striebel smoother for a linear state-space model with scalar observations,
 * batched over independent sequences that share the dynamics (Särkkä, "Bayesian Filtering and Smoothing",
 * 2013, Algorithms 4.3 and 8.2):
 *
 *   z_j = A_j z_{j−1} + q_j,  q_j ~ N(0, Q_j);   y_bj = hᵀz_j + r_bj,  r_bj ~ N(0, 1/w_bj);   z_{−1} ~ N(m₀, P₀),
 *
 * A_j, Q_j [N, m, m] (A_0, Q_0 map the prior to step 0: I and 0 for a stationary prior), h [m], observations y and
 * their precisions w [batch, N] (w = 0: no observation at that step — a test point in a sorted grid). Filter:
 * m⁻ = A m, P⁻ = A P Aᵀ + Q; with g = P⁻h, s = w·hᵀg + 1, K = w·g/s: m = m⁻ + K(y − hᵀm⁻) and Joseph's form
 * P = (I − Khᵀ)P⁻(I − Khᵀ)ᵀ + KKᵀ/w, which stays symmetric positive semidefinite under rounding when w·hᵀP⁻h ≫ 1
 * (the plain P⁻ − Kgᵀ cancels there). Smoother, from the last step back: P⁻_{j+1} and m⁻_{j+1} recomputed from the
 * filtered step j, G = P_j A_{j+1}ᵀ (P⁻_{j+1})⁻¹ by a Cholesky solve, m_j += G(m_{j+1} − m⁻_{j+1}),
 * P_j += G(P_{j+1} − P⁻_{j+1})Gᵀ. Outputs: smoothed means [batch, N, m], covariances [batch, N, m, m] and each
 * sequence's log marginal likelihood Σ_j −½(log 2πσ²_j + v_j²/σ²_j), σ²_j = hᵀP⁻_j h + 1/w_j, v_j the innovation.
 * O(N·m³) per sequence, sequences in parallel.
 *
 * Domain: P₀ symmetric positive definite, Q_j positive semidefinite, so every predicted covariance P⁻ is positive
 * definite in exact arithmetic; a kernel that finds one not positive definite under rounding (the Cholesky pivot
 * of the smoother's solve ≤ 0) returns that step and the front door raises NumericalError naming it.
 */
export interface KalmanParams<T = DeviceTensor> {
  a: T;
  q: T;
  h: T;
  y: T;
  w: T;
  m0: T;
  p0: T;
  mean: T;
  cov: T;
  logLik: T;
  batch: number;
  steps: number;
  m: number;
}

declare module '../backend.ts' {
  interface PrimitiveSignatures<T> {
    /** −1 on success; j ≥ 0 when step j's predicted covariance is not positive definite (outputs unspecified). */
    kalman(p: KalmanParams<T>): number | Promise<number>;
  }
}

/** Per sequence and step: the filter's and the smoother's m×m products (~10m³ flops); reads y, w, writes m + m² values. */
export function kalmanCost(batch: number, steps: number, m: number, dtype: DType): CostModel {
  return {
    flops: batch * steps * (10 * m ** 3 + 10 * m ** 2),
    bytes: BYTES_PER_ELEMENT[dtype] * (batch * steps * (2 + m + m * m) + 2 * steps * m * m),
  };
}

export interface KalmanResult {
  /** Smoothed means [batch, N, m]. */
  mean: DeviceTensor;
  /** Smoothed covariances [batch, N, m, m]. */
  cov: DeviceTensor;
  /** Log marginal likelihood of each sequence [batch]. */
  logLik: DeviceTensor;
}

/** Whether the symmetric m×m s (lower triangle read) has a Cholesky factor, in f64. */
function positiveDefinite(s: ArrayLike<number>, m: number): boolean {
  try {
    choleskyFactor(s, m);
    return true;
  } catch (e) {
    if (e instanceof NumericalError) return false;
    throw e;
  }
}

function expectShape(name: string, t: DeviceTensor, shape: readonly number[]): void {
  if (t.shape.length !== shape.length || t.shape.some((s, i) => s !== shape[i]))
    throw new ShapeError(`kalman: ${name} must be ${formatShape(shape)}, got ${formatShape(t.shape)}`);
}

/**
 * Smoothed posterior of every sequence: a, q [N, m, m], h [m], y, w [batch, N] (w ≥ 0), m0 [m], p0 [m, m].
 * Throws NonFiniteError for NaN or ±Inf in any input, ArgumentError for a negative precision, NumericalError when a predicted covariance is not
 * positive definite (outside the domain: P₀ must be positive definite and Q_j semidefinite).
 */
export async function kalman(
  be: Backend,
  o: {
    a: DeviceTensor;
    q: DeviceTensor;
    h: DeviceTensor;
    y: DeviceTensor;
    w: DeviceTensor;
    m0: DeviceTensor;
    p0: DeviceTensor;
  },
): Promise<KalmanResult> {
  for (const [name, t] of Object.entries(o)) {
    owned(be, name, t);
    sameDType(name, t, o.a.dtype);
  }
  if (o.a.shape.length !== 3 || o.a.shape[1] !== o.a.shape[2])
    throw new ShapeError(`kalman: a must be [N, m, m], got ${formatShape(o.a.shape)}`);
  const [steps, m] = o.a.shape;
  if (o.y.shape.length !== 2) throw new ShapeError(`kalman: y must be [batch, N], got ${formatShape(o.y.shape)}`);
  const batch = o.y.shape[0];
  expectShape('q', o.q, [steps, m, m]);
  expectShape('h', o.h, [m]);
  expectShape('y', o.y, [batch, steps]);
  expectShape('w', o.w, [batch, steps]);
  expectShape('m0', o.m0, [m]);
  expectShape('p0', o.p0, [m, m]);
  if (m < 1) throw new ShapeError('kalman: the state needs at least one dimension');
  const dtype = o.a.dtype;
  const run = kernel(be, 'kalman', dtype);
  // One download per input serves every check (finite everywhere, P₀ definite, precisions ≥ 0).
  const host: Record<string, ArrayLike<number>> = {};
  for (const [name, t] of Object.entries(o)) {
    const data = (host[name] = (await be.download(t)).data);
    for (let i = 0; i < data.length; i++)
      if (!Number.isFinite(data[i])) throw new NonFiniteError(`kalman: ${name}[${i}] is NaN or ±Inf`);
  }
  if (!positiveDefinite(host.p0, m))
    throw new ArgumentError('kalman: the prior covariance P₀ must be symmetric positive definite (the domain)');
  const w = host.w;
  for (let i = 0; i < w.length; i++)
    if (!(w[i] >= 0))
      throw new ArgumentError(`kalman: observation precisions must be ≥ 0 (0: no observation), got ${w[i]}`);
  const mean = be.zeros(dtype, [batch, steps, m]);
  const cov = be.zeros(dtype, [batch, steps, m, m]);
  const logLik = be.zeros(dtype, [batch]);
  if (batch === 0 || steps === 0) return { mean, cov, logLik };
  const bad = await run({ ...o, mean, cov, logLik, batch, steps, m });
  if (bad >= 0) {
    be.dispose(mean);
    be.dispose(cov);
    be.dispose(logLik);
    throw new NumericalError(
      `kalman: the predicted covariance at step ${bad} is not positive definite (the domain: P₀ positive definite, Q_j positive semidefinite)`,
    );
  }
  return { mean, cov, logLik };
}
