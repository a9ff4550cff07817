import { defineCase } from '@lowrank/core';
import { DoraLayer } from './dora.ts';
import { rowNorms } from './layer-ops.ts';
import { LAYER_THRESHOLD, layerBenchParams, layerBytes, checkLayer, layerInputs, layerStep } from './layer-case.ts';

/**
 * The DoRA layer's forward and backward pass: magnitude m times the direction (W₀ + s·B·A)/‖·‖_row,
 * the norm detached. Verified against numpy (golden adapters/dora-layer, m drawn so c ≠ 1);
 * benchmarked as one forward + backward step with m = ‖W₀‖_row, as at initialization.
 */
export const doraLayerCase = defineCase({
  id: 'adapters/dora-layer',
  family: 'adapters',
  title: 'DoRA layer: y = x·(diag(m/‖V‖_row)·V)ᵀ, V = W₀ + (α/r)·B·A, the norm detached; ∂m, ∂A, ∂B, ∂x',
  primitives: ['gemm', 'axpy', 'binary', 'unary', 'reduce'],
  dtypes: ['f32', 'f64'],
  verify: {
    golden: 'adapters/dora-layer',
    reads: {
      params: { inputs: 'integer', outputs: 'integer', rank: 'integer', alpha: 'number' },
      inputs: ['w0', 'a', 'b', 'x', 'dy', 'm'],
      outputs: ['y', 'dm', 'da', 'db', 'dx'],
      conventions: 'no dropout, s = α/r; the row norm of V detached in the backward pass; one sample per row',
    },
    thresholds: {
      y: LAYER_THRESHOLD,
      dm: LAYER_THRESHOLD,
      da: LAYER_THRESHOLD,
      db: LAYER_THRESHOLD,
      dx: LAYER_THRESHOLD,
    },
    check: (be, dtype, entry) => {
      const { rank, alpha } = entry.params as { rank: number; alpha: number };
      return checkLayer(be, dtype, entry, ['w0', 'a', 'b', 'x', 'dy', 'm'], async (t, metric) => {
        const layer = new DoraLayer(be, t.w0, t.a, t.b, t.m, { rank, alpha });
        const { y, cache } = await layer.forward(t.x);
        const g = await layer.backward(cache, t.dy);
        return {
          y: await metric('y', y),
          dm: await metric('dm', g.dm),
          da: await metric('da', g.da),
          db: await metric('db', g.db),
          dx: await metric('dx', g.dx),
        };
      });
    },
  },
  bench: {
    params: (sizes) => layerBenchParams(sizes, 1),
    // LoRA's step plus V = W₀ + s·B·A (2n²r), its row norms (2n²), the column scalings and ∂m (4bn).
    cost: (p, dtype) => ({
      flops:
        4 * p.batch * p.width ** 2 +
        12 * p.batch * p.rank * p.width +
        2 * p.width ** 2 * (p.rank + 1) +
        4 * p.batch * p.width,
      bytes: layerBytes(p, dtype),
    }),
    async setup(be, dtype, p) {
      const t = await layerInputs(be, dtype, p);
      const m = await rowNorms(be, t.w0);
      const layer = new DoraLayer(be, t.w0, t.a, t.b, m, { rank: p.rank, alpha: 2 * p.rank });
      return layerStep(be, { ...t, m }, async () => layer.backward((await layer.forward(t.x)).cache, t.dy));
    },
  },
});
