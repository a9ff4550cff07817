/**
 * S37's instance sequence and its cost table, as the authors' scripts/learning.m draws them: the
 * 5-point Laplacian of a 10×10 grid (delsq(numgrid('S', 12))) plus c_t·I with c_t = −0.15 + 0.6·B,
 * B ~ Beta(0.5, 1.5) (their "high-variance" offsets; c > −0.16 keeps A SPD), b_t a radially truncated
 * standard Gaussian (‖b‖ ≤ √n, by rejection), tolerance 1e-8, arms ω ∈ linspace(1, 1.95, 20).
 *
 * A learner's choice does not change the systems, so the cost of every arm on every instance is computed
 * once (the table) and each learner reads the entries of the arms it picks: the same costs it would
 * have paid solving online.
 */
import { StreamReader, poisson2d, youngOmega, type Backend, type DType } from '@lowrank/core';
import { SorSystem } from './sor-bandit.ts';

export const ARMS: readonly number[] = Array.from({ length: 20 }, (_, i) => 1 + (0.95 * i) / 19);
export const TOLERANCE = 1e-8;

export interface Instance {
  c: number;
  b: Float64Array;
}

/** The instances of one seed: offsets from stream 1, right-hand sides from stream 2. */
export function instances(seed: number, count: number, n: number): Instance[] {
  const offsets = new StreamReader({ seed, stream: 1 });
  const rhs = new StreamReader({ seed, stream: 2 });
  return Array.from({ length: count }, () => {
    const c = -0.15 + 0.6 * offsets.beta(0.5, 1.5);
    for (;;) {
      const b = Float64Array.from({ length: n }, () => rhs.normal());
      if (Math.hypot(...b) <= Math.sqrt(n)) return { c, b };
    }
  });
}

/** cost[t][i]: SOR iterations of arm i on instance t; young[t]: iterations at Young's ω*(c_t). */
export async function costTable(
  be: Backend,
  dtype: DType,
  grid: number,
  sequence: readonly Instance[],
  onInstance: (t: number) => Promise<void>,
): Promise<{ cost: number[][]; young: number[] }> {
  const cost: number[][] = [],
    young: number[] = [];
  for (const [t, { c, b }] of sequence.entries()) {
    await onInstance(t);
    const system = await SorSystem.create(be, dtype, poisson2d(grid, c));
    try {
      const row: number[] = [];
      for (const omega of ARMS) row.push(await system.iterations(b, omega, TOLERANCE));
      cost.push(row);
      young.push(await system.iterations(b, youngOmega(grid, c).omega, TOLERANCE));
    } finally {
      system.dispose();
    }
  }
  return { cost, young };
}
