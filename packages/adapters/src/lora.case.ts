import {
  BYTES_PER_ELEMENT,
  computeEps,
  defineCase,
  errorOverLargest,
  fillRandom,
  hostTensor,
  putAs,
} from '@lowrank/core';
import { LoraLayer } from './lora.ts';

/**
 * The LoRA layer's forward and backward pass (α/r scaling; dropout in the benchmark). Verified without
 * dropout against numpy (golden adapters/lora-layer); benchmarked as one forward + backward step on a
 * batch of 64 with dropout 0.1, the trainable parameter count r·(in + out) recorded in the parameters.
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
    thresholds: {
      y: {
        value: 30,
        why: "LAPACK's LIN threshold on max |ŷ − y| / (ε·K·max |y|), K = in + out + r: the depth of the chained GEMMs",
      },
      da: { value: 30, why: 'the same bound for ∂A' },
      db: { value: 30, why: 'the same bound for ∂B' },
      dx: { value: 30, why: 'the same bound for ∂x' },
    },
    async check(be, dtype, entry) {
      const { inputs, outputs, rank, alpha } = entry.params as {
        inputs: number;
        outputs: number;
        rank: number;
        alpha: number;
      };
      const release = be.track();
      try {
        const t = Object.fromEntries(
          await Promise.all(
            ['w0', 'a', 'b', 'x', 'dy'].map(async (k) => [k, await putAs(be, dtype, entry.inputs[k])] as const),
          ),
        );
        const layer = new LoraLayer(be, t.w0, t.a, t.b, { rank, alpha, seed: 0 });
        const { y, cache } = await layer.forward(t.x, 0);
        const g = await layer.backward(cache, t.dy);
        const depth = inputs + outputs + rank,
          eps = computeEps(be, dtype);
        const metric = async (name: string, d: typeof y) =>
          errorOverLargest((await be.download(d)).data, entry.outputs[name].data) / (eps * depth);
        return {
          y: await metric('y', y),
          da: await metric('da', g.da),
          db: await metric('db', g.db),
          dx: await metric('dx', g.dx),
        };
      } finally {
        release();
      }
    },
  },
  bench: {
    params: (sizes) =>
      (sizes ?? [256, 1024]).flatMap((width) =>
        [8, 64].filter((r) => r < width).map((rank) => ({ width, rank, batch: 64, trainable: 2 * rank * width })),
      ),
    // Forward: x·W₀ᵀ 2b·n², dropout(x)·Aᵀ and h·Bᵀ 4b·r·n; backward: ∂B, ∂h, ∂A, (∂h)·A 8b·r·n, ∂y·W₀ 2b·n².
    cost: ({ width: n, rank: r, batch: b }, dtype) => ({
      flops: 4 * b * n * n + 12 * b * r * n,
      bytes: (n * n + 4 * r * n + 6 * b * n + 4 * b * r) * BYTES_PER_ELEMENT[dtype],
    }),
    async setup(be, dtype, { width: n, rank, batch }) {
      const up = (stream: number, rows: number, cols: number, scale: number) =>
        be.upload(
          hostTensor(
            dtype,
            [rows, cols],
            (fillRandom({ seed: 0, stream }, 'normal', 'f64', rows * cols) as Float64Array).map((v) => v * scale),
          ),
        );
      const [w0, a, b, x, dy] = [
        await up(150, n, n, 1 / Math.sqrt(n)),
        await up(151, rank, n, 1 / Math.sqrt(n)),
        await up(152, n, rank, 0.01),
        await up(153, batch, n, 1),
        await up(154, batch, n, 1),
      ];
      const layer = new LoraLayer(be, w0, a, b, { rank, alpha: 2 * rank, dropout: 0.1, seed: 0 });
      let step = 0;
      return {
        async run() {
          const release = be.track();
          const { cache } = await layer.forward(x, step++);
          await layer.backward(cache, dy);
          await be.sync();
          release();
        },
        dispose() {
          for (const t of [w0, a, b, x, dy]) be.dispose(t);
        },
      };
    },
  },
});
