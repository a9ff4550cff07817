import { defineCase } from '@lowrank/core';
import { AlloraLayer } from './allora.ts';
import { LAYER_THRESHOLD, layerBenchParams, layerBytes, checkLayer, layerInputs, layerStep } from './layer-case.ts';

/**
 * The ALLoRA layer's forward and backward pass (S01): the per-row scale s_i = 1/√(‖(BA)_i‖ + 1/η²)
 * applied to ∂y before ∂A, ∂B, and ∂x unscaled; the OD ablation's per-sample scale beside it.
 * Verified against numpy (golden adapters/allora-layer, B ≠ 0 so the rows' factors differ);
 * benchmarked as one forward + backward step, as LoRA's layer is.
 */
export const alloraLayerCase = defineCase({
  id: 'adapters/allora-layer',
  paper: 'S01',
  family: 'adapters',
  title: 'ALLoRA layer: y = x·W₀ᵀ + x·Aᵀ·Bᵀ; ∂A, ∂B from ∂y·diag(1/√(‖(BA)_i‖ + 1/η²)); ∂x unscaled',
  primitives: ['gemm', 'axpy', 'binary', 'unary', 'reduce'],
  dtypes: ['f32', 'f64'],
  verify: {
    golden: 'adapters/allora-layer',
    reads: {
      params: { inputs: 'integer', outputs: 'integer', rank: 'integer', eta: 'number' },
      inputs: ['w0', 'a', 'b', 'x', 'dy'],
      outputs: ['y', 's', 'da', 'db', 'dx', 'da_od', 'db_od'],
      conventions:
        'no dropout, no α/r; s_i = 1/√(‖(BA)_i,:‖₂ + 1/η²); OD: 1/√(|x·(BA)ᵀ| + 1/η²) per sample; one sample per row',
    },
    thresholds: {
      y: LAYER_THRESHOLD,
      s: LAYER_THRESHOLD,
      da: LAYER_THRESHOLD,
      db: LAYER_THRESHOLD,
      dx: LAYER_THRESHOLD,
      da_od: LAYER_THRESHOLD,
      db_od: LAYER_THRESHOLD,
    },
    check: (be, dtype, entry) => {
      const { eta } = entry.params as { eta: number };
      return checkLayer(be, dtype, entry, ['w0', 'a', 'b', 'x', 'dy'], async (t, metric) => {
        const layer = new AlloraLayer(be, t.w0, t.a, t.b, { eta });
        const { y, cache } = await layer.forward(t.x);
        const g = await layer.backward(cache, t.dy);
        const od = await new AlloraLayer(be, t.w0, t.a, t.b, { eta, outputs: true }).backward(cache, t.dy);
        return {
          y: await metric('y', y),
          s: await metric('s', await layer.rowScales()),
          da: await metric('da', g.da),
          db: await metric('db', g.db),
          dx: await metric('dx', g.dx),
          da_od: await metric('da_od', od.da),
          db_od: await metric('db_od', od.db),
        };
      });
    },
  },
  bench: {
    params: (sizes) => layerBenchParams(sizes),
    // LoRA's step (x·W₀ᵀ, h, h·Bᵀ; ∂B, ∂h, ∂A, ∂x with (∂y·B)·A) plus B·A (2n²r) and its row norms (2n²).
    cost: (p, dtype) => ({
      flops: 4 * p.batch * p.width ** 2 + 12 * p.batch * p.rank * p.width + 2 * p.width ** 2 * (p.rank + 1),
      bytes: layerBytes(p, dtype),
    }),
    async setup(be, dtype, p) {
      const t = await layerInputs(be, dtype, p);
      const layer = new AlloraLayer(be, t.w0, t.a, t.b, { eta: 1 });
      return layerStep(be, t, async () => layer.backward((await layer.forward(t.x)).cache, t.dy));
    },
  },
});
