import {
  defineClaim,
  perSeed,
  seedAxis,
  fillRandom,
  hostTensor,
  fastestInterleaved,
  msPerCall,
  ops,
  prose,
  type Backend,
  type DType,
} from '@lowrank/core';
import { Adam, gatherBatch, initialParameters, layerOffsets, Mlp } from '@lowrank/mlp';
import { activationAwareProjection, rankSweep } from './lord.ts';
import { truncateLayer } from './trp.ts';

/**
 * Text from a sparse order-2 Markov chain over `vocab` tokens: each context (previous two tokens) has
 * `branching` possible next tokens with random weights. Returns the samples as (context one-hots,
 * next token): inputs 2·vocab wide.
 */
export function markovText(
  vocab: number,
  length: number,
  branching: number,
  seed: number,
  stream: number,
): { x: Float64Array; labels: Int32Array } {
  const contexts = vocab * vocab;
  const next = fillRandom({ seed, stream: 210 }, 'uniform', 'f64', contexts * branching),
    weights = fillRandom({ seed, stream: 211 }, 'uniform', 'f64', contexts * branching);
  const walk = fillRandom({ seed, stream }, 'uniform', 'f64', length);
  const tokens = [0, 1];
  for (let t = 2; t < length + 2; t++) {
    const c = tokens[t - 2] * vocab + tokens[t - 1];
    let total = 0;
    for (let b = 0; b < branching; b++) total += weights[c * branching + b];
    let u = walk[t - 2] * total,
      b = 0;
    while (b < branching - 1 && u > weights[c * branching + b]) u -= weights[c * branching + b++];
    tokens.push(Math.floor(next[c * branching + b] * vocab));
  }
  const x = new Float64Array(length * 2 * vocab),
    labels = new Int32Array(length);
  for (let t = 0; t < length; t++) {
    x[t * 2 * vocab + tokens[t]] = 1;
    x[t * 2 * vocab + vocab + tokens[t + 1]] = 1;
    labels[t] = tokens[t + 2];
  }
  return { x, labels };
}

/** Adam on minibatches of `batch` consecutive-in-a-shuffled-order samples. */
async function trainLm(
  be: Backend,
  dtype: DType,
  widths: number[],
  data: { x: Float64Array; labels: Int32Array },
  steps: number,
  batch: number,
  lr: number,
  seed: number,
): Promise<Float64Array> {
  const d = widths[0],
    n = data.labels.length,
    theta = initialParameters(widths, seed),
    adam = new Adam(theta.length, lr);
  const order = fillRandom({ seed, stream: 212 }, 'uniform', 'f64', steps * batch);
  const pick = (s: number) =>
    gatherBatch(
      data,
      d,
      Array.from({ length: batch }, (_, i) => Math.floor(order[s * batch + i] * n)),
    );
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

/**
 * Dense x·W against factorized (x·B)·A for an h×h layer at rank r on a batch of tokens: the ratio of
 * their times on the backend (> 1: factorized faster). Rounds alternate the two forms; each keeps its
 * fastest synced batch (repeated until ≥ 20 ms).
 */
export async function factorizedSpeedup(
  be: Backend,
  dtype: DType,
  h: number,
  r: number,
  batch: number,
  rounds: number,
): Promise<number> {
  const release = be.track();
  try {
    const up = async (rows: number, cols: number, stream: number) =>
      be.upload(hostTensor(dtype, [rows, cols], fillRandom({ seed: 0, stream }, 'normal', 'f64', rows * cols)));
    const [x, w, b, a] = [await up(batch, h, 220), await up(h, h, 221), await up(h, r, 222), await up(r, h, 223)];
    const y = be.zeros(dtype, [batch, h]),
      mid = be.zeros(dtype, [batch, r]);
    const forms = [
      async () => {
        await ops.gemm(be, x, w, { c: y });
      },
      async () => {
        await ops.gemm(be, await ops.gemm(be, x, b, { c: mid }), a, { c: y });
      },
    ];
    const [dense, factorized] = await fastestInterleaved(
      forms.map((run) => () => msPerCall(be, run, 20)),
      rounds,
    );
    return dense / factorized;
  } finally {
    release();
  }
}

/** S18: one-shot low-rank decomposition with a per-layer rank sweep; activation-aware reduces rank more at ≤ 1% perplexity loss. */
export const lordClaim = defineClaim({
  id: 'compress/lord/rank-reduction',
  paper: 'S18',
  family: 'compress',
  title: prose`
      LoRD: one-shot low-rank decomposition of an MLP language model, ranks reduced by ≥ 20% at < 1% perplexity
      increase
    `,
  statement: prose`
    Low-rank decomposition reduces the ranks of the linear layers "by up to 39.58% with less than 1% increase in perplexity",
    compressing StarCoder 16B to 13.2B with no drop in HumanEval and up to 22.35% inference speed-up (abstract).
  `,
  paperNumbers: [
    { quantity: 'rank reduction at < 1% perplexity increase', value: 'up to 39.58% (code LLMs)' },
    { quantity: 'inference speed-up', value: 'up to 22.35%' },
    {
      quantity: 'pass rule (plan)',
      value: prose`
          the rank reduction achievable at ≤ 1% perplexity increase is ≥ 20% for the activation-aware decomposition
          (weight-only SVD reported beside it); factorized matvec faster below half the break-even rank (benchmark
          compress/factorized-layer)
        `,
    },
  ],
  primitives: ['gemm', 'unary', 'binary', 'reduce', 'svd', 'syev'],
  dtypes: ['f64', 'f32'],
  experiment: {
    // calibration: the tokens whose layer inputs weight the decomposition, drawn apart from the held-out tokens it is judged on.
    full: {
      vocab: 32,
      branching: 4,
      hidden: 256,
      train: 20000,
      calibration: 2000,
      heldOut: 5000,
      steps: 1000,
      batch: 128,
      lr: 1e-2,
      tolerance: 0.01,
      timingRounds: 5,
      seeds: [0, 1, 2],
    },
    standard: {
      vocab: 32,
      branching: 4,
      hidden: 256,
      train: 20000,
      calibration: 2000,
      heldOut: 5000,
      steps: 1000,
      batch: 128,
      lr: 1e-2,
      tolerance: 0.01,
      timingRounds: 3,
      seeds: [0],
    },
    reduced: {
      vocab: 16,
      branching: 3,
      hidden: 64,
      train: 4000,
      calibration: 1000,
      heldOut: 4000,
      steps: 400,
      batch: 64,
      lr: 1e-2,
      tolerance: 0.01,
      timingRounds: 1,
      seeds: [0],
    },
  },
  predicates: [
    {
      name: 'activation-aware decomposition reduces rank by ≥ 20%',
      kind: 'empirical',
      rule: prose`
        the smallest rank of the hidden×hidden layer keeping held-out perplexity within 1% is ≤ 80% of full, every
        seed
      `,
      holds: (m) => m['activation-aware rank reduction, worst seed'] >= 0.2,
    },
    {
      name: 'the factorized layer is faster at that rank',
      kind: 'empirical',
      rule: prose`
        on the backend, dense x·W takes longer than (x·B)·A at the largest activation-aware rank over seeds (batch of
        128 tokens)
      `,
      holds: (m) => m['wall-clock speed-up of the factorized layer at the chosen rank'] > 1,
    },
  ],
  bands: {
    'activation-aware rank reduction, worst seed': [0.55, 0.624],
    'wall-clock speed-up of the factorized layer at the chosen rank': 'timed',
  },
  calibration: prose`
    Deviations from the plan: vocabulary 32 instead of 64 (with 20k training tokens each of the 64² contexts would be
    seen about 5 times and the teacher stays near perplexity 50; at 32, 20 times, perplexity 9.5–10.4) and 5000 held-out tokens
    instead of 20000 (time budget). The activation statistics come from 2000 calibration tokens drawn apart from the held-out
    tokens that judge perplexity (earlier both were the held-out set). The weight-only SVD is reported beside.
  `,
  plot(m, e) {
    const rank = (how: string) => perSeed(m, e.seeds, (s) => `seed ${s}: rank (${how})`);
    return {
      title: 'Smallest rank keeping held-out perplexity within 1%, per seed',
      x: seedAxis(e.seeds),
      y: { name: `rank (of ${e.hidden})` },
      series: [
        { name: 'weight SVD', style: 'points', points: rank('weight SVD') },
        { name: 'activation-aware (LoRD)', style: 'points', points: rank('activation-aware') },
      ],
      marks: [{ axis: 'y', at: 0.8 * e.hidden, label: '20% rank reduction' }],
    };
  },
  async run(be, dtype, e, ctx) {
    const measured: Record<string, number> = {};
    const widths = [2 * e.vocab, e.hidden, e.hidden, e.vocab],
      layer = 1,
      h = e.hidden;
    let worstAware = 1,
      largestRank = 0;
    for (const seed of e.seeds) {
      await ctx.step(`seed ${seed}`);
      const theta = await trainLm(
        be,
        dtype,
        widths,
        markovText(e.vocab, e.train, e.branching, seed, 213),
        e.steps,
        e.batch,
        e.lr,
        seed,
      );
      const held = markovText(e.vocab, e.heldOut, e.branching, seed, 214);
      const net = await Mlp.create(be, dtype, widths, held.x, held.labels);
      try {
        const perplexity = async (t: Float64Array) => {
          await net.setParameters(t);
          return Math.exp(await net.loss());
        };
        const base = await perplexity(theta);
        // The layer's inputs on calibration tokens (its own draw, stream 215), not on the held-out tokens that judge it.
        const calibrationText = markovText(e.vocab, e.calibration, e.branching, seed, 215);
        const calibrationNet = await Mlp.create(be, dtype, widths, calibrationText.x, calibrationText.labels);
        await calibrationNet.setParameters(theta);
        const calibration = await calibrationNet.layerInput(layer);
        calibrationNet.dispose();
        const off = layerOffsets(widths)[layer];
        const weight = theta.slice(off, off + h * h);
        const svdRank = await rankSweep(
          async (r) => {
            const t = Float64Array.from(theta);
            await truncateLayer(be, dtype, t, widths, layer, { rank: r });
            return perplexity(t);
          },
          h,
          base,
          e.tolerance,
        );
        const awareRank = await rankSweep(
          async (r) => {
            const t = Float64Array.from(theta);
            t.set(await activationAwareProjection(be, dtype, weight, h, h, calibration, r), off);
            return perplexity(t);
          },
          h,
          base,
          e.tolerance,
        );
        measured[`seed ${seed}: held-out perplexity`] = base;
        measured[`seed ${seed}: rank (weight SVD)`] = svdRank.rank;
        measured[`seed ${seed}: rank (activation-aware)`] = awareRank.rank;
        worstAware = Math.min(worstAware, 1 - awareRank.rank / h);
        largestRank = Math.max(largestRank, awareRank.rank);
        measured[`seed ${seed}: rank reduction weight SVD`] = 1 - svdRank.rank / h;
      } finally {
        net.dispose();
      }
    }
    measured['activation-aware rank reduction, worst seed'] = worstAware;
    await ctx.step('timing the factorized layer');
    measured['wall-clock speed-up of the factorized layer at the chosen rank'] = await factorizedSpeedup(
      be,
      dtype,
      h,
      largestRank,
      128,
      e.timingRounds,
    );
    return { measured, seeds: e.seeds };
  },
});
