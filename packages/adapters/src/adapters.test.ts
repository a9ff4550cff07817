/** The adapters family on every backend: the LoRA layer against numpy (golden), the claims in reduced form, and the parameterizations' identities. */
import { createRefBackend } from '@lowrank/backend-ref';
import { fillRandom, hostTensor, ops } from '@lowrank/core';
import { familySuite } from '@lowrank/harness/vitest';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { cases, claims, FloraAdapter, LolduAdapter, LoraAdapter, LoraLayer, SvfitAdapter } from './index.ts';

const GOLDEN = fileURLToPath(new URL('../../../golden', import.meta.url));

describe('adapter identities (reference backend)', () => {
  const be = createRefBackend();
  const upload = (rows: number, cols: number, stream: number) =>
    be.upload(hostTensor('f64', [rows, cols], fillRandom({ seed: 3, stream }, 'normal', 'f64', rows * cols)));

  it("the LoRA layer's gradients are the adapter's chain rule through W = W₀ + s·B·A, with ∂W = ∂yᵀ·x", async () => {
    const [w0, x, dy] = [await upload(5, 7, 0), await upload(4, 7, 1), await upload(4, 5, 2)];
    const adapter = new LoraAdapter(be, 'f64', w0, { rank: 2, alpha: 3, seed: 1 });
    adapter.theta.set(fillRandom({ seed: 3, stream: 3 }, 'normal', 'f64', adapter.theta.length)); // B ≠ 0
    const a = await be.upload(hostTensor('f64', [2, 7], adapter.theta.subarray(0, 14)));
    const b = await be.upload(hostTensor('f64', [5, 2], adapter.theta.subarray(14)));
    const layer = new LoraLayer(be, w0, a, b, { rank: 2, alpha: 3, seed: 1 });
    const { cache } = await layer.forward(x, 0);
    const g = await layer.backward(cache, dy);
    const dense = await adapter.gradient(await ops.gemm(be, dy, x, { transA: true }));
    const layerGrad = [...(await be.download(g.da)).data, ...(await be.download(g.db)).data];
    layerGrad.forEach((v, i) => expect(v).toBeCloseTo(dense[i], 12));
  });

  it('dropout draws a fresh, reproducible mask per step and keeps the expectation (inverted scaling)', async () => {
    const [w0, x] = [
      await upload(3, 400, 0),
      await be.upload(hostTensor('f64', [1, 400], new Float64Array(400).fill(1))),
    ];
    const a = await be.upload(hostTensor('f64', [1, 400], new Float64Array(400).fill(1)));
    const layer = new LoraLayer(be, w0, a, await upload(3, 1, 5), { rank: 1, alpha: 1, dropout: 0.25, seed: 9 });
    const h = async (step: number) => (await be.download((await layer.forward(x, step)).cache.h)).data[0];
    expect(await h(1)).toBe(await h(1));
    expect(await h(1)).not.toBe(await h(2));
    expect((await h(1)) / 400).toBeGreaterThan(0.85); // Σ mask/(1 − p) over 400 inputs ≈ 400
    expect((await h(1)) / 400).toBeLessThan(1.15);
  });

  it('bad ranks are named', async () => {
    expect(
      () => new LoraAdapter(be, 'f64', createRefBackend().zeros('f64', [3, 4]), { rank: 4, alpha: 1, seed: 0 }),
    ).toThrow(/rank must be an integer in \[1, 3\], got 4/);
    const singular = await be.upload(hostTensor('f64', [2, 2], [1, 2, 2, 4]));
    await expect(LolduAdapter.create(be, singular, 1, 1)).rejects.toThrow(/singular: pivot 1 is exactly zero/);
  });

  it("FLoRA's Tucker gradients match central differences of ½‖W(θ) − T‖²", async () => {
    const shape = [3, 2, 2],
      ranks = [2, 1, 2];
    const w0 = await upload(3, 4, 6);
    const flora = new FloraAdapter(be, 'f64', w0, shape, ranks, 0.7, 2);
    flora.theta.set(fillRandom({ seed: 3, stream: 7 }, 'normal', 'f64', flora.theta.length));
    const target = fillRandom({ seed: 3, stream: 8 }, 'normal', 'f64', 12);
    const loss = async () =>
      (await be.download(await flora.weight())).data.reduce((a, v, i) => a + (v - target[i]) ** 2 / 2, 0);
    const w = (await be.download(await flora.weight())).data;
    const grad = await flora.gradient(
      await be.upload(
        hostTensor(
          'f64',
          [3, 4],
          w.map((v, i) => v - target[i]),
        ),
      ),
    );
    for (let j = 0; j < flora.theta.length; j++) {
      const t = flora.theta[j],
        h = 1e-6;
      flora.theta[j] = t + h;
      const up = await loss();
      flora.theta[j] = t - h;
      const down = await loss();
      flora.theta[j] = t;
      const fd = (up - down) / (2 * h);
      expect(Math.abs(grad[j] - fd)).toBeLessThan(1e-7 * Math.max(1, Math.abs(fd)));
    }
  });

  it('SVFit picks the smallest rank keeping the asked energy', async () => {
    const w = await be.upload(hostTensor('f64', [3, 3], [3, 0, 0, 0, 2, 0, 0, 0, 1]));
    expect((await SvfitAdapter.create(be, w, null, 0.9)).adapter.theta.length).toBe(2);
  });
});

await familySuite({
  family: 'adapters',
  claims,
  cases,
  goldenRoot: GOLDEN,
  bench: { sizes: [32] },
});
