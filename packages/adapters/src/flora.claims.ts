import {
  defineClaim,
  fillRandom,
  perSeed,
  seedAxis,
  ops,
  prose,
  type Backend,
  type DeviceTensor,
  type DType,
} from '@lowrank/core';
import { randomOrthonormal } from '@lowrank/linalg';
import { tuckerReconstruct } from '@lowrank/tensor';
import { fineTuningUpdate, kronecker, tunedFineTune } from './claims-support.ts';
import { FloraAdapter } from './flora.ts';
import { LoraAdapter } from './lora.ts';
import { isotropicTask } from './task.ts';

/** FLoRA's trainable count for Tucker ranks r on an N-D shape: the core Π r_k plus the factors Σ n_k·r_k. */
export function floraParameters(shape: readonly number[], ranks: readonly number[]): number {
  return ranks.reduce((a, b) => a * b, 1) + shape.reduce((a, n, k) => a + n * ranks[k], 0);
}

/** The ranks (a, a, b, b) of a 4-D kernel whose FLoRA count is the largest not above `budget`: never more parameters than LoRA. */
export function floraRanksFor(shape: readonly number[], budget: number): number[] {
  let best: number[] = [1, 1, 1, 1];
  for (let a = 1; a <= Math.min(shape[0], shape[1]); a++) {
    for (let b = 1; b <= Math.min(shape[2], shape[3]); b++) {
      const ranks = [a, a, b, b];
      const count = floraParameters(shape, ranks);
      if (count <= budget && count > floraParameters(shape, best)) best = ranks;
    }
  }
  return best;
}

/**
 * The neutral target for a conv kernel (out, in, kh, kw) as its out×(in·kh·kw) reshape: a fine-tuning
 * update (fineTuningUpdate) on inputs whose covariance is channel ⊗ spatial, Σ_c ⊗ Σ_s with λ_c ∝ 1/i
 * and λ_s ∝ 1/i² (smooth patches): structured by the data, not drawn as Tucker or as low rank.
 */
async function kernelUpdate(
  be: Backend,
  dtype: DType,
  shape: readonly number[],
  norm: number,
  steps: number,
  seed: number,
): Promise<Float64Array> {
  const [channels, spatial] = [shape[1], shape[2] * shape[3]];
  const basis = async (n: number, stream: number) =>
    Float64Array.from((await be.download(await randomOrthonormal(be, dtype, n, n, seed, stream))).data);
  const p = kronecker(await basis(channels, 198), channels, await basis(spatial, 199), spatial);
  const lambda = Array.from(
    { length: channels * spatial },
    (_, i) => 1 / (Math.floor(i / spatial) + 1) / ((i % spatial) + 1) ** 2,
  );
  return fineTuningUpdate(shape[0], channels * spatial, p, lambda, steps, norm, seed);
}

/** ‖ΔW − ΔW*‖/‖ΔW*‖ of FLoRA and of LoRA fitted to the target (each at its tuned learning rate). */
async function residuals(
  be: Backend,
  dtype: DType,
  w0: DeviceTensor,
  delta: Float64Array,
  shape: readonly number[],
  floraRanks: readonly number[],
  loraRank: number,
  steps: number,
  grid: readonly number[],
  tuned: ReturnType<typeof tunedFineTune>,
  key: string,
  seed: number,
): Promise<{ flora: number; lora: number }> {
  const [rows, cols] = [shape[0], delta.length / shape[0]];
  const deltaNorm = Math.sqrt(delta.reduce((a, v) => a + v * v, 0));
  const w0h = (await be.download(w0)).data;
  const task = await isotropicTask(
    be,
    dtype,
    Float64Array.from(w0h, (v, i) => v + delta[i]),
    rows,
    cols,
  );
  try {
    // L = ½‖ΔW − ΔW*‖², so the relative residual is √(2L)/‖ΔW*‖.
    const flora = await tuned(
      `${key} flora`,
      be,
      async () => new FloraAdapter(be, dtype, w0, shape, floraRanks, 1, seed),
      task,
      steps,
      grid,
    );
    const lora = await tuned(
      `${key} lora`,
      be,
      async () => new LoraAdapter(be, dtype, w0, { rank: loraRank, alpha: loraRank, seed }),
      task,
      steps,
      grid,
    );
    return { flora: Math.sqrt(2 * flora.final) / deltaNorm, lora: Math.sqrt(2 * lora.final) / deltaNorm };
  } finally {
    task.dispose();
  }
}

/** S21: on an N-D weight update with Tucker structure, FLoRA fits far better than LoRA on the reshaped matrix at equal parameter count. */
export const floraClaim = defineClaim({
  id: 'adapters/flora/tucker-vs-reshape',
  paper: 'S21',
  family: 'adapters',
  title: 'FLoRA (Tucker core, N-D structure kept) against LoRA on the reshaped 32×288 kernel at equal parameter count',
  statement: prose`
    Preserving the N-dimensional structure of the parameter space with a low-rank core (Tucker decomposition) rather
    than reshaping it to a matrix as LoRA does gives better adaptation across vision, language and multimodal tasks (abstract).
  `,
  paperNumbers: [
    {
      quantity: 'benchmarks (not reproducible here)',
      value: prose`
      FLoRA above LoRA at comparable trainable parameters on CV/NLP/multimodal tasks
    `,
    },
    {
      quantity: 'pass rule (plan; a mechanism check)',
      value: prose`
      target ΔW* of multilinear rank (4,4,2,2) + 1% noise on a 32×32×3×3 kernel: FLoRA residual ≤ 0.5 × LoRA residual
      at equal parameter count in 5/5 seeds
    `,
    },
  ],
  primitives: ['gemm', 'batchedGemm', 'reduce', 'axpy', 'scal', 'transpose', 'binary', 'qr', 'random'],
  dtypes: ['f64', 'f32'],
  experiment: {
    // loraRanks: the neutral comparison's LoRA ranks, each against the FLoRA ranks with the most parameters not above LoRA's.
    full: {
      shape: [32, 32, 3, 3],
      ranks: [4, 4, 2, 2],
      loraRank: 1,
      noise: 0.01,
      loraRanks: [1, 4],
      ftSteps: 20,
      steps: 1000,
      grid: [1e-3, 1e-2, 1e-1],
      seeds: [0, 1, 2, 3, 4],
    },
    standard: {
      shape: [32, 32, 3, 3],
      ranks: [4, 4, 2, 2],
      loraRank: 1,
      noise: 0.01,
      loraRanks: [1, 4],
      ftSteps: 20,
      steps: 1000,
      grid: [1e-3, 1e-2, 1e-1],
      seeds: [0, 1],
    },
    reduced: {
      shape: [8, 8, 3, 3],
      ranks: [2, 2, 2, 2],
      loraRank: 1,
      noise: 0.01,
      loraRanks: [1],
      ftSteps: 20,
      steps: 200,
      grid: [1e-1],
      seeds: [0],
    },
  },
  predicates: [
    {
      name: 'Tucker structure beats the reshape on a Tucker target',
      kind: 'mechanism',
      rule: prose`
        target of multilinear rank (4,4,2,2) + 1% noise: relative residual ‖ΔW − ΔW*‖/‖ΔW*‖ of FLoRA ≤ 0.5 × LoRA in
        every seed
      `,
      holds: (m) => m['Tucker target: seeds with FLoRA ≤ 0.5 × LoRA (fraction)'] === 1,
    },
    {
      name: 'FLoRA fits a fine-tuning update better at equal parameters',
      kind: 'empirical',
      rule: prose`
        neutral target (a full fine-tuning update under channel ⊗ spatial input covariance): FLoRA residual ≤ LoRA's,
        FLoRA with no more parameters, in ≥ 80% of (seed, LoRA rank) runs
      `,
      holds: (m) => m['fine-tuning update: runs with FLoRA ≤ LoRA (fraction)'] >= 0.8,
    },
  ],
  bands: {
    'Tucker target: seeds with FLoRA ≤ 0.5 × LoRA (fraction)': [0.952, 1.05],
    'fine-tuning update: runs with FLoRA ≤ LoRA (fraction)': [-0.5, 1.5],
  },
  calibration: prose`
    The Tucker target is drawn from FLoRA's own class (a mechanism check). The neutral target is drawn from neither:
    gradient descent of the full kernel toward a generic (full-rank Gaussian) shift, on inputs whose covariance factors over
    channels and the 3×3 window, as image patches do; it is judged across LoRA ranks against FLoRA at no more parameters.
  `,
  plot(m, e) {
    // The fine-tuning keys name both parameter counts ('…LoRA r=1 (320 parameters) vs FLoRA (3,3,3,3) (291), seed 0: …').
    const update = (r: number, s: number) =>
      Object.keys(m).find(
        (k) => k.startsWith(`fine-tuning update, LoRA r=${r} (`) && k.endsWith(`seed ${s}: FLoRA / LoRA residual`),
      ) ?? '';
    return {
      title: 'FLoRA residual over LoRA residual at about equal parameter counts, per seed',
      x: seedAxis(e.seeds),
      y: { name: 'FLoRA / LoRA residual', log: true },
      series: [
        {
          name: 'Tucker target',
          style: 'points' as const,
          points: perSeed(m, e.seeds, (s) => `Tucker target seed ${s}: FLoRA / LoRA relative residual`),
        },
        ...e.loraRanks.map((r) => ({
          name: `fine-tuning update, LoRA r=${r}`,
          style: 'points' as const,
          points: perSeed(m, e.seeds, (s) => update(r, s)),
        })),
      ],
      marks: [{ axis: 'y' as const, at: 1, label: 'equal residual' }],
    };
  },
  async run(be, dtype, e, ctx) {
    const measured: Record<string, number> = {};
    const [rows, cols] = [e.shape[0], e.shape.slice(1).reduce((a, b) => a * b, 1)];
    measured['parameters FLoRA (Tucker target)'] = floraParameters(e.shape, e.ranks);
    measured['parameters LoRA (Tucker target)'] = e.loraRank * (rows + cols);
    const tuned = tunedFineTune();
    let wins = 0,
      neutralWins = 0,
      neutralRuns = 0;
    for (const seed of e.seeds) {
      await ctx.step(`seed ${seed}`);
      const release = be.track();
      try {
        const w0 = await ops.random(be, dtype, [rows, cols], { dist: 'normal', seed, stream: 190 });
        // ΔW* = G* ×₁ A₁* … ×₄ A₄* (Gaussian core and factors) plus 1% Gaussian noise, relative to its norm.
        const core = await ops.random(be, dtype, [e.ranks.reduce((a, b) => a * b, 1)], {
          dist: 'normal',
          seed,
          stream: 191,
        });
        const factors = await Promise.all(
          e.shape.map((n, k) => ops.random(be, dtype, [n, e.ranks[k]], { dist: 'normal', seed, stream: 192 + k })),
        );
        const delta = Float64Array.from(
          (await be.download((await tuckerReconstruct(be, core, e.ranks, factors)).tensor)).data,
        );
        const norm = Math.sqrt(delta.reduce((a, v) => a + v * v, 0));
        const noise = fillRandom({ seed, stream: 197 }, 'normal', 'f64', delta.length);
        const tucker = delta.map((v, i) => v + (e.noise * norm * noise[i]) / Math.sqrt(delta.length));
        const t = await residuals(
          be,
          dtype,
          w0,
          tucker,
          e.shape,
          e.ranks,
          e.loraRank,
          e.steps,
          e.grid,
          tuned,
          'tucker',
          seed,
        );
        if (t.flora <= 0.5 * t.lora) wins++;
        measured[`Tucker target seed ${seed}: FLoRA / LoRA relative residual`] = t.flora / t.lora;
        const update = await kernelUpdate(be, dtype, e.shape, norm, e.ftSteps, seed);
        for (const r of e.loraRanks) {
          const ranks = floraRanksFor(e.shape, r * (rows + cols));
          const u = await residuals(
            be,
            dtype,
            w0,
            update,
            e.shape,
            ranks,
            r,
            e.steps,
            e.grid,
            tuned,
            `update r=${r}`,
            seed,
          );
          neutralRuns++;
          if (u.flora <= u.lora) neutralWins++;
          measured[
            `fine-tuning update, LoRA r=${r} (${r * (rows + cols)} parameters) vs FLoRA (${ranks.join(',')}) (${floraParameters(e.shape, ranks)}), seed ${seed}: FLoRA / LoRA residual`
          ] = u.flora / u.lora;
          measured[`fine-tuning update, LoRA r=${r}, seed ${seed}: LoRA relative residual`] = u.lora;
        }
      } finally {
        release();
      }
    }
    measured['Tucker target: seeds with FLoRA ≤ 0.5 × LoRA (fraction)'] = wins / e.seeds.length;
    measured['fine-tuning update: runs with FLoRA ≤ LoRA (fraction)'] = neutralWins / neutralRuns;
    return { measured, seeds: e.seeds };
  },
});
