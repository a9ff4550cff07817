/**
 * S28's least-squares instance (catalogue, experiment (a)): A n×d Gaussian with column j scaled by
 * 10^{u_j}, u_j ~ U(−1, 1), so the blocks' Lipschitz constants spread over about two decades (the regime
 * where the curvature-aware rules can differ from GS); b Gaussian, not in A's range (f* > 0).
 */
import { fillRandom } from '@lowrank/core';

export function scaledLeastSquares(n: number, d: number, seed: number): { a: Float64Array; b: Float64Array } {
  const scales = Array.from(fillRandom({ seed, stream: 1 }, 'uniform', 'f64', d), (u) => 10 ** (2 * u - 1));
  return {
    a: Float64Array.from(fillRandom({ seed, stream: 2 }, 'normal', 'f64', n * d), (v, e) => v * scales[e % d]),
    b: Float64Array.from(fillRandom({ seed, stream: 3 }, 'normal', 'f64', n)),
  };
}
