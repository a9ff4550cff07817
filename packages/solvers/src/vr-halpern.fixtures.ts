/**
 * S17's cocoercive finite sum (catalogue): F_i(u) = L·a_i(a_iᵀu − b_i) with unit rows a_i that share a
 * dominant direction v, a_i ∝ √s·(±v) + √(1 − s)·g_i/‖g_i‖, so that F's constant L_F = L·λ_max(AᵀA)/n is close
 * to the components' L (≈ s + (1 − s)/d of it). That is the regime where variance reduction can save √n: with
 * isotropic rows (s = 0) L_F ≈ L/d, and the deterministic method's larger step 1/L_F wins instead. b = A·u° +
 * 0.01·noise with u° = 3v + g: the solution has a fixed share along v, so ‖F(u₀)‖ at u₀ = 0 is not accidentally
 * tiny and the relative tolerance means the same in every seed.
 */
import { fillRandom } from '@lowrank/core';

export function sharedDirectionSum(
  n: number,
  d: number,
  share: number,
  seed: number,
): { a: Float64Array; b: Float64Array } {
  const v = fillRandom({ seed, stream: 1 }, 'normal', 'f64', d);
  const vn = Math.hypot(...v);
  const g = fillRandom({ seed, stream: 2 }, 'normal', 'f64', n * d);
  const signs = fillRandom({ seed, stream: 3 }, 'uniform', 'f64', n);
  const a = new Float64Array(n * d);
  for (let i = 0; i < n; i++) {
    const row = g.subarray(i * d, (i + 1) * d);
    const gn = Math.hypot(...row);
    const sign = signs[i] < 0.5 ? -1 : 1;
    for (let j = 0; j < d; j++)
      a[i * d + j] = (Math.sqrt(share) * sign * v[j]) / vn + (Math.sqrt(1 - share) * row[j]) / gn;
    const an = Math.hypot(...a.subarray(i * d, (i + 1) * d));
    for (let j = 0; j < d; j++) a[i * d + j] /= an;
  }
  const w = fillRandom({ seed, stream: 4 }, 'normal', 'f64', d).map((x, j) => x + (3 * v[j]) / vn);
  const noise = fillRandom({ seed, stream: 5 }, 'normal', 'f64', n);
  const b = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < d; j++) s += a[i * d + j] * w[j];
    b[i] = s + 0.01 * noise[i];
  }
  return { a, b };
}
