/**
 * What S26's claim and tests share: the from-scratch student task (catalogue S26: a full-rank tanh
 * teacher whose hidden weights have singular values ∝ i^{−1/2}) and one training run of the student
 * with its hidden layers trained fully (Adam), as LoRA, as ReLoRA or by SST; the output layer and the
 * biases always by plain Adam.
 */
import { fillRandom, type Backend, type DType } from '@lowrank/core';
import { matmul, matrixWithSpectrum } from '@lowrank/linalg';
import { Adam, initialParameters, layerOffsets, Mlp } from '@lowrank/mlp';
import { LoraMatrix, SpectralMatrix, type FactoredMatrix } from './sst.ts';

export const SST_METHODS = ['Adam', 'LoRA', 'ReLoRA', 'SST'] as const;
export type SstMethod = (typeof SST_METHODS)[number];

export interface TeacherData {
  x: Float64Array;
  y: Float64Array;
  samples: number;
  widths: readonly number[];
}

/**
 * x ~ N(0, I); y = the teacher network of `widths` (tanh hidden layers): hidden weights U·diag(σ)·Vᵀ,
 * σ_i ∝ i^{−1/2} scaled to LeCun's ‖W‖²_F = fan-out, random U, V (drawn on the backend in the run's
 * dtype); the output layer LeCun-normal; the outputs normalized to unit variance over the sample.
 */
export async function teacherData(
  be: Backend,
  dtype: DType,
  widths: readonly number[],
  samples: number,
  seed: number,
): Promise<TeacherData> {
  const x = Float64Array.from(fillRandom({ seed, stream: 400 }, 'normal', 'f64', samples * widths[0]));
  let h: Float64Array = x;
  for (let l = 0; l + 1 < widths.length; l++) {
    const [fanIn, fanOut] = [widths[l], widths[l + 1]];
    let w: Float64Array;
    if (l + 2 < widths.length) {
      const k = Math.min(fanIn, fanOut);
      const raw = Array.from({ length: k }, (_, i) => 1 / Math.sqrt(i + 1));
      const c = Math.sqrt(fanOut / raw.reduce((s, v) => s + v * v, 0));
      const sigma = raw.map((v) => c * v);
      const t = await matrixWithSpectrum(be, dtype, fanIn, fanOut, sigma, seed * 16 + l + 1);
      w = Float64Array.from((await be.download(t)).data);
      be.dispose(t);
    } else {
      w = Float64Array.from(
        fillRandom({ seed, stream: 410 + l }, 'normal', 'f64', fanIn * fanOut),
        (v) => v / Math.sqrt(fanIn),
      );
    }
    h = matmul(h, samples, fanIn, w, fanIn, fanOut);
    if (l + 2 < widths.length) h = h.map(Math.tanh);
  }
  const out = widths[widths.length - 1];
  const mean = h.reduce((s, v) => s + v, 0) / h.length;
  const std = Math.sqrt(h.reduce((s, v) => s + (v - mean) ** 2, 0) / h.length);
  return { x, y: h.map((v) => (v - mean) / std), samples, widths: [...widths.slice(0, -1), out] };
}

export interface SstTrainingOptions {
  method: SstMethod;
  steps: number;
  batch: number;
  lr: number;
  rank: number;
  /** SST's round length (steps). */
  round: number;
  /** ReLoRA's merge period (steps). */
  mergeEvery: number;
  seed: number;
}

export interface SstRun {
  final: number;
  initial: number;
  /** Trainable values per step in the hidden layers (all of them for Adam). */
  trainable: number;
  /** SST: max |UᵀU − I|, |VᵀV − I| over every re-SVD (0 for the other methods). */
  orthonormality: number;
}

/** Trains the student (same widths as the teacher) from LeCun-normal θ on minibatches with replacement. */
export async function trainFactored(
  be: Backend,
  dtype: DType,
  data: TeacherData,
  o: SstTrainingOptions,
): Promise<SstRun> {
  const { widths } = data;
  const theta = initialParameters(widths, o.seed);
  const offsets = layerOffsets(widths);
  const hidden = widths.slice(0, -2).map((_, l) => ({ offset: offsets[l], rows: widths[l], cols: widths[l + 1] }));
  const factored: FactoredMatrix[] = [];
  for (const p of o.method === 'Adam' ? [] : hidden) {
    const w0 = theta.slice(p.offset, p.offset + p.rows * p.cols);
    factored.push(
      o.method === 'SST'
        ? await SpectralMatrix.create(be, dtype, w0, p.rows, p.cols, {
            rank: o.rank,
            round: o.round,
            lr: o.lr,
            seed: o.seed,
          })
        : new LoraMatrix(be, dtype, w0, p.rows, p.cols, {
            rank: o.rank,
            lr: o.lr,
            seed: o.seed,
            mergeEvery: o.method === 'ReLoRA' ? o.mergeEvery : Infinity,
          }),
    );
  }
  // Plain Adam on everything the factors do not own.
  const owned = new Uint8Array(theta.length);
  if (o.method !== 'Adam') for (const p of hidden) owned.fill(1, p.offset, p.offset + p.rows * p.cols);
  const plain = Array.from(owned.keys()).filter((i) => owned[i] === 0);
  const adam = new Adam(plain.length, o.lr);
  const plainTheta = Float64Array.from(plain, (i) => theta[i]);
  const out = widths[widths.length - 1];
  const full = await Mlp.create(be, dtype, widths, data.x, data.y, { head: 'mse' });
  const pick = fillRandom({ seed: o.seed, stream: 420 }, 'uniform', 'f64', o.steps * o.batch);
  const batchOf = (step: number) => {
    const x = new Float64Array(o.batch * widths[0]),
      y = new Float64Array(o.batch * out);
    for (let i = 0; i < o.batch; i++) {
      const s = Math.floor(pick[step * o.batch + i] * data.samples);
      x.set(data.x.subarray(s * widths[0], (s + 1) * widths[0]), i * widths[0]);
      y.set(data.y.subarray(s * out, (s + 1) * out), i * out);
    }
    return { x, y };
  };
  const first = batchOf(0);
  const net = await Mlp.create(be, dtype, widths, first.x, first.y, { head: 'mse' });
  const assemble = async () => {
    for (let f = 0; f < factored.length; f++) theta.set(await factored[f].weight(), hidden[f].offset);
    plain.forEach((i, j) => (theta[i] = plainTheta[j]));
  };
  const loss = async () => {
    await assemble();
    await full.setParameters(theta);
    return full.loss();
  };
  try {
    const initial = await loss();
    for (let t = 0; t < o.steps; t++) {
      const b = batchOf(t);
      await net.setBatch(b.x, b.y);
      await assemble();
      await net.setParameters(theta);
      const { grad } = await net.gradient();
      for (let f = 0; f < factored.length; f++) {
        const p = hidden[f];
        await factored[f].step(grad.slice(p.offset, p.offset + p.rows * p.cols), t);
      }
      adam.step(
        plainTheta,
        Float64Array.from(plain, (i) => grad[i]),
      );
    }
    const final = await loss();
    const trainable =
      o.method === 'Adam'
        ? hidden.reduce((s, p) => s + p.rows * p.cols, 0)
        : factored.reduce((s, f) => s + f.trainable, 0);
    const orthonormality = Math.max(
      0,
      ...factored.flatMap((f) => (f instanceof SpectralMatrix ? f.orthonormality : [])),
    );
    return { final, initial, trainable, orthonormality };
  } finally {
    net.dispose();
    full.dispose();
  }
}
