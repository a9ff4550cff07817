/**
 * Minibatch training of an adapter layer (LoRA, ALLoRA, DoRA) on a regression sample, by SGD or Adam:
 * the loss (1/2b)·‖y − t‖² on each batch of b rows, ∂y = (y − t)/b, the layer's own backward pass for
 * its trainable tensors, the optimizer on host copies of them (the parameters are small: r·(in + out)
 * and m), which are uploaded back before the next step. The batches cycle through a seeded
 * permutation of the sample. What the claim compares is the trained layer's effective weight.
 */
import { fillRandom, hostTensor, ops, type Backend, type DeviceTensor, type DType } from '@lowrank/core';
import { Adam } from '@lowrank/mlp';

/** A layer in training: its trainable tensors by name, a step forward and back, its effective weight. */
export interface TrainableLayer {
  params(): Record<string, DeviceTensor>;
  setParams(p: Record<string, DeviceTensor>): void;
  /** y and what backward needs; `step` selects LoRA's dropout mask. */
  forward(x: DeviceTensor, step: number): Promise<{ y: DeviceTensor; cache: unknown }>;
  /** ∂L/∂(each trainable tensor), keyed as `params()`. */
  gradients(cache: unknown, dy: DeviceTensor): Promise<Record<string, DeviceTensor>>;
  weight(): Promise<DeviceTensor>;
}

export interface TrainingSample {
  /** n×in inputs and n×out targets, host, row-major. */
  readonly x: Float64Array;
  readonly y: Float64Array;
  readonly n: number;
  readonly inputs: number;
  readonly outputs: number;
}

export interface TrainingOptions {
  readonly steps: number;
  readonly batch: number;
  readonly lr: number;
  /** 'sgd': θ ← θ − lr·g; 'adam': Adam (β = 0.9, 0.999; no weight decay, so AdamW's decoupled decay is 0). */
  readonly optimizer: 'sgd' | 'adam';
  readonly seed: number;
}

/** Trains `layer` in place; its parameters after the last step are the layer's. */
export async function trainLayer(
  be: Backend,
  dtype: DType,
  layer: TrainableLayer,
  sample: TrainingSample,
  o: TrainingOptions,
): Promise<void> {
  const initial = layer.params();
  const names = Object.keys(initial);
  const host = await Promise.all(names.map(async (k) => Float64Array.from((await be.download(initial[k])).data)));
  const adam =
    o.optimizer === 'adam'
      ? new Adam(
          host.reduce((s, h) => s + h.length, 0),
          o.lr,
        )
      : null;
  const order = permutation(sample.n, o.seed);
  for (let t = 0; t < o.steps; t++) {
    const release = be.track();
    try {
      const rows = Array.from({ length: o.batch }, (_, i) => order[(t * o.batch + i) % sample.n]);
      const x = await be.upload(hostTensor(dtype, [o.batch, sample.inputs], gather(sample.x, rows, sample.inputs)));
      const target = await be.upload(
        hostTensor(dtype, [o.batch, sample.outputs], gather(sample.y, rows, sample.outputs)),
      );
      const { y, cache } = await layer.forward(x, t);
      const dy = await ops.binary(be, 'sub', y, target);
      await ops.scal(be, 1 / o.batch, dy);
      const g = await layer.gradients(cache, dy);
      const grads = await Promise.all(names.map(async (k) => (await be.download(g[k])).data));
      if (adam !== null) adam.stepParts(host, grads);
      else host.forEach((h, i) => h.forEach((v, j) => (h[j] = v - o.lr * grads[i][j])));
    } finally {
      release();
    }
    const old = layer.params();
    const next: Record<string, DeviceTensor> = {};
    for (const [i, k] of names.entries()) next[k] = await be.upload(hostTensor(dtype, old[k].shape, host[i]));
    layer.setParams(next);
    for (const k of names) be.dispose(old[k]);
  }
}

/** A seeded permutation of 0…n−1 (Fisher–Yates on the shared PRNG's uniforms). */
function permutation(n: number, seed: number): number[] {
  const u = fillRandom({ seed, stream: 160 }, 'uniform', 'f64', n);
  const p = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.min(i, Math.floor(u[i] * (i + 1)));
    [p[i], p[j]] = [p[j], p[i]];
  }
  return p;
}

/** The rows `rows` of a row-major matrix of `cols` columns. */
function gather(m: Float64Array, rows: readonly number[], cols: number): Float64Array {
  const out = new Float64Array(rows.length * cols);
  rows.forEach((r, i) => out.set(m.subarray(r * cols, (r + 1) * cols), i * cols));
  return out;
}
