/** The recovery family on every backend: the claims in reduced form, and the algorithms' building blocks. */
import { createRefBackend } from '@lowrank/backend-ref';
import { hostTensor, sparsePattern } from '@lowrank/core';
import { familySuite } from '@lowrank/harness/vitest';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { completionProblem, rowSolveContext, solveRows } from './altmin.ts';
import { cases, claims } from './index.ts';
import { gaussianSensing, linearRate, lowRankTarget, orthonormalColumns } from './sensing.ts';

const GOLDEN = fileURLToPath(new URL('../../../golden', import.meta.url));

describe('matrix-sensing building blocks (host)', () => {
  it('targets are rank r with the prescribed singular values; U has orthonormal columns', () => {
    const u = orthonormalColumns(20, 2, 3, 0);
    for (const [i, j, want] of [
      [0, 0, 1],
      [1, 1, 1],
      [0, 1, 0],
    ]) {
      let d = 0;
      for (let t = 0; t < 20; t++) d += u[t * 2 + i] * u[t * 2 + j];
      expect(d).toBeCloseTo(want, 14);
    }
    const m = lowRankTarget(20, [1, 0.5], 3, true);
    let trace = 0,
      fro = 0;
    for (let i = 0; i < 20; i++) trace += m[i * 20 + i];
    for (const v of m) fro += v * v;
    expect(trace).toBeCloseTo(1.5, 13); // σ₁ + σ₂ for a PSD target
    expect(fro).toBeCloseTo(1.25, 13); // σ₁² + σ₂²
  });

  it('Gaussian sensing: the normal residual vanishes at M* and is the symmetric A*(A(P) − y) elsewhere', async () => {
    const be = createRefBackend();
    const n = 6,
      m = 50;
    const mStar = lowRankTarget(n, [1, 0.5], 1, true);
    const op = await gaussianSensing(be, 'f64', mStar, n, m, 1, true);
    const atStar = (await be.download(await op.normalResidual(await be.upload(hostTensor('f64', [n, n], mStar))))).data;
    expect(Math.max(...Array.from(atStar, Math.abs))).toBeLessThan(1e-14);
    const r = (await be.download(await op.normalResidual(await be.upload(hostTensor('f64', [n, n]))))).data; // P = 0: −A*(y)
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) expect(r[i * n + j]).toBeCloseTo(r[j * n + i], 14);
    op.dispose();
  });

  it('completion problems sample each entry with probability min(0.5, 6k·ln n/n) and observe M there', () => {
    const pr = completionProblem(200, 3, 1);
    expect(pr.p).toBeCloseTo((18 * Math.log(200)) / 200, 15);
    expect(Math.abs(pr.omega.nnz / 200 ** 2 - pr.p)).toBeLessThan(0.01);
    for (let e = 0; e < pr.omega.nnz; e += 97)
      expect(pr.observed[e]).toBe(pr.target[pr.omega.rows[e] * 200 + pr.omega.cols[e]]);
  });

  it('a row observed fewer times than the rank is named, not solved into NaN', async () => {
    const be = createRefBackend();
    const c = await rowSolveContext(be, 'f64', Float64Array.from([1, 2, 3]), 2);
    const pattern = sparsePattern(2, 3, [0, 0, 1], [0, 1, 2]); // row 1 sees one entry, k = 2
    const f = Float64Array.from([1, 0, 0, 1, 1, 1]);
    for (const solver of ['exact', 'robust'] as const) {
      await expect(solveRows(c, pattern, f, new Float64Array(4), { solver, seed: 0 })).rejects.toThrow(
        /not positive definite .* row 1|row 1.*not positive definite/,
      );
    }
    c.dispose();
  });

  it('linearRate recovers the rate of an exponential inside the window, and NaN without two samples', () => {
    const errors = Array.from({ length: 100 }, (_, i) => Math.exp(-0.02 * i * 10));
    expect(linearRate(errors, 10, 1e-6, 1e-1)).toBeCloseTo(0.02, 12);
    expect(linearRate(errors, 10, 1e-30, 1e-29)).toBeNaN();
  });
});

await familySuite({
  family: 'recovery',
  claims,
  cases,
  goldenRoot: GOLDEN,
  bench: { sizes: [120], accuracyBelow: { f64: 1, f32: 1 } },
});
