/**
 * PELA (S04: Guo et al., "PELA: Learning Parameter-Efficient Models with Low-Rank Approximation"): turn a
 * trained network into a low-rank one by (1) initializing each compressed layer W (m×n) from its SVD at
 * a parameter ratio ρ, r = ⌊ρ·mn/(m + n)⌋, W ≈ A·B with A = U_r·S_r^{1/2}, B = S_r^{1/2}·V_rᵀ, then
 * (2) a short intermediate training of A and B only on L = L_task + λ_fd·Σ_l ‖h_l − h_l^{orig}‖²/N: the
 * task loss on the original's labels and feature distillation, which pulls the low-rank model's hidden
 * features to the original's. The weight-perturbation regularizer λ_wp·R_wp, the paper's third
 * ingredient, is not implemented (its exact form could not be confirmed).
 */
import { hostTensor, ops, type Backend, type DType } from '@lowrank/core';
import { hostSvd } from '@lowrank/linalg';
import { Adam, layerOffsets, type Mlp } from '@lowrank/mlp';

/** The rank keeping a share ρ of an m×n layer's parameters: ⌊ρ·mn/(m + n)⌋ (at least 1). */
export function pelaRank(m: number, n: number, ratio: number): number {
  return Math.max(1, Math.floor((ratio * m * n) / (m + n)));
}

/** Factors of the low-rank layers, host: for each compressed layer l, A (w_l×r) and B (r×w_{l+1}). */
export interface LowRankLayers {
  readonly layers: readonly number[];
  readonly ranks: readonly number[];
  readonly a: Float64Array[];
  readonly b: Float64Array[];
}

/** SVD initialization: A = U_r·S_r^{1/2}, B = S_r^{1/2}·V_rᵀ for each listed layer of θ. */
export async function pelaInit(be: Backend, dtype: DType, theta: Float64Array, widths: readonly number[], layers: readonly number[], ratio: number): Promise<LowRankLayers> {
  const ranks: number[] = [], a: Float64Array[] = [], b: Float64Array[] = [];
  for (const l of layers) {
    const [m, n] = [widths[l], widths[l + 1]], off = layerOffsets(widths)[l], r = pelaRank(m, n, ratio);
    const w = await be.upload(hostTensor(dtype, [m, n], theta.subarray(off, off + m * n)));
    const f = await hostSvd(be, w);
    be.dispose(w);
    const k = f.s.length;
    a.push(Float64Array.from({ length: m * r }, (_, e) => f.u[Math.floor(e / r) * k + (e % r)] * Math.sqrt(f.s[e % r])));
    b.push(Float64Array.from({ length: r * n }, (_, e) => Math.sqrt(f.s[Math.floor(e / n)]) * f.v[(e % n) * k + Math.floor(e / n)]));
    ranks.push(r);
  }
  return { layers, ranks, a, b };
}

/** θ with each compressed layer's W replaced by A·B (on the backend); the rest (biases, other layers) from `theta`. */
export async function lowRankParameters(be: Backend, dtype: DType, theta: Float64Array, widths: readonly number[], f: LowRankLayers): Promise<Float64Array> {
  const out = Float64Array.from(theta), offsets = layerOffsets(widths);
  for (let i = 0; i < f.layers.length; i++) {
    const l = f.layers[i], [m, n, r] = [widths[l], widths[l + 1], f.ranks[i]];
    const release = be.track();
    try {
      const w = await ops.gemm(be, await be.upload(hostTensor(dtype, [m, r], f.a[i])), await be.upload(hostTensor(dtype, [r, n], f.b[i])));
      out.set((await be.download(w)).data, offsets[l]);
    } finally {
      release();
    }
  }
  return out;
}

/**
 * Distillation of the low-rank factors: `steps` Adam steps on minibatches (`batch` yields the student
 * batch, the original's labels and its hidden features on it), ∂A = ∂W·Bᵀ and ∂B = Aᵀ·∂W from the
 * network's gradient ∂W of L_task + featureWeight·(feature matching). Updates the factors in place;
 * returns the last loss.
 */
export async function featureDistill(be: Backend, dtype: DType, student: Mlp, theta: Float64Array, f: LowRankLayers, steps: number, lr: number, featureWeight: number,
  batch: (step: number) => Promise<{ x: Float64Array; labels: Int32Array; features: Float64Array[] }>): Promise<number> {
  const widths = student.widths, offsets = layerOffsets(widths);
  const flat = () => Float64Array.from(f.a.flatMap((a, i) => [...a, ...f.b[i]]));
  const params = flat(), adam = new Adam(params.length, lr);
  let loss = NaN;
  for (let s = 0; s < steps; s++) {
    const { x, labels, features } = await batch(s);
    await student.setBatch(x, labels);
    await student.setParameters(await lowRankParameters(be, dtype, theta, widths, f));
    // L = L_task + λ_fd·Σ_l ‖h_l − h_l^orig‖²/N: the task loss on the original's labels of the batch.
    const task = await student.gradient();
    const g = await student.featureMatchGradient(features);
    for (let i = 0; i < g.grad.length; i++) g.grad[i] = task.grad[i] + featureWeight * g.grad[i];
    loss = task.loss + featureWeight * g.loss;
    const grad = new Float64Array(params.length);
    let at = 0;
    for (let i = 0; i < f.layers.length; i++) {
      const l = f.layers[i], [m, n, r] = [widths[l], widths[l + 1], f.ranks[i]];
      const release = be.track();
      try {
        const dW = await be.upload(hostTensor(dtype, [m, n], g.grad.subarray(offsets[l], offsets[l] + m * n)));
        const a = await be.upload(hostTensor(dtype, [m, r], f.a[i])), b = await be.upload(hostTensor(dtype, [r, n], f.b[i]));
        grad.set((await be.download(await ops.gemm(be, dW, b, { transB: true }))).data, at);
        grad.set((await be.download(await ops.gemm(be, a, dW, { transA: true }))).data, at + m * r);
      } finally {
        release();
      }
      at += m * r + r * n;
    }
    adam.step(params, grad);
    at = 0;
    for (let i = 0; i < f.layers.length; i++) {
      f.a[i].set(params.subarray(at, at + f.a[i].length));
      at += f.a[i].length;
      f.b[i].set(params.subarray(at, at + f.b[i].length));
      at += f.b[i].length;
    }
  }
  return loss;
}
