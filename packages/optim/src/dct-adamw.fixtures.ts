/**
 * What S05's claim and tests share: the regression task (a teacher network the students do not
 * contain) and one training run of the student under full Adam, GaLore (SVD projector) or DCT-AdamW.
 */
import { fillRandom, type Backend, type DType } from '@lowrank/core';
import { matmul } from '@lowrank/linalg';
import { Adam, initialParameters, layerOffsets, Mlp } from '@lowrank/mlp';
import { LowRankAdam, type MatrixPart, type Projector } from './dct-adamw.ts';

export const METHODS = ['Adam', 'GaLore', 'DCT-AdamW'] as const;
export type Method = (typeof METHODS)[number];

export const PROJECTOR: Record<Exclude<Method, 'Adam'>, Projector> = { GaLore: 'svd', 'DCT-AdamW': 'dct' };

export interface RegressionData {
  x: Float64Array;
  y: Float64Array;
  samples: number;
  inputs: number;
}

/**
 * x ~ N(0, I) (samples × inputs); y = a tanh teacher (inputs → hidden → 1, LeCun-normal weights, its
 * own seed stream) normalized to unit variance: a target from outside the students' rank-r classes.
 */
export function regressionData(inputs: number, hidden: number, samples: number, seed: number): RegressionData {
  const x = Float64Array.from(fillRandom({ seed, stream: 300 }, 'normal', 'f64', samples * inputs));
  const w1 = fillRandom({ seed, stream: 301 }, 'normal', 'f64', inputs * hidden).map((v) => v / Math.sqrt(inputs));
  const w2 = fillRandom({ seed, stream: 302 }, 'normal', 'f64', hidden).map((v) => v / Math.sqrt(hidden));
  const h = matmul(x, samples, inputs, w1, inputs, hidden).map(Math.tanh);
  const raw = matmul(h, samples, hidden, w2, hidden, 1);
  const mean = raw.reduce((s, v) => s + v, 0) / samples;
  const std = Math.sqrt(raw.reduce((s, v) => s + (v - mean) ** 2, 0) / samples);
  return { x, y: raw.map((v) => (v - mean) / std), samples, inputs };
}

/** The weight matrices of an MLP's flat θ (mlp.ts layout), the parts a low-rank optimizer projects. */
export function matrixParts(widths: readonly number[]): MatrixPart[] {
  return layerOffsets(widths).map((offset, l) => ({ offset, rows: widths[l], cols: widths[l + 1] }));
}

export interface TrainingOptions {
  method: Method;
  steps: number;
  batch: number;
  lr: number;
  rank: number;
  period: number;
  seed: number;
  /** Called with each step's minibatch gradient (flat θ layout), before the update. */
  probe?: (step: number, grad: Float64Array) => Promise<void>;
}

export interface TrainingRun {
  /** Mean squared error on the whole training set after each of `evalEvery` steps, and at the end. */
  losses: number[];
  final: number;
  initial: number;
  stateBytes: number;
}

/** Trains the student `widths` from LeCun-normal θ on minibatches drawn with replacement (seeded). */
export async function trainRegression(
  be: Backend,
  dtype: DType,
  widths: readonly number[],
  data: RegressionData,
  o: TrainingOptions,
): Promise<TrainingRun> {
  const theta = initialParameters(widths, o.seed);
  const full = await Mlp.create(be, dtype, widths, data.x, data.y, { head: 'mse' });
  const pick = fillRandom({ seed: o.seed, stream: 310 }, 'uniform', 'f64', o.steps * o.batch);
  const batchOf = (step: number) => {
    const x = new Float64Array(o.batch * data.inputs),
      y = new Float64Array(o.batch);
    for (let i = 0; i < o.batch; i++) {
      const s = Math.floor(pick[step * o.batch + i] * data.samples);
      x.set(data.x.subarray(s * data.inputs, (s + 1) * data.inputs), i * data.inputs);
      y[i] = data.y[s];
    }
    return { x, y };
  };
  const first = batchOf(0);
  const net = await Mlp.create(be, dtype, widths, first.x, first.y, { head: 'mse' });
  const adam = new Adam(theta.length, o.lr);
  const lowRank =
    o.method === 'Adam'
      ? null
      : new LowRankAdam(be, dtype, matrixParts(widths), theta.length, {
          rank: o.rank,
          projector: PROJECTOR[o.method],
          period: o.period,
          lr: o.lr,
        });
  const trainingLoss = async () => {
    await full.setParameters(theta);
    return full.loss();
  };
  try {
    const initial = await trainingLoss();
    const losses: number[] = [];
    const every = Math.max(1, Math.floor(o.steps / 10));
    for (let step = 0; step < o.steps; step++) {
      const b = batchOf(step);
      await net.setBatch(b.x, b.y);
      await net.setParameters(theta);
      const { grad } = await net.gradient();
      await o.probe?.(step, grad);
      if (lowRank === null) adam.step(theta, grad);
      else await lowRank.step(theta, grad);
      if ((step + 1) % every === 0) losses.push(await trainingLoss());
    }
    const final = await trainingLoss();
    const plainBytes = 2 * theta.length * (dtype === 'f64' ? 8 : 4);
    return { losses, final, initial, stateBytes: lowRank?.stateBytes() ?? plainBytes };
  } finally {
    lowRank?.dispose();
    net.dispose();
    full.dispose();
  }
}
