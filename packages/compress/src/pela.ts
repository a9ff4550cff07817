/**
 * PELA (S04: Guo et al., "PELA: Learning Parameter-Efficient Models with Low-Rank Approximation"): turn a
 * trained network into a low-rank one by (1) initializing each compressed layer W (m×n) from its SVD at
 * a parameter ratio ρ, r = ⌊ρ·mn/(m + n)⌋, W ≈ A·B with A = U_r·S_r^{1/2}, B = S_r^{1/2}·V_rᵀ, then
 * (2) a short intermediate training of A and B only on L = L_task + λ_fd·Σ_l ‖h_l − h_l^{orig}‖²/N: the
 * task loss on the original's labels and feature distillation, which pulls the low-rank model's hidden
 * features to the original's, and optionally λ_wp·R_wp, the weight-perturbation regularizer in the
 * official code (guoyang9/PELA, `inf_norm` in DeiT/engine.py and ALBEF/models/model_pretrain.py, weight 1
 * there): R_wp = (1/L)·Σ_l (max_ij |(A_l·B_l − W_l)_ij| − ε)², ε = 1e-3, which holds each low-rank
 * product within ε of the original weight in the max norm. Its subgradient sits on the largest entry.
 */
import { hostTensor, type Backend, type DType } from '@lowrank/core';
import { hostSvd } from '@lowrank/linalg';
import { Adam, layerOffsets, type Mlp } from '@lowrank/mlp';
import { factorGradients, reconstructOnBackend, type LowRankTerm } from './low-rank-term.ts';

/** The rank keeping a share ρ of an m×n layer's parameters: ⌊ρ·mn/(m + n)⌋ (at least 1). */
export function pelaRank(m: number, n: number, ratio: number): number {
  return Math.max(1, Math.floor((ratio * m * n) / (m + n)));
}

/** The low-rank layers, host: for each compressed layer l, W_l ≈ A·B as a LowRankTerm (b = A, w_l×r; a = B, r×w_{l+1}). */
export interface LowRankLayers {
  readonly layers: readonly number[];
  readonly terms: readonly LowRankTerm[];
}

/** SVD initialization: A = U_r·S_r^{1/2}, B = S_r^{1/2}·V_rᵀ for each listed layer of θ. */
export async function pelaInit(
  be: Backend,
  dtype: DType,
  theta: Float64Array,
  widths: readonly number[],
  layers: readonly number[],
  ratio: number,
): Promise<LowRankLayers> {
  const terms: LowRankTerm[] = [];
  for (const l of layers) {
    const [m, n] = [widths[l], widths[l + 1]],
      off = layerOffsets(widths)[l],
      r = pelaRank(m, n, ratio);
    const w = await be.upload(hostTensor(dtype, [m, n], theta.subarray(off, off + m * n)));
    const f = await hostSvd(be, w);
    be.dispose(w);
    const k = f.s.length;
    const a = Float64Array.from(
      { length: m * r },
      (_, e) => f.u[Math.floor(e / r) * k + (e % r)] * Math.sqrt(f.s[e % r]),
    );
    const b = Float64Array.from(
      { length: r * n },
      (_, e) => Math.sqrt(f.s[Math.floor(e / n)]) * f.v[(e % n) * k + Math.floor(e / n)],
    );
    terms.push({ m, n, r, b: a, a: b });
  }
  return { layers, terms };
}

/** θ with each compressed layer's W replaced by A·B (on the backend); the rest (biases, other layers) from `theta`. */
export async function lowRankParameters(
  be: Backend,
  dtype: DType,
  theta: Float64Array,
  widths: readonly number[],
  f: LowRankLayers,
): Promise<Float64Array> {
  const out = Float64Array.from(theta),
    offsets = layerOffsets(widths);
  for (const [i, t] of f.terms.entries()) out.set(await reconstructOnBackend(be, dtype, t), offsets[f.layers[i]]);
  return out;
}

/** The weight-perturbation regularizer's weight and target: λ_wp·(‖A·B − W‖_max − ε)², averaged over the layers. */
export interface WeightPerturbation {
  readonly weight: number;
  readonly eps: number;
}

/**
 * Adds λ_wp·∂R_wp/∂W' for one layer to `grad` (the layer's slice of the network gradient), W' = A·B the
 * current product and `w` the original: 2(m − ε)/L·sign at the entry of largest |W' − W| (= m). Returns
 * that layer's term of R_wp.
 */
export function addWeightPerturbation(
  grad: Float64Array,
  product: ArrayLike<number>,
  w: ArrayLike<number>,
  layers: number,
  wp: WeightPerturbation,
): number {
  let at = 0,
    m = -1;
  for (let i = 0; i < w.length; i++) {
    const r = Math.abs(product[i] - w[i]);
    if (r > m) [m, at] = [r, i];
  }
  grad[at] += (wp.weight * 2 * (m - wp.eps) * Math.sign(product[at] - w[at])) / layers;
  return (wp.weight * (m - wp.eps) ** 2) / layers;
}

/**
 * Distillation of the low-rank factors: `steps` Adam steps on minibatches (`batch` yields the student
 * batch, the original's labels and its hidden features on it), ∂A = ∂W·Bᵀ and ∂B = Aᵀ·∂W from the
 * network's gradient ∂W of L_task + featureWeight·(feature matching) (+ λ_wp·R_wp with `perturbation`).
 * Updates the factors in place; returns the last loss.
 */
export async function featureDistill(
  be: Backend,
  dtype: DType,
  student: Mlp,
  theta: Float64Array,
  f: LowRankLayers,
  steps: number,
  lr: number,
  featureWeight: number,
  batch: (step: number) => Promise<{ x: Float64Array; labels: Int32Array; features: Float64Array[] }>,
  perturbation?: WeightPerturbation,
): Promise<number> {
  const widths = student.widths,
    offsets = layerOffsets(widths);
  const factors = f.terms.flatMap((t) => [t.b, t.a]);
  const adam = new Adam(
    factors.reduce((s, x) => s + x.length, 0),
    lr,
  );
  let loss = NaN;
  for (let s = 0; s < steps; s++) {
    const { x, labels, features } = await batch(s);
    await student.setBatch(x, labels);
    const current = await lowRankParameters(be, dtype, theta, widths, f);
    await student.setParameters(current);
    // L = L_task + λ_fd·Σ_l ‖h_l − h_l^orig‖²/N: the task loss on the original's labels of the batch.
    const task = await student.gradient();
    const g = await student.featureMatchGradient(features);
    for (let i = 0; i < g.grad.length; i++) g.grad[i] = task.grad[i] + featureWeight * g.grad[i];
    loss = task.loss + featureWeight * g.loss;
    const grads: Float64Array[] = [];
    for (const [i, t] of f.terms.entries()) {
      const at = offsets[f.layers[i]],
        span = [at, at + t.m * t.n] as const;
      if (perturbation !== undefined)
        loss += addWeightPerturbation(
          g.grad.subarray(...span),
          current.subarray(...span),
          theta.subarray(...span),
          f.terms.length,
          perturbation,
        );
      const d = await factorGradients(be, dtype, t, g.grad.subarray(...span));
      grads.push(d.b, d.a);
    }
    adam.stepParts(factors, grads);
  }
  return loss;
}
