/**
 * S28 (c)'s instance, the authors' dataset A recipe (datasets.py, its Matlab lines) at n × p: A_ij =
 * (N(0, 1) + 1)·10·s_j, s_j ~ N(0, 1) per column, each entry kept with probability 10·log(n)/n; w° with 10% of
 * its entries N(0, 1); b = Aw° + N(0, I). λ = fraction·max_j (Aᵀb)_j, the smallest λ for which x* = 0 times
 * the fraction (0.1 leaves about 7% of the coordinates non-zero).
 */
import { fillRandom } from '@lowrank/core';

export function sparseRegression(
  n: number,
  p: number,
  fraction: number,
  seed: number,
): { a: Float64Array; b: Float64Array; lambda: number } {
  const z = fillRandom({ seed, stream: 1 }, 'normal', 'f64', n * p);
  const s = fillRandom({ seed, stream: 2 }, 'normal', 'f64', p);
  const keep = fillRandom({ seed, stream: 3 }, 'uniform', 'f64', n * p);
  const density = (10 * Math.log(n)) / n;
  const a = Float64Array.from(z, (v, e) => (keep[e] < density ? (v + 1) * 10 * s[e % p] : 0));
  const wv = fillRandom({ seed, stream: 4 }, 'normal', 'f64', p);
  const on = fillRandom({ seed, stream: 5 }, 'uniform', 'f64', p);
  const noise = fillRandom({ seed, stream: 6 }, 'normal', 'f64', n);
  const b = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let sum = noise[i];
    for (let j = 0; j < p; j++) if (on[j] < 0.1) sum += a[i * p + j] * wv[j];
    b[i] = sum;
  }
  let top = 0;
  for (let j = 0; j < p; j++) {
    let atb = 0;
    for (let i = 0; i < n; i++) atb += a[i * p + j] * b[i];
    top = Math.max(top, atb);
  }
  return { a, b, lambda: fraction * top };
}
