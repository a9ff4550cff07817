/** The optim family on every backend: the DCT selection against scipy (golden), the claims in reduced form, and the optimizers' identities. */
import { createRefBackend } from '@lowrank/backend-ref';
import { ArgumentError, fillRandom, hostTensor, ops, sampleWithoutReplacement, topK } from '@lowrank/core';
import { familySuite } from '@lowrank/harness/vitest';
import { loadGolden } from '@lowrank/harness';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  capturedEnergy,
  cases,
  claims,
  dctColumns,
  dctSubspace,
  LoraMatrix,
  LowRankAdam,
  SpectralMatrix,
  svdSubspace,
  type Projector,
} from './index.ts';

const GOLDEN = fileURLToPath(new URL('../../../golden', import.meta.url));

describe('index selection (core/selection.ts) against the golden index lists', () => {
  it('top-k and sampling without replacement reproduce every list exactly', async () => {
    const g = await loadGolden(GOLDEN, 'optim/selection');
    expect(g.entries.length).toBeGreaterThan(10);
    for (const entry of g.entries) {
      const want = Array.from(entry.outputs.indices.data);
      const got =
        entry.params.kind === 'topk'
          ? topK(entry.inputs.values.data, entry.params.k as number)
          : sampleWithoutReplacement(entry.inputs.weights.data, entry.params.k as number, {
              seed: entry.params.seed as number,
              stream: entry.params.stream as number,
            });
      expect(Array.from(got), entry.id).toEqual(want);
    }
  });

  it('refuses counts and weights outside the domain, naming them', () => {
    expect(() => topK([1, 2], 3)).toThrow(/k must be an integer in \[0, 2\], got 3/);
    expect(() => topK([1, NaN], 1)).toThrow(/values\[1\] is NaN/);
    const id = { seed: 1, stream: 0 };
    expect(() => sampleWithoutReplacement([1, -1], 1, id)).toThrow(/weights\[1\] is -1/);
    expect(() => sampleWithoutReplacement([1, 0, 2], 3, id)).toThrow(
      /cannot draw 3 distinct indices from 2 positive weights/,
    );
    expect(() => sampleWithoutReplacement([1], 1.5, id)).toThrow(ArgumentError);
    expect(sampleWithoutReplacement([0, 5, 0], 1, id)).toEqual(Int32Array.from([1]));
  });
});

describe('DCT subspaces and low-rank Adam (reference backend)', () => {
  const be = createRefBackend();
  const random = (rows: number, cols: number, stream: number) =>
    fillRandom({ seed: 9, stream }, 'normal', 'f64', rows * cols) as Float64Array;

  it("the DCT basis is the transform's matrix, and ℓ2 selection keeps ≥ r/n of any gradient's energy", async () => {
    const n = 16;
    const all = Int32Array.from({ length: n }, (_, k) => k);
    const identity = await be.upload(
      hostTensor(
        'f64',
        [n, n],
        dctColumns(n, all).map((_, i) => +(i % (n + 1) === 0)),
      ),
    );
    const viaTransform = (await be.download(await ops.dct(be, identity))).data;
    dctColumns(n, all).forEach((q, i) => expect(q).toBeCloseTo(viaTransform[i], 14));
    for (const stream of [1, 2, 3]) {
      const g = await be.upload(hostTensor('f64', [24, n], random(24, n, stream)));
      const sub = await dctSubspace(be, g, 3, 'l2');
      expect(await capturedEnergy(be, g, sub)).toBeGreaterThanOrEqual(3 / n - 1e-15);
      expect(await capturedEnergy(be, g, await dctSubspace(be, g, n, 'l1'))).toBeCloseTo(1, 13);
    }
  });

  for (const [projector, rows, cols] of [
    ['dct', 12, 8],
    ['svd', 8, 12],
  ] as Array<[Projector, number, number]>) {
    it(`the first ${projector} step on a ${rows}×${cols} matrix is Adam's first step in the subspace, −lr·(g/(|g| + ε))·Pᵀ with g = Ĝ·P, oriented back`, async () => {
      const rank = 3,
        lr = 0.01;
      const grad = random(rows, cols, 4);
      const theta = random(rows, cols, 5);
      const before = Float64Array.from(theta);
      const opt = new LowRankAdam(be, 'f64', [{ offset: 0, rows, cols }], rows * cols, {
        rank,
        projector,
        period: 5,
        lr,
      });
      await opt.step(theta, grad);
      // The same subspace computed directly on Ĝ (Gᵀ when the matrix is wide).
      const wide = rows < cols;
      const [m, n] = wide ? [cols, rows] : [rows, cols];
      const gHat = new Float64Array(m * n);
      for (let i = 0; i < rows; i++)
        for (let j = 0; j < cols; j++) gHat[wide ? j * rows + i : i * cols + j] = grad[i * cols + j];
      const gDev = await be.upload(hostTensor('f64', [m, n], gHat));
      const sub = projector === 'dct' ? await dctSubspace(be, gDev, rank) : await svdSubspace(be, gDev, rank);
      const p = (await be.download(sub.basis)).data;
      const low = (await be.download(await ops.gemm(be, gDev, sub.basis))).data;
      for (let i = 0; i < m; i++)
        for (let j = 0; j < n; j++) {
          let step = 0;
          // Adam's first step: lr·m̂/(√v̂ + ε) = lr·g/(|g| + ε) per coordinate of the subspace (ε = 1e-8).
          for (let k = 0; k < rank; k++) {
            const g = low[i * rank + k];
            step += (g / (Math.abs(g) + 1e-8)) * p[j * rank + k];
          }
          const at = wide ? j * cols + i : i * cols + j;
          expect(theta[at] - before[at]).toBeCloseTo(-lr * step, 13);
        }
      expect(opt.stateBytes()).toBe(2 * 8 * m * rank + (projector === 'svd' ? 8 * n * rank : 4 * rank));
      opt.dispose();
    });
  }

  it('error feedback keeps what the projection dropped: ‖E‖² = ‖Ĝ‖² − ‖Ĝ·P‖²', async () => {
    const grad = random(10, 8, 6);
    const theta = new Float64Array(80);
    const opt = new LowRankAdam(be, 'f64', [{ offset: 0, rows: 10, cols: 8 }], 80, {
      rank: 2,
      projector: 'dct',
      period: 1,
      lr: 1e-3,
      errorFeedback: true,
    });
    await opt.step(theta, grad);
    const g = await be.upload(hostTensor('f64', [10, 8], grad));
    const kept = await capturedEnergy(be, g, await dctSubspace(be, g, 2));
    const total = grad.reduce((s, v) => s + v * v, 0);
    const e = opt.residual(0)!;
    expect(e.reduce((s, v) => s + v * v, 0)).toBeCloseTo(total * (1 - kept), 10);
    opt.dispose();
  });

  it('refuses a rank, period or parameter layout it cannot use', () => {
    const mk = (o: Partial<{ rank: number; period: number; size: number }>) =>
      new LowRankAdam(be, 'f64', [{ offset: 0, rows: 4, cols: 4 }], o.size ?? 16, {
        rank: o.rank ?? 2,
        projector: 'dct',
        period: o.period ?? 1,
        lr: 1e-3,
      });
    expect(() => mk({ rank: 0 })).toThrow(/rank must be a positive integer/);
    expect(() => mk({ period: 0.5 })).toThrow(/period must be a positive integer/);
    expect(() => mk({ size: 10 })).toThrow(/a 4×4 part at 0 does not fit in θ of 10/);
  });
});

describe('sparse spectral training and LoRA factors (reference backend)', () => {
  const be = createRefBackend();
  const random = (n: number, stream: number) => Float64Array.from(fillRandom({ seed: 11, stream }, 'normal', 'f64', n));
  /** Adam's first step on a coordinate with gradient g: lr·g/(|g| + ε). */
  const firstStep = (lr: number, g: number) => (lr * g) / (Math.abs(g) + 1e-8);

  it('SST starts at W, trains every σ by u_iᵀ·G·v_i (clamped at 0), and a re-SVD restores orthonormal factors', async () => {
    const [rows, cols, lr] = [6, 5, 0.05];
    const w = random(rows * cols, 1);
    const m = await SpectralMatrix.create(be, 'f64', w, rows, cols, { rank: 2, round: 2, lr, seed: 3 });
    (await m.weight()).forEach((x, i) => expect(x).toBeCloseTo(w[i], 13));
    const { u, s, v } = m.factors();
    const g = random(rows * cols, 2);
    await m.step(g, 0);
    const after = m.factors().s;
    for (let i = 0; i < 5; i++) {
      let ds = 0;
      for (let a = 0; a < rows; a++) for (let b = 0; b < cols; b++) ds += u[a * 5 + i] * g[a * cols + b] * v[b * 5 + i];
      expect(after[i]).toBeCloseTo(Math.max(0, s[i] - firstStep(lr, ds)), 13);
    }
    await m.step(g, 1);
    await m.step(g, 2); // a new round: re-SVD first
    expect(m.orthonormality).toHaveLength(1);
    expect(m.orthonormality[0]).toBeLessThan(1e-13);
    await expect(SpectralMatrix.create(be, 'f64', w, rows, cols, { rank: 6, round: 2, lr, seed: 3 })).rejects.toThrow(
      /SST rank must be an integer in \[1, 5\], got 6/,
    );
  });

  it("LoRA's first step moves B only (∂A = Bᵀ·G = 0 at B = 0); ReLoRA's merge keeps W", async () => {
    const [rows, cols, lr] = [5, 7, 0.01];
    const w0 = random(rows * cols, 3);
    const g = random(rows * cols, 4);
    const lora = new LoraMatrix(be, 'f64', Float64Array.from(w0), rows, cols, {
      rank: 2,
      lr,
      seed: 5,
      mergeEvery: Infinity,
    });
    (await lora.weight()).forEach((x, i) => expect(x).toBe(w0[i]));
    await lora.step(g, 0);
    const moved = await lora.weight();
    expect(moved.some((x, i) => x !== w0[i])).toBe(true);
    const relora = new LoraMatrix(be, 'f64', Float64Array.from(w0), rows, cols, {
      rank: 2,
      lr,
      seed: 5,
      mergeEvery: 2,
    });
    await relora.step(g, 0);
    await relora.step(g, 1);
    const before = await relora.weight();
    await relora.step(new Float64Array(rows * cols), 2); // merge, then a zero gradient: no move
    (await relora.weight()).forEach((x, i) => expect(x).toBeCloseTo(before[i], 14));
  });
});

await familySuite({
  family: 'optim',
  claims,
  cases,
  goldenRoot: GOLDEN,
  bench: { sizes: [64] },
});
