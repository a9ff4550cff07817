/**
 * TRP (S02: Xu et al., "Trained Rank Pruning for Efficient Deep Neural Networks"): during training,
 * every m steps each selected layer's weights are replaced by their energy-truncated SVD,
 *   W = U·S·Vᵀ,  k = min{k : Σ_{i≤k} s_i² ≥ e·Σ s_i²},  W ← U_k·S_k·V_kᵀ,
 * and a nuclear-norm sub-gradient step W ← W − η·λ·U·Vᵀ (∂‖W‖_* ∋ U·Vᵀ over the nonzero singular values)
 * pushes the spectrum down. The network then stays low-rank "in nature" and can be truncated after
 * training without fine-tuning.
 */
import { hostTensor, type Backend, type DType } from '@lowrank/core';
import { hostSvd, rankForEnergy } from '@lowrank/linalg';
import { layerOffsets, type Mlp } from '@lowrank/mlp';
import { reconstructHost, termsFromSvd } from './low-rank-term.ts';

/** The SVD of layer l's weight block of θ (w_l×w_{l+1}), on the backend. */
async function layerSvd(be: Backend, dtype: DType, theta: Float64Array, widths: readonly number[], l: number) {
  const [rows, cols] = [widths[l], widths[l + 1]],
    off = layerOffsets(widths)[l];
  const w = await be.upload(hostTensor(dtype, [rows, cols], theta.subarray(off, off + rows * cols)));
  const f = await hostSvd(be, w);
  be.dispose(w);
  return { ...f, rows, cols, off };
}

/**
 * Replaces layer l's weights in θ by Σ_{i≤k} u_i·(shrunk s_i)·v_iᵀ, where k keeps `energy` of Σ s_i² (or
 * is `rank` when given) and each kept s_i is first lowered by `shrink` (the nuclear-norm sub-gradient
 * step η·λ, floored at 0). Returns the rank kept.
 */
export async function truncateLayer(
  be: Backend,
  dtype: DType,
  theta: Float64Array,
  widths: readonly number[],
  l: number,
  o: { energy?: number; rank?: number; shrink?: number },
): Promise<number> {
  const { u, s, v, rows, cols, off } = await layerSvd(be, dtype, theta, widths, l);
  const k = o.rank ?? rankForEnergy(s, o.energy ?? 1);
  const [term] = termsFromSvd(
    u,
    s.map((x) => Math.max(x - (o.shrink ?? 0), 0)),
    v,
    rows,
    cols,
    [k],
  );
  theta.set(reconstructHost(term), off);
  return k;
}

/** The rank keeping `energy` of layer l's Σ s_i². */
export async function energyRank(
  be: Backend,
  dtype: DType,
  theta: Float64Array,
  widths: readonly number[],
  l: number,
  energy: number,
): Promise<number> {
  return rankForEnergy((await layerSvd(be, dtype, theta, widths, l)).s, energy);
}

export interface TrpOptions {
  /** Layers to keep low-rank (indices into the MLP's weight matrices). */
  readonly layers: readonly number[];
  /** Truncate every `period` steps. */
  readonly period: number;
  /** Energy kept at each truncation (e). */
  readonly energy: number;
  /** Nuclear-norm weight λ; the sub-gradient is applied at each truncation for the `period` steps since the last (η·λ·period). */
  readonly nuclear: number;
}

/** One TRP projection of θ, in place: each selected layer truncated by energy with the accumulated nuclear-norm shrink. */
export async function trpProject(net: Mlp, theta: Float64Array, lr: number, o: TrpOptions): Promise<number[]> {
  const ranks: number[] = [];
  for (const l of o.layers)
    ranks.push(
      await truncateLayer(net.be, net.dtype, theta, net.widths, l, {
        energy: o.energy,
        shrink: lr * o.nuclear * o.period,
      }),
    );
  return ranks;
}
