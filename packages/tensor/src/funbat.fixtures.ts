/**
 * S24's two-mode targets on [0, 1]² (catalogue, C1): the separable f(x, y) = Σ_{r,s} W_rs u_r(x) v_s(y) with
 * u = (sin 2πx, cos 3πx), v = (e^{−y}, sin 5y) and W ~ N(0, 1) per seed — a rank-(2, 2) continuous-index Tucker,
 * FunBaT's own model class — and a smooth target outside it, f(x, y) = e^{−3(x − y)²} + ½cos(3πxy), whose
 * separable ranks do not end (numerically low rank only). Observations at uniform random points with N(0, σ²)
 * noise; queries at fresh points with the noiseless value.
 */
import { fillRandom } from '@lowrank/core';
import type { TwoModeData } from './funbat.ts';

export type Target = 'separable' | 'non-separable';

export function targetFunction(target: Target, seed: number): (x: number, y: number) => number {
  if (target === 'non-separable') return (x, y) => Math.exp(-3 * (x - y) ** 2) + 0.5 * Math.cos(3 * Math.PI * x * y);
  const w = fillRandom({ seed, stream: 20 }, 'normal', 'f64', 4);
  const u = (x: number) => [Math.sin(2 * Math.PI * x), Math.cos(3 * Math.PI * x)];
  const v = (y: number) => [Math.exp(-y), Math.sin(5 * y)];
  return (x, y) => {
    const [u0, u1] = u(x),
      [v0, v1] = v(y);
    return w[0] * u0 * v0 + w[1] * u0 * v1 + w[2] * u1 * v0 + w[3] * u1 * v1;
  };
}

/** n noisy observations and q noiseless queries of the target, from streams 21–24 of the seed. */
export function twoModeSample(
  target: Target,
  n: number,
  q: number,
  sigma: number,
  seed: number,
): { data: TwoModeData; query: TwoModeData } {
  const f = targetFunction(target, seed);
  const x = Float64Array.from(fillRandom({ seed, stream: 21 }, 'uniform', 'f64', n));
  const y = Float64Array.from(fillRandom({ seed, stream: 22 }, 'uniform', 'f64', n));
  const e = fillRandom({ seed, stream: 23 }, 'normal', 'f64', n);
  const qx = Float64Array.from(fillRandom({ seed, stream: 24 }, 'uniform', 'f64', 2 * q).subarray(0, q));
  const qy = Float64Array.from(fillRandom({ seed, stream: 24 }, 'uniform', 'f64', 2 * q).subarray(q));
  return {
    data: { x, y, f: Float64Array.from(x, (xi, i) => f(xi, y[i]) + sigma * e[i]) },
    query: { x: qx, y: qy, f: Float64Array.from(qx, (xi, j) => f(xi, qy[j])) },
  };
}
