import { defineClaim, fillRandom, type Backend, type DType } from '@lowrank/core';
import { Adam, gatherBatch, initialParameters, layerOffsets, Mlp } from '@lowrank/mlp';
import { activationAwareProjection, rankSweep } from './lord.ts';
import { truncateLayer } from './trp.ts';

/**
 * Text from a sparse order-2 Markov chain over `vocab` tokens: each context (previous two tokens) has
 * `branching` possible next tokens with random weights. Returns the samples as (context one-hots,
 * next token): inputs 2·vocab wide.
 */
export function markovText(vocab: number, length: number, branching: number, seed: number, stream: number): { x: Float64Array; labels: Int32Array } {
  const contexts = vocab * vocab;
  const next = fillRandom({ seed, stream: 210 }, 'uniform', 'f64', contexts * branching), weights = fillRandom({ seed, stream: 211 }, 'uniform', 'f64', contexts * branching);
  const walk = fillRandom({ seed, stream }, 'uniform', 'f64', length);
  const tokens = [0, 1];
  for (let t = 2; t < length + 2; t++) {
    const c = tokens[t - 2] * vocab + tokens[t - 1];
    let total = 0;
    for (let b = 0; b < branching; b++) total += weights[c * branching + b];
    let u = walk[t - 2] * total, b = 0;
    while (b < branching - 1 && u > weights[c * branching + b]) u -= weights[c * branching + b++];
    tokens.push(Math.floor(next[c * branching + b] * vocab));
  }
  const x = new Float64Array(length * 2 * vocab), labels = new Int32Array(length);
  for (let t = 0; t < length; t++) {
    x[t * 2 * vocab + tokens[t]] = 1;
    x[t * 2 * vocab + vocab + tokens[t + 1]] = 1;
    labels[t] = tokens[t + 2];
  }
  return { x, labels };
}

/** Adam on minibatches of `batch` consecutive-in-a-shuffled-order samples. */
async function trainLm(be: Backend, dtype: DType, widths: number[], data: { x: Float64Array; labels: Int32Array }, steps: number, batch: number, lr: number, seed: number): Promise<Float64Array> {
  const d = widths[0], n = data.labels.length, theta = initialParameters(widths, seed), adam = new Adam(theta.length, lr);
  const order = fillRandom({ seed, stream: 212 }, 'uniform', 'f64', steps * batch);
  const pick = (s: number) => gatherBatch(data, d, Array.from({ length: batch }, (_, i) => Math.floor(order[s * batch + i] * n)));
  const first = pick(0);
  const net = await Mlp.create(be, dtype, widths, first.x, first.labels);
  try {
    for (let s = 0; s < steps; s++) {
      const b = pick(s);
      await net.setBatch(b.x, b.labels);
      await net.setParameters(theta);
      adam.step(theta, (await net.gradient()).grad);
    }
  } finally {
    net.dispose();
  }
  return theta;
}

/** S18: one-shot low-rank decomposition with a per-layer rank sweep; activation-aware reduces rank more at ≤ 1% perplexity loss. */
export const lordClaim = defineClaim({
  id: 'compress/lord/rank-reduction',
  paper: 'S18',
  family: 'compress',
  title: 'LoRD: one-shot low-rank decomposition of an MLP language model, ranks reduced by ≥ 20% at < 1% perplexity increase',
  statement: 'Low-rank decomposition reduces the ranks of the linear layers "by up to 39.58% with less than 1% increase in perplexity", '
    + 'compressing StarCoder 16B to 13.2B with no drop in HumanEval and up to 22.35% inference speed-up (abstract).',
  paperNumbers: [
    { quantity: 'rank reduction at < 1% perplexity increase', value: 'up to 39.58% (code LLMs)' },
    { quantity: 'pass rule (plan)', value: 'the rank reduction achievable at ≤ 1% perplexity increase is ≥ 20% for the activation-aware decomposition (weight-only SVD reported beside it); factorized matvec faster below half the break-even rank (benchmark compress/factorized-layer)' },
  ],
  primitives: ['gemm', 'unary', 'binary', 'reduce', 'svd', 'syev'],
  dtypes: ['f64', 'f32'],
  experiment: {
    full: { vocab: 32, branching: 4, hidden: 256, train: 20000, heldOut: 5000, steps: 1000, batch: 128, lr: 1e-2, tolerance: 0.01, seeds: [0, 1, 2] },
    standard: { vocab: 32, branching: 4, hidden: 256, train: 20000, heldOut: 5000, steps: 1000, batch: 128, lr: 1e-2, tolerance: 0.01, seeds: [0] },
    reduced: { vocab: 16, branching: 3, hidden: 64, train: 4000, heldOut: 4000, steps: 400, batch: 64, lr: 1e-2, tolerance: 0.01, seeds: [0] },
  },
  predicates: [
    {
      name: 'activation-aware decomposition reduces rank by ≥ 20%',
      kind: 'empirical',
      rule: 'the smallest rank of the hidden×hidden layer keeping held-out perplexity within 1% is ≤ 80% of full, every seed',
      holds: (m) => m['activation-aware rank reduction, worst seed'] >= 0.2,
    },
  ],
  expected: 'reproduced',
  calibration: 'Deviations from the plan: vocabulary 32 instead of 64 (with 20k training tokens each of the 64² contexts would be '
    + 'seen about 5 times and the teacher stays near perplexity 50; at 32, 20 times, perplexity 9.5–10.4) and 5000 held-out tokens '
    + 'instead of 20000 (60 s budget: the full run takes 51 s). Measured: the hidden 256×256 layer keeps perplexity within 1% down to '
    + 'rank 50–53 activation-aware (79–80% reduction) and 48–51 by the weight SVD (80–81%): here the weight-only decomposition '
    + 'reduces at least as much, against the plan\'s expectation.',
  async run(be, dtype, e, ctx) {
    const measured: Record<string, number> = {};
    const widths = [2 * e.vocab, e.hidden, e.hidden, e.vocab], layer = 1, h = e.hidden;
    let worstAware = 1;
    for (const seed of e.seeds) {
      await ctx.step(`seed ${seed}`);
      const theta = await trainLm(be, dtype, widths, markovText(e.vocab, e.train, e.branching, seed, 213), e.steps, e.batch, e.lr, seed);
      const held = markovText(e.vocab, e.heldOut, e.branching, seed, 214);
      const net = await Mlp.create(be, dtype, widths, held.x, held.labels);
      try {
        const perplexity = async (t: Float64Array) => {
          await net.setParameters(t);
          return Math.exp(await net.loss());
        };
        const base = await perplexity(theta);
        await net.setParameters(theta);
        const calibration = await net.layerInput(layer);
        const off = layerOffsets(widths)[layer];
        const weight = theta.slice(off, off + h * h);
        const svdRank = await rankSweep(async (r) => {
          const t = Float64Array.from(theta);
          await truncateLayer(be, dtype, t, widths, layer, { rank: r });
          return perplexity(t);
        }, h, base, e.tolerance);
        const awareRank = await rankSweep(async (r) => {
          const t = Float64Array.from(theta);
          t.set(await activationAwareProjection(be, dtype, weight, h, h, calibration, r), off);
          return perplexity(t);
        }, h, base, e.tolerance);
        measured[`seed ${seed}: held-out perplexity`] = base;
        measured[`seed ${seed}: rank (weight SVD)`] = svdRank.rank;
        measured[`seed ${seed}: rank (activation-aware)`] = awareRank.rank;
        worstAware = Math.min(worstAware, 1 - awareRank.rank / h);
        measured[`seed ${seed}: rank reduction weight SVD`] = 1 - svdRank.rank / h;
      } finally {
        net.dispose();
      }
    }
    measured['activation-aware rank reduction, worst seed'] = worstAware;
    return { measured, seeds: e.seeds };
  },
});
