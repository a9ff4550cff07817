/** What the adapter claims share: relative distances on the device, random low-rank targets, and a learning-rate grid search. */
import { fillRandom, ops, type Backend, type DeviceTensor } from '@lowrank/core';
import { frobenius, matmul } from '@lowrank/linalg';
import { fineTune, type Adapter } from './adapter.ts';
import type { RegressionTask } from './task.ts';

/** ‖X − Y‖_F / ‖Y‖_F on the device. */
export async function relativeDistance(be: Backend, x: DeviceTensor, y: DeviceTensor): Promise<number> {
  const d = await ops.binary(be, 'sub', x, y);
  const v = (await ops.nrm2(be, d)) / (await ops.nrm2(be, y));
  be.dispose(d);
  return v;
}

/**
 * The final loss of `make()`'s adapter fine-tuned with the best learning rate of `grid` (each rate on a
 * fresh adapter), and that rate: every method gets its own best step size, as the papers tune theirs.
 */
export async function bestFineTune(
  be: Backend,
  make: () => Promise<Adapter>,
  task: RegressionTask,
  steps: number,
  grid: readonly number[],
): Promise<{ final: number; lr: number }> {
  let best = { final: Infinity, lr: NaN };
  for (const lr of grid) {
    const adapter = await make();
    const { final } = await fineTune(be, adapter, task, steps, lr);
    adapter.dispose();
    if (final < best.final || Number.isNaN(best.lr)) best = { final, lr };
  }
  return best;
}

/**
 * `bestFineTune` that remembers each key's chosen rate: the grid runs on the first call per key (the
 * first seed), later calls reuse that rate (the grid multiplies the cost by its length).
 */
export function tunedFineTune(): (
  key: string,
  be: Backend,
  make: () => Promise<Adapter>,
  task: RegressionTask,
  steps: number,
  grid: readonly number[],
) => Promise<{ final: number; lr: number }> {
  const chosen = new Map<string, number[]>();
  return async (key, be, make, task, steps, grid) => {
    const r = await bestFineTune(be, make, task, steps, chosen.get(key) ?? grid);
    chosen.set(key, [r.lr]);
    return r;
  };
}

/**
 * A fine-tuning update drawn from neither adapter's class: full-weight gradient descent from W₀ toward
 * a shifted teacher W₀ + S (S Gaussian, full rank) on inputs of covariance Σ = P·diag(λ)·Pᵀ, stopped
 * after `steps` steps of size 1/λ_max:  ΔW* = S·P·diag(1 − (1 − λ_i/λ_max)^steps)·Pᵀ, scaled to
 * ‖ΔW*‖_F = norm. The data shape the update's row space, as they shape real fine-tuning updates; S
 * keeps its column space generic. basis: P (in×in, orthonormal columns, host, row-major).
 */
export function fineTuningUpdate(
  outputs: number,
  inputs: number,
  basis: ArrayLike<number>,
  lambda: readonly number[],
  steps: number,
  norm: number,
  seed: number,
): Float64Array {
  const s = fillRandom({ seed, stream: 150 }, 'normal', 'f64', outputs * inputs);
  const top = Math.max(...lambda);
  const filter = lambda.map((l) => 1 - (1 - l / top) ** steps);
  const sp = matmul(s, outputs, inputs, basis, inputs, inputs);
  for (let i = 0; i < outputs; i++) for (let j = 0; j < inputs; j++) sp[i * inputs + j] *= filter[j];
  const delta = matmul(sp, outputs, inputs, basis, inputs, inputs, false, true);
  const scale = norm / frobenius(delta);
  return delta.map((v) => v * scale);
}

/** P_a ⊗ P_b (host, row-major): the eigenbasis of Σ_a ⊗ Σ_b, for inputs indexed (i_a, i_b) → i_a·n_b + i_b. */
export function kronecker(a: ArrayLike<number>, na: number, b: ArrayLike<number>, nb: number): Float64Array {
  const n = na * nb,
    k = new Float64Array(n * n);
  for (let i = 0; i < na; i++)
    for (let j = 0; j < na; j++)
      for (let p = 0; p < nb; p++)
        for (let q = 0; q < nb; q++) k[(i * nb + p) * n + j * nb + q] = a[i * na + j] * b[p * nb + q];
  return k;
}
