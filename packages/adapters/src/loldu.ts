import { hostTensor, type Backend, type DeviceTensor } from '@lowrank/core';
import { firstColumns, ldu, permuteRows } from '@lowrank/linalg';
import type { Adapter } from './adapter.ts';
import { diagonalContraction, lowRankUpdate } from './diagonal-adapter.ts';

/**
 * LoLDU (S22: "Low-Rank Adaptation via Lower-Diag-Upper Decomposition", following its public
 * `ldu_decomposition`): W₀ = P·L·D·U′ (pivoted LU, U′ unit upper), L ← s·(P·L)[:, :r], R = U′[:r, :],
 * θ₀ = D[:r] and one more trainable scalar s (init α/r): r + 1 parameters.
 */
export class LolduAdapter implements Adapter {
  readonly name: string;

  private constructor(
    readonly be: Backend,
    readonly theta: Float64Array,
    private readonly base: DeviceTensor,
    private readonly pl: DeviceTensor,
    private readonly ur: DeviceTensor,
  ) {
    this.name = `LoLDU r=${theta.length - 1}`;
  }

  /** θ = (z₁…z_r, s): the first r pivots of W₀'s LDU and s = α/r. */
  static async create(
    be: Backend,
    w0: DeviceTensor,
    rank: number,
    alpha: number,
  ): Promise<{ adapter: LolduAdapter; reconstruction: DeviceTensor }> {
    const [outputs, inputs] = w0.shape;
    const f = await ldu(be, w0);
    const k = f.d.size;
    const l = permuteRows(Float64Array.from((await be.download(f.l)).data), k, f.pivots, true); // P·L with W₀ = P·L·D·U′
    const d = Float64Array.from((await be.download(f.d)).data),
      u = (await be.download(f.u)).data;
    const plFull = await be.upload(hostTensor(w0.dtype, [outputs, k], l));
    const zero = be.zeros(w0.dtype, [outputs, inputs]);
    const reconstruction = await lowRankUpdate(be, zero, plFull, d, f.u, 1);
    const pl = await be.upload(hostTensor(w0.dtype, [outputs, rank], firstColumns(l, outputs, k, rank)));
    const ur = await be.upload(hostTensor(w0.dtype, [rank, inputs], u.slice(0, rank * inputs)));
    for (const t of [f.l, f.d, f.u, plFull, zero]) be.dispose(t);
    const theta = Float64Array.from([...d.slice(0, rank), alpha / rank]);
    const base = await lowRankUpdate(be, w0, pl, theta.subarray(0, rank), ur, -theta[rank]);
    return { adapter: new LolduAdapter(be, theta, base, pl, ur), reconstruction };
  }

  weight(): Promise<DeviceTensor> {
    const r = this.theta.length - 1;
    return lowRankUpdate(this.be, this.base, this.pl, this.theta.subarray(0, r), this.ur, this.theta[r]);
  }

  /** ∂z_i = s·t_i and ∂s = Σ z_i·t_i with t_i = (P·L_r)ᵀ·∂W·U′_rᵀ at (i, i). */
  async gradient(dW: DeviceTensor): Promise<Float64Array> {
    const r = this.theta.length - 1,
      s = this.theta[r];
    const t = await diagonalContraction(this.be, this.pl, dW, this.ur);
    const out = new Float64Array(r + 1);
    for (let i = 0; i < r; i++) {
      out[i] = s * t[i];
      out[r] += this.theta[i] * t[i];
    }
    return out;
  }

  dispose(): void {
    for (const t of [this.base, this.pl, this.ur]) this.be.dispose(t);
  }
}
