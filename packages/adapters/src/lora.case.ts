import { defineCase } from '@lowrank/core';
import { LAYER_THRESHOLD, layerBenchParams, layerBytes, checkLayer, layerInputs, layerStep } from './layer-case.ts';
import { LoraLayer } from './lora.ts';

/**
 * The LoRA layer's forward and backward pass (α/r scaling; dropout in the benchmark). Verified without
 * dropout against numpy (golden adapters/lora-layer); benchmarked as one forward + backward step on a
 * batch of 64 with dropout 0.1, the trainable parameter count r·(in + out) and Adam's state bytes recorded
 * in the parameters.
 */
export const loraLayerCase = defineCase({
  id: 'adapters/lora-layer',
  family: 'adapters',
  title: 'LoRA layer forward and backward: y = x·W₀ᵀ + (α/r)·dropout(x)·Aᵀ·Bᵀ and ∂A, ∂B, ∂x',
  primitives: ['gemm', 'axpy', 'binary'],
  dtypes: ['f32', 'f64'],
  verify: {
    golden: 'adapters/lora-layer',
    reads: {
      params: { inputs: 'integer', outputs: 'integer', rank: 'integer', alpha: 'number' },
      inputs: ['w0', 'a', 'b', 'x', 'dy'],
      outputs: ['y', 'da', 'db', 'dx'],
      conventions: 'no dropout, s = α/r: y = x·W₀ᵀ + s·(x·Aᵀ)·Bᵀ; dA, dB, dx for upstream dy; one sample per row',
    },
    thresholds: { y: LAYER_THRESHOLD, da: LAYER_THRESHOLD, db: LAYER_THRESHOLD, dx: LAYER_THRESHOLD },
    check: (be, dtype, entry) => {
      const { rank, alpha } = entry.params as { rank: number; alpha: number };
      return checkLayer(be, dtype, entry, ['w0', 'a', 'b', 'x', 'dy'], async (t, metric) => {
        const layer = new LoraLayer(be, t.w0, t.a, t.b, { rank, alpha, seed: 0 });
        const { y, cache } = await layer.forward(t.x, 0);
        const g = await layer.backward(cache, t.dy);
        return {
          y: await metric('y', y),
          da: await metric('da', g.da),
          db: await metric('db', g.db),
          dx: await metric('dx', g.dx),
        };
      });
    },
  },
  bench: {
    params: (sizes) => layerBenchParams(sizes),
    // Forward: x·W₀ᵀ 2b·n², dropout(x)·Aᵀ and h·Bᵀ 4b·r·n; backward: ∂B, ∂h, ∂A, (∂h)·A 8b·r·n, ∂y·W₀ 2b·n².
    cost: (p, dtype) => ({
      flops: 4 * p.batch * p.width ** 2 + 12 * p.batch * p.rank * p.width,
      bytes: layerBytes(p, dtype),
    }),
    async setup(be, dtype, p) {
      const t = await layerInputs(be, dtype, p);
      const layer = new LoraLayer(be, t.w0, t.a, t.b, { rank: p.rank, alpha: 2 * p.rank, dropout: 0.1, seed: 0 });
      let step = 0;
      return layerStep(be, t, async () => layer.backward((await layer.forward(t.x, step++)).cache, t.dy));
    },
  },
});
