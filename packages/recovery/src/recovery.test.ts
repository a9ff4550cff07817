/** The recovery family on every backend: the claims in reduced form, and the algorithms' building blocks. */
import type { Backend } from '@lowrank/core';
import { claimTests, planTestBackends } from '@lowrank/harness';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { claims } from './index.ts';
import { createRefBackend } from '@lowrank/backend-ref';
import { hostTensor } from '@lowrank/core';
import { gaussianSensing, linearRate, lowRankTarget, orthonormalColumns } from './sensing.ts';

const PLAN = await planTestBackends();

describe('matrix-sensing building blocks (host)', () => {
  it('targets are rank r with the prescribed singular values; U has orthonormal columns', () => {
    const u = orthonormalColumns(20, 2, 3, 0);
    for (const [i, j, want] of [[0, 0, 1], [1, 1, 1], [0, 1, 0]]) {
      let d = 0;
      for (let t = 0; t < 20; t++) d += u[t * 2 + i] * u[t * 2 + j];
      expect(d).toBeCloseTo(want, 14);
    }
    const m = lowRankTarget(20, [1, 0.5], 3, true);
    let trace = 0, fro = 0;
    for (let i = 0; i < 20; i++) trace += m[i * 20 + i];
    for (const v of m) fro += v * v;
    expect(trace).toBeCloseTo(1.5, 13); // σ₁ + σ₂ for a PSD target
    expect(fro).toBeCloseTo(1.25, 13); // σ₁² + σ₂²
  });

  it('Gaussian sensing: the normal residual vanishes at M* and is the symmetric A*(A(P) − y) elsewhere', async () => {
    const be = createRefBackend();
    const n = 6, m = 50;
    const mStar = lowRankTarget(n, [1, 0.5], 1, true);
    const op = await gaussianSensing(be, 'f64', mStar, n, m, 1, true);
    const atStar = (await be.download(await op.normalResidual(await be.upload(hostTensor('f64', [n, n], mStar))))).data;
    expect(Math.max(...Array.from(atStar, Math.abs))).toBeLessThan(1e-14);
    const r = (await be.download(await op.normalResidual(await be.upload(hostTensor('f64', [n, n]))))).data; // P = 0: −A*(y)
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) expect(r[i * n + j]).toBeCloseTo(r[j * n + i], 14);
    op.dispose();
  });

  it('linearRate recovers the rate of an exponential inside the window, and NaN without two samples', () => {
    const errors = Array.from({ length: 100 }, (_, i) => Math.exp(-0.02 * i * 10));
    expect(linearRate(errors, 10, 1e-6, 1e-1)).toBeCloseTo(0.02, 12);
    expect(linearRate(errors, 10, 1e-30, 1e-29)).toBeNaN();
  });
});

describe.each(PLAN)('recovery on $label', (tb) => {
  let be: Backend;
  beforeAll(async () => { if (tb.absent === null) be = await tb.open(); });
  afterAll(async () => { await be?.close(); });

  for (const t of claimTests(claims, tb)) {
    it.skipIf(t.skip)(t.title, async () => {
      const { actual, declared, measured } = await t.run(be);
      expect(actual, measured).toEqual(declared);
    }, 120_000);
  }
});
