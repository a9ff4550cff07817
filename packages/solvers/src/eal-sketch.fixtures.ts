/**
 * S38's problems (catalogue): (a) min Σ(x_i − 1)² + Σx_i⁴/4 s.t. ‖x‖² = 4, Bx = 0 (B Gaussian, m_B × n): a
 * convex objective on a non-convex feasible set (a sphere cut by a subspace); (b) logistic regression on
 * synthetic data, min (1/N)Σ log(1 + exp(−y_i·a_iᵀw)) s.t. 1ᵀw = 1, ‖w‖² = 2, labels from a random w° with 10%
 * flipped (not separable). Both have one quadratic constraint, so ∇²ₓL = ∇²f + 2λ_q·I.
 */
import { fillRandom } from '@lowrank/core';
import type { EqualityProblem } from './eal-sketch.ts';

const identityTimes = (n: number, s: number): Float64Array => {
  const h = new Float64Array(n * n);
  for (let i = 0; i < n; i++) h[i * n + i] = s;
  return h;
};

export function sphereSubspaceProblem(n: number, rows: number, seed: number): EqualityProblem {
  return sphereSubspace(fillRandom({ seed, stream: 1 }, 'normal', 'f64', rows * n), rows, n);
}

/** Problem (a) for a given B (rows × n, row-major). */
export function sphereSubspace(b: ArrayLike<number>, rows: number, n: number): EqualityProblem {
  return {
    n,
    m: rows + 1,
    value: (x) => x.reduce((s, v) => s + (v - 1) ** 2 + v ** 4 / 4, 0),
    gradient: (x) => x.map((v) => 2 * (v - 1) + v ** 3),
    hessian: (x) => {
      const h = identityTimes(n, 0);
      x.forEach((v, i) => (h[i * n + i] = 2 + 3 * v * v));
      return h;
    },
    constraints: (x) => {
      const c = new Float64Array(rows + 1);
      c[0] = x.reduce((s, v) => s + v * v, 0) - 4;
      for (let i = 0; i < rows; i++) for (let j = 0; j < n; j++) c[1 + i] += b[i * n + j] * x[j];
      return c;
    },
    jacobian: (x) => {
      const jac = new Float64Array((rows + 1) * n);
      x.forEach((v, j) => (jac[j] = 2 * v));
      jac.set(Float64Array.from(b), n);
      return jac;
    },
    constraintHessian: (_x, lambda) => identityTimes(n, 2 * lambda[0]),
  };
}

/** log(1 + eᵗ) without overflow. */
const softplus = (t: number): number => (t > 0 ? t + Math.log1p(Math.exp(-t)) : Math.log1p(Math.exp(t)));
const sigmoid = (t: number): number => (t >= 0 ? 1 / (1 + Math.exp(-t)) : Math.exp(t) / (1 + Math.exp(t)));

export function constrainedLogistic(d: number, samples: number, seed: number): EqualityProblem {
  const a = fillRandom({ seed, stream: 1 }, 'normal', 'f64', samples * d);
  const w0 = fillRandom({ seed, stream: 2 }, 'normal', 'f64', d);
  const flips = fillRandom({ seed, stream: 3 }, 'uniform', 'f64', samples);
  const y = Float64Array.from({ length: samples }, (_, i) => {
    let s = 0;
    for (let j = 0; j < d; j++) s += a[i * d + j] * w0[j];
    return (s >= 0 ? 1 : -1) * (flips[i] < 0.1 ? -1 : 1);
  });
  return logistic(a, y, d, samples);
}

/** Problem (b) for given features A (samples × d, row-major) and labels y ∈ {±1}. */
export function logistic(a: ArrayLike<number>, y: ArrayLike<number>, d: number, samples: number): EqualityProblem {
  /** Margins y_i·a_iᵀw. */
  const margins = (w: Float64Array) =>
    Float64Array.from({ length: samples }, (_, i) => {
      let s = 0;
      for (let j = 0; j < d; j++) s += a[i * d + j] * w[j];
      return y[i] * s;
    });
  return {
    n: d,
    m: 2,
    value: (w) => margins(w).reduce((s, t) => s + softplus(-t), 0) / samples,
    gradient: (w) => {
      const g = new Float64Array(d);
      margins(w).forEach((t, i) => {
        const k = (-y[i] * sigmoid(-t)) / samples;
        for (let j = 0; j < d; j++) g[j] += k * a[i * d + j];
      });
      return g;
    },
    hessian: (w) => {
      const h = new Float64Array(d * d);
      margins(w).forEach((t, i) => {
        const s = sigmoid(t);
        const k = (s * (1 - s)) / samples;
        for (let p = 0; p < d; p++) for (let q = 0; q < d; q++) h[p * d + q] += k * a[i * d + p] * a[i * d + q];
      });
      return h;
    },
    constraints: (w) => Float64Array.of(w.reduce((s, v) => s + v, 0) - 1, w.reduce((s, v) => s + v * v, 0) - 2),
    jacobian: (w) => {
      const jac = new Float64Array(2 * d);
      for (let j = 0; j < d; j++) {
        jac[j] = 1;
        jac[d + j] = 2 * w[j];
      }
      return jac;
    },
    constraintHessian: (_w, lambda) => identityTimes(d, 2 * lambda[1]),
  };
}
