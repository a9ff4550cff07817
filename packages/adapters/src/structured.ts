/**
 * Adapters that train a diagonal inside a frozen factorization of W₀ (W = W_res + L·diag(θ)·R with L
 * (out×r) and R (r×in) frozen, W_res = W₀ − L·diag(θ₀)·R so that W(θ₀) = W₀ exactly):
 *
 * - SVFit (S44: "Parameter-Efficient Fine-Tuning of Large Pre-Trained Models Using Singular Values"):
 *   L = U_r, R = V_rᵀ, θ₀ = σ₁…σ_r of W₀ = U·S·Vᵀ; r from the energy rule Σ_{i≤r}σ_i² ≥ e·Σσ_i² or given.
 * - LoLDU (S22: "Low-Rank Adaptation via Lower-Diag-Upper Decomposition", following its public
 *   `ldu_decomposition`): W₀ = P·L·D·U′ (pivoted LU, U′ unit upper), L ← s·(P·L)[:, :r], R = U′[:r, :],
 *   θ₀ = D[:r] and one more trainable scalar s (init α/r): r + 1 parameters.
 *
 * ∂L/∂θ_i = l_iᵀ·∂W·r_i = (Lᵀ·∂W·Rᵀ)_ii: two GEMMs (r×out·out×in, then ·in×r) and the diagonal.
 */
import { hostTensor, ops, type Backend, type DeviceTensor, type DType } from '@lowrank/core';
import { diagonalMatrix, firstColumns, hostSvd, ldu, permuteRows, rankForEnergy } from '@lowrank/linalg';
import type { Adapter } from './adapter.ts';

/** W_res + scale·L·diag(d)·R on the device. */
async function lowRankUpdate(be: Backend, base: DeviceTensor, l: DeviceTensor, d: ArrayLike<number>, r: DeviceTensor, scale: number): Promise<DeviceTensor> {
  const k = d.length;
  const ld = await ops.gemm(be, l, await be.upload(hostTensor(base.dtype, [k, k], diagonalMatrix(d))));
  const w = await ops.copy(be, base);
  await ops.gemm(be, ld, r, { alpha: scale, beta: 1, c: w });
  be.dispose(ld);
  return w;
}

/** (Lᵀ·∂W·Rᵀ)_ii for i < r, on the host. */
async function diagonalContraction(be: Backend, l: DeviceTensor, dW: DeviceTensor, r: DeviceTensor): Promise<Float64Array> {
  const m = await ops.gemm(be, l, dW, { transA: true });
  const n = await ops.gemm(be, m, r, { transB: true });
  const k = l.shape[1], data = (await be.download(n)).data;
  be.dispose(m);
  be.dispose(n);
  return Float64Array.from({ length: k }, (_, i) => data[i * k + i]);
}

export class SvfitAdapter implements Adapter {
  readonly name: string;

  private constructor(readonly be: Backend, readonly theta: Float64Array, private readonly base: DeviceTensor, private readonly u: DeviceTensor, private readonly vt: DeviceTensor) {
    this.name = `SVFit r=${theta.length}`;
  }

  /** From W₀ (out×in): the rank is `rank`, or the smallest keeping `energy` of Σσ² when rank is null. */
  static async create(be: Backend, w0: DeviceTensor, rank: number | null, energy = 0.99): Promise<{ adapter: SvfitAdapter; sigma: Float64Array }> {
    const [outputs, inputs] = w0.shape;
    const { u, s: sigma, v } = await hostSvd(be, w0);
    const r = rank ?? rankForEnergy(sigma, energy), k = sigma.length;
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

export class LolduAdapter implements Adapter {
  readonly name: string;

  private constructor(readonly be: Backend, readonly theta: Float64Array, private readonly base: DeviceTensor, private readonly pl: DeviceTensor, private readonly ur: DeviceTensor) {
    this.name = `LoLDU r=${theta.length - 1}`;
  }

  /** θ = (z₁…z_r, s): the first r pivots of W₀'s LDU and s = α/r. */
  static async create(be: Backend, w0: DeviceTensor, rank: number, alpha: number): Promise<{ adapter: LolduAdapter; reconstruction: DeviceTensor }> {
    const [outputs, inputs] = w0.shape;
    const f = await ldu(be, w0);
    const k = f.d.size;
    const l = permuteRows(Float64Array.from((await be.download(f.l)).data), k, f.pivots, true); // P·L with W₀ = P·L·D·U′
    const d = Float64Array.from((await be.download(f.d)).data), u = (await be.download(f.u)).data;
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
    const r = this.theta.length - 1, s = this.theta[r];
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
