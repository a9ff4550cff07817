/** The second-order family on every backend: M-FAC against dense algebra, the claims in reduced form, typed errors. */
import { choleskyFactor, fillRandom, hostTensor, type DType } from '@lowrank/core';
import { skipTitle } from '@lowrank/harness';
import { familySuite } from '@lowrank/harness/vitest';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { cases, claims } from './index.ts';
import { mfacCoefficients, SlidingMfac } from './mfac.ts';

const GOLDEN = fileURLToPath(new URL('../../../golden', import.meta.url));

describe('M-FAC algebra (host)', () => {
  it('the recursion coefficients give F⁻¹ exactly: BᵀB against the dense inverse of F on a small problem', () => {
    const m = 4,
      d = 6,
      lambda = 0.3;
    const g = fillRandom({ seed: 1, stream: 0 }, 'normal', 'f64', m * d);
    const k = new Float64Array(m * m);
    for (let i = 0; i < m; i++)
      for (let j = 0; j < m; j++) for (let q = 0; q < d; q++) k[i * m + j] += g[i * d + q] * g[j * d + q];
    const b = mfacCoefficients(k, m, lambda);
    // F·(F⁻¹e_q) = e_q for every q, with F⁻¹x = x/λ − GᵀBᵀBGx.
    for (let q = 0; q < d; q++) {
      const bg = Array.from({ length: m }, (_, i) =>
        Array.from({ length: m }, (_, l) => b[i * m + l] * g[l * d + q]).reduce((x, y) => x + y, 0),
      );
      const s = Array.from({ length: m }, (_, l) =>
        Array.from({ length: m }, (_, i) => b[i * m + l] * bg[i]).reduce((x, y) => x + y, 0),
      );
      const y = Array.from(
        { length: d },
        (_, p) => (p === q ? 1 / lambda : 0) - s.reduce((acc, sl, l) => acc + sl * g[l * d + p], 0),
      );
      for (let p = 0; p < d; p++) {
        let fy = lambda * y[p];
        for (let i = 0; i < m; i++)
          fy += (g[i * d + p] * g.subarray(i * d, (i + 1) * d).reduce((acc, v, r) => acc + v * y[r], 0)) / m;
        expect(fy).toBeCloseTo(p === q ? 1 : 0, 12);
      }
    }
  });

  it('names the failing pivot of a matrix that is not positive definite', () => {
    expect(() => choleskyFactor(Float64Array.from([1, 2, 2, 1]), 2)).toThrow(/not positive definite at pivot 1/);
  });
});

await familySuite({
  family: 'second-order',
  claims,
  cases,
  goldenRoot: GOLDEN,
  bench: { sizes: [2000], timeMs: 10, accuracyBelow: { f64: 1e-10, f32: 1e-4 } },
  extra: (tb, backend) => {
    for (const dtype of ['f64', 'f32'] as DType[]) {
      it.skipIf(tb.skip('dot', dtype) !== undefined)(
        skipTitle(`the sliding window refuses a product before any gradient (${dtype})`, tb.skip('dot', dtype)),
        async () => {
          const be = backend();
          const w = new SlidingMfac(be, 2, 3, 1, dtype);
          await expect(w.ihvp(await be.upload(hostTensor(dtype, [3], [1, 2, 3])))).rejects.toThrow(
            /no gradient added yet/,
          );
        },
      );
    }
  },
});
