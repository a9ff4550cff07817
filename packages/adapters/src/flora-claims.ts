import { defineClaim, fillRandom, ops } from '@lowrank/core';
import { tuckerReconstruct } from '@lowrank/tensor';
import { tunedFineTune } from './claims-support.ts';
import { FloraAdapter } from './flora.ts';
import { LoraAdapter } from './lora.ts';
import { isotropicTask } from './task.ts';

/** S21: on an N-D weight update with Tucker structure, FLoRA fits far better than LoRA on the reshaped matrix at equal parameter count. */
export const floraClaim = defineClaim({
  id: 'adapters/flora/tucker-vs-reshape',
  paper: 'S21',
  family: 'adapters',
  title: 'FLoRA (Tucker core, N-D structure kept) against LoRA on the reshaped 32×288 kernel at equal parameter count',
  statement: 'Preserving the N-dimensional structure of the parameter space with a low-rank core (Tucker decomposition) rather '
    + 'than reshaping it to a matrix as LoRA does gives better adaptation across vision, language and multimodal tasks (abstract).',
  paperNumbers: [
    { quantity: 'benchmarks (not reproducible here)', value: 'FLoRA above LoRA at comparable trainable parameters on CV/NLP/multimodal tasks' },
    { quantity: 'pass rule (plan; a mechanism check)', value: 'target ΔW* of multilinear rank (4,4,2,2) + 1% noise on a 32×32×3×3 kernel: FLoRA residual ≤ 0.5 × LoRA residual at equal parameter count in 5/5 seeds' },
  ],
  primitives: ['gemm', 'batchedGemm', 'reduce', 'axpy', 'scal', 'transpose', 'binary'],
  dtypes: ['f64', 'f32'],
  experiment: {
    full: { shape: [32, 32, 3, 3], ranks: [4, 4, 2, 2], loraRank: 1, noise: 0.01, steps: 1000, grid: [1e-3, 1e-2, 1e-1], seeds: [0, 1, 2, 3, 4] },
    standard: { shape: [32, 32, 3, 3], ranks: [4, 4, 2, 2], loraRank: 1, noise: 0.01, steps: 1000, grid: [1e-3, 1e-2, 1e-1], seeds: [0, 1] },
    reduced: { shape: [8, 8, 3, 3], ranks: [2, 2, 2, 2], loraRank: 1, noise: 0.01, steps: 200, grid: [1e-1], seeds: [0] },
  },
  predicates: [
    {
      name: 'Tucker structure beats the reshape',
      kind: 'mechanism',
      rule: 'relative residual ‖ΔW − ΔW*‖/‖ΔW*‖: FLoRA ≤ 0.5 × LoRA in every seed (each with its best learning rate on the grid)',
      holds: (m) => m['seeds with FLoRA ≤ 0.5 × LoRA (fraction)'] === 1,
    },
  ],
  expected: 'mechanism verified',
  async run(be, dtype, e, ctx) {
    const measured: Record<string, number> = {};
    const [rows, cols] = [e.shape[0], e.shape.slice(1).reduce((a, b) => a * b, 1)];
    const floraParams = e.ranks.reduce((a, b) => a * b, 1) + e.shape.reduce((a, n, k) => a + n * e.ranks[k], 0);
    measured['parameters FLoRA'] = floraParams;
    measured['parameters LoRA'] = e.loraRank * (rows + cols);
    const tuned = tunedFineTune();
    let wins = 0;
    for (const seed of e.seeds) {
      await ctx.step(`seed ${seed}`);
      const release = be.track();
      try {
        const w0 = await ops.random(be, dtype, [rows, cols], { dist: 'normal', seed, stream: 190 });
        // ΔW* = G* ×₁ A₁* … ×₄ A₄* (Gaussian core and factors) plus 1% Gaussian noise, relative to its norm.
        const core = await ops.random(be, dtype, [e.ranks.reduce((a, b) => a * b, 1)], { dist: 'normal', seed, stream: 191 });
        const factors = await Promise.all(e.shape.map((n, k) => ops.random(be, dtype, [n, e.ranks[k]], { dist: 'normal', seed, stream: 192 + k })));
        const delta = Float64Array.from((await be.download((await tuckerReconstruct(be, core, e.ranks, factors)).tensor)).data);
        const norm = Math.sqrt(delta.reduce((a, v) => a + v * v, 0));
        const noise = fillRandom({ seed, stream: 197 }, 'normal', 'f64', delta.length);
        const noisy = delta.map((v, i) => v + (e.noise * norm * noise[i]) / Math.sqrt(delta.length));
        const deltaNorm = Math.sqrt(noisy.reduce((a, v) => a + v * v, 0));
        const w0h = (await be.download(w0)).data;
        const task = await isotropicTask(be, dtype, Float64Array.from(w0h, (v, i) => v + noisy[i]), rows, cols);
        // L = ½‖ΔW − ΔW*‖², so the relative residual is √(2L)/‖ΔW*‖.
        const flora = await tuned('flora', be, async () => new FloraAdapter(be, dtype, w0, e.shape, e.ranks, 1, seed), task, e.steps, e.grid);
        const lora = await tuned('lora', be, async () => new LoraAdapter(be, dtype, w0, { rank: e.loraRank, alpha: e.loraRank, seed }), task, e.steps, e.grid);
        const [rf, rl] = [Math.sqrt(2 * flora.final) / deltaNorm, Math.sqrt(2 * lora.final) / deltaNorm];
        if (rf <= 0.5 * rl) wins++;
        measured[`seed ${seed}: FLoRA relative residual`] = rf;
        measured[`seed ${seed}: LoRA relative residual`] = rl;
        task.dispose();
      } finally {
        release();
      }
    }
    measured['seeds with FLoRA ≤ 0.5 × LoRA (fraction)'] = wins / e.seeds.length;
    return { measured, seeds: e.seeds };
  },
});
