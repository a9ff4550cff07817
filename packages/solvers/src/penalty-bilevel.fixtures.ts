/**
 * The catalogue's bilevel instances (S12), shared by the O(σ) claim and the first-order method's claim:
 * d = p = 20, Q = U·diag(κ^(i/(d−1)))·Uᵀ with eigenvalues from 1 to κ (so the lower level's strong
 * convexity modulus is λ_min(Q) = 1 and every σ ≤ 0.1 keeps σ/μ ≤ 0.1), B Gaussian scaled by 1/√p, a
 * Gaussian, ρ = 0.5.
 */
import { fillRandom, type Backend, type DType } from '@lowrank/core';
import { randomOrthonormal } from '@lowrank/linalg';
import type { QuadraticBilevelData } from './penalty-bilevel.ts';

export async function quadraticInstance(
  be: Backend,
  dtype: DType,
  d: number,
  p: number,
  cond: number,
  seed: number,
): Promise<QuadraticBilevelData> {
  const u = Float64Array.from((await be.download(await randomOrthonormal(be, dtype, d, d, seed, 90))).data);
  const spectrum = Array.from({ length: d }, (_, i) => cond ** (i / Math.max(1, d - 1)));
  const q = new Float64Array(d * d);
  for (let i = 0; i < d; i++)
    for (let j = 0; j <= i; j++) {
      let s = 0;
      for (let k = 0; k < d; k++) s += u[i * d + k] * spectrum[k] * u[j * d + k];
      q[i * d + j] = q[j * d + i] = s;
    }
  const b = Float64Array.from(fillRandom({ seed, stream: 91 }, 'normal', 'f64', d * p), (v) => v / Math.sqrt(p));
  const a = Float64Array.from(fillRandom({ seed, stream: 92 }, 'normal', 'f64', d));
  return { d, p, a, q, b, rho: 0.5 };
}

export const logspace = (lo: number, hi: number, n: number): number[] =>
  Array.from({ length: n }, (_, i) => 10 ** (lo + ((hi - lo) * i) / Math.max(1, n - 1)));
