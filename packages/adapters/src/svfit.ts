import { hostTensor, ops, type Backend, type DeviceTensor } from '@lowrank/core';
import { firstColumns, hostSvd, rankForEnergy } from '@lowrank/linalg';
import type { Adapter } from './adapter.ts';
import { diagonalContraction, lowRankUpdate } from './diagonal-adapter.ts';

/**
 * SVFit (S44: "Parameter-Efficient Fine-Tuning of Large Pre-Trained Models Using Singular Values"): W = W_res +
 * U_r·diag(θ)·V_rᵀ with θ₀ = σ₁…σ_r of W₀ = U·S·Vᵀ; r from the energy rule Σ_{i≤r}σ_i² ≥ e·Σσ_i² or given.
 */
export class SvfitAdapter implements Adapter {
  readonly name: string;

  private constructor(
    readonly be: Backend,
    readonly theta: Float64Array,
    private readonly base: DeviceTensor,
    private readonly u: DeviceTensor,
    private readonly vt: DeviceTensor,
  ) {
    this.name = `SVFit r=${theta.length}`;
  }

  /** From W₀ (out×in): the rank is `rank`, or the smallest keeping `energy` of Σσ² when rank is null. */
  static async create(
    be: Backend,
    w0: DeviceTensor,
    rank: number | null,
    energy = 0.99,
  ): Promise<{ adapter: SvfitAdapter; sigma: Float64Array }> {
    const [outputs, inputs] = w0.shape;
    const { u, s: sigma, v } = await hostSvd(be, w0);
    const r = rank ?? rankForEnergy(sigma, energy),
      k = sigma.length;
    const ur = await be.upload(hostTensor(w0.dtype, [outputs, r], firstColumns(u, outputs, k, r)));
    const vr = await be.upload(hostTensor(w0.dtype, [inputs, r], firstColumns(v, inputs, k, r)));
    const vt = await ops.transpose(be, vr);
    be.dispose(vr);
    const theta = sigma.slice(0, r);
    const base = await lowRankUpdate(be, w0, ur, theta, vt, -1);
    return { adapter: new SvfitAdapter(be, theta, base, ur, vt), sigma };
  }

  weight(): Promise<DeviceTensor> {
    return lowRankUpdate(this.be, this.base, this.u, this.theta, this.vt, 1);
  }

  gradient(dW: DeviceTensor): Promise<Float64Array> {
    return diagonalContraction(this.be, this.u, dW, this.vt);
  }

  dispose(): void {
    for (const t of [this.base, this.u, this.vt]) this.be.dispose(t);
  }
}
