/** The compression family on every backend: EoRA against LAPACK (golden), its claim in reduced form, and the compressions' rules. */
import { createRefBackend } from '@lowrank/backend-ref';
import { hostTensor } from '@lowrank/core';
import { familySuite } from '@lowrank/harness/vitest';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  activationEigenspace,
  cases,
  claims,
  compressLayer,
  prune24,
  quantizeRows,
  rankForBudget,
  rankSweep,
  roundHalfEven,
  truncateLayer,
} from './index.ts';
import { markovText } from './lord.claims.ts';

const GOLDEN = fileURLToPath(new URL('../../../golden', import.meta.url));

describe('weight compressions (host rules)', () => {
  it('rounds half to even, as numpy and IEEE do', () => {
    expect([0.5, 1.5, 2.5, -0.5, -1.5, -2.5, 2.4, -2.6].map(roundHalfEven)).toEqual([0, 2, 2, -0, -2, -2, 2, -3]);
  });

  it('quantizes each row to 2^(b−1) − 1 levels of its own scale; a zero row stays zero', () => {
    const q = quantizeRows([3, -1.5, 0.4, 1, 0, 0, 0, 0], 2, 4, 3); // scale 1 for row 0
    expect(Array.from(q)).toEqual([3, -2, 0, 1, 0, 0, 0, 0]);
    expect(() => quantizeRows([1, 2], 1, 2, 1)).toThrow(/bits must be an integer in \[2, 16\]/);
    expect(() => quantizeRows([1, NaN], 1, 2, 3)).toThrow(/entry 1 is NaN/);
  });

  it('2:4 pruning keeps the two largest magnitudes of each group of four, the earlier on ties', () => {
    expect(Array.from(prune24([1, -4, 3, 2, 5, 5, 5, 5], 1, 8))).toEqual([0, -4, 3, 0, 5, 5, 0, 0]);
    expect(() => prune24([1, 2, 3], 1, 3)).toThrow(/multiple of 4/);
    expect(() => prune24([1, 2, 3, 4], 2, 4)).toThrow(/4 values for a 2×4 matrix/);
  });

  it('ranks by parameter budget stay below the break-even mn/(m + n); by energy keep at least the asked share', async () => {
    expect(rankForBudget(256, 256, 1)).toBe(128);
    expect(rankForBudget(100, 300, 0.5)).toBe(37);
    expect(rankForBudget(10, 10, 0.001)).toBe(1);
    expect(() => rankForBudget(10, 10, 0)).toThrow(/fraction must be in \(0, 1\]/);
    const be = createRefBackend();
    const w = await be.upload(hostTensor('f64', [3, 4], [3, 0, 0, 0, 0, 2, 0, 0, 0, 0, 1, 0])); // σ = 3, 2, 1
    const layer = await compressLayer(be, w, { energy: 0.9 });
    expect(layer.term.r).toBe(2); // 13/14 ≥ 0.9 > 9/14
    expect(layer.energyKept).toBeCloseTo(13 / 14, 14);
    expect(layer.parameters).toBe(2 * 7);
  });

  it('TRP truncation keeps the energy rank, leaves ‖W − W_k‖_F = (Σ_{i>k} s_i²)^½, and shrinks kept values by the sub-gradient step', async () => {
    const be = createRefBackend();
    const widths = [3, 4, 2]; // layer 0 is 3×4 with singular values 3, 2, 1 placed on its diagonal
    const theta = new Float64Array(3 * 4 + 4 + 4 * 2 + 2);
    [3, 2, 1].forEach((v, i) => {
      theta[i * 4 + i] = v;
    });
    const before = Float64Array.from(theta);
    expect(await truncateLayer(be, 'f64', theta, widths, 0, { energy: 0.9 })).toBe(2);
    let err = 0;
    for (let i = 0; i < 12; i++) err += (theta[i] - before[i]) ** 2;
    expect(Math.sqrt(err)).toBeCloseTo(1, 12);
    expect(Array.from(theta.subarray(12))).toEqual(Array.from(before.subarray(12))); // biases and other layers untouched
    await truncateLayer(be, 'f64', theta, widths, 0, { rank: 2, shrink: 0.5 });
    expect(theta[0]).toBeCloseTo(2.5, 12);
    expect(theta[5]).toBeCloseTo(1.5, 12);
  });

  it('the rank sweep finds the smallest rank within the tolerance, probing O(log n) ranks', async () => {
    const probed: number[] = [];
    const metric = async (r: number) => {
      probed.push(r);
      return 10 + 100 / r;
    }; // ≤ 1.01 · 10.5 once 100/r ≤ 0.605, i.e. r ≥ 166
    expect(await rankSweep(metric, 200, 10.5, 0.01)).toEqual({ rank: 166, metric: 10 + 100 / 166 });
    expect(probed.length).toBeLessThanOrEqual(8);
  });

  it("Markov text has one-hot contexts and the chain's branching", () => {
    const { x, labels } = markovText(5, 300, 2, 1, 0);
    expect(labels.length).toBe(300);
    for (let t = 0; t < 300; t++) expect(x.subarray(t * 10, t * 10 + 10).reduce((a, v) => a + v, 0)).toBe(2);
    const seen = new Map<string, Set<number>>();
    for (let t = 0; t < 300; t++) {
      const key = `${x.subarray(t * 10, t * 10 + 10).join('')}`;
      seen.set(key, (seen.get(key) ?? new Set()).add(labels[t]));
    }
    for (const next of seen.values()) expect(next.size).toBeLessThanOrEqual(2);
  });

  it('EoRA refuses a calibration set with fewer samples than inputs, by name', async () => {
    const be = createRefBackend();
    const x = await be.upload(hostTensor('f64', [4, 2], [1, 0, 0, 1, 1, 1, 2, 0]));
    await expect(activationEigenspace(be, x)).rejects.toThrow(
      /X·Xᵀ is not positive definite .* at least 4 independent samples/,
    );
  });
});

await familySuite({
  family: 'compress',
  claims,
  cases,
  goldenRoot: GOLDEN,
  bench: { sizes: [32], accuracyBelow: { f64: 1e-10, f32: 1e-3 } },
});
