/**
 * FLoRA (S21: Si et al., "FLoRA: Low-Rank Core Space for N-dimension"): adapt an N-dimensional weight
 * W₀ ∈ R^{n₁×…×n_N} (e.g. a convolution kernel out×in×kh×kw) in Tucker form,
 *   W = W₀ + s·G ×₁ A₁ ×₂ A₂ … ×_N A_N,   core G (r₁×…×r_N), factors A_k (n_k×r_k),
 * keeping the N-D structure instead of reshaping W₀ to a matrix as LoRA does. G starts at zero (so
 * W = W₀), the factors random. As an `Adapter` the weight is seen as the n₁×(n₂⋯n_N) matrix of the
 * same row-major data, and with R = s·∂L/∂W as a tensor:
 *   ∂G = R ×₁ A₁ᵀ … ×_N A_Nᵀ,   ∂A_k = R_(k)·Z_(k)ᵀ with Z = G ×_{i≠k} A_i  (Kolda & Bader 2009, §4).
 */
import { fillRandom, hostTensor, ops, type Backend, type DeviceTensor, type DType } from '@lowrank/core';
import { modeCross, modeProduct, tuckerReconstruct } from '@lowrank/tensor';
import type { Adapter } from './adapter.ts';

export class FloraAdapter implements Adapter {
  readonly name: string;
  readonly theta: Float64Array;
  readonly #sizes: number[];

  /** w0: the weight as a matrix n₁×(n₂⋯n_N) on the device; shape: its N-D shape; ranks: the core's. */
  constructor(
    readonly be: Backend,
    readonly dtype: DType,
    readonly w0: DeviceTensor,
    readonly shape: readonly number[],
    readonly ranks: readonly number[],
    readonly scale: number,
    seed: number,
  ) {
    this.name = `FLoRA (${ranks.join(',')})`;
    this.#sizes = [ranks.reduce((a, b) => a * b, 1), ...shape.map((n, k) => n * ranks[k])];
    this.theta = new Float64Array(this.#sizes.reduce((a, b) => a + b, 0));
    let off = this.#sizes[0];
    shape.forEach((n, k) => {
      const a = fillRandom({ seed, stream: 180 + k }, 'normal', 'f64', n * ranks[k]);
      for (let i = 0; i < a.length; i++) this.theta[off + i] = a[i] / Math.sqrt(n);
      off += n * ranks[k];
    });
  }

  /** The core and the factors as device tensors. */
  async #parts(): Promise<{ core: DeviceTensor; factors: DeviceTensor[] }> {
    const core = await this.be.upload(hostTensor(this.dtype, [this.#sizes[0]], this.theta.subarray(0, this.#sizes[0])));
    const factors: DeviceTensor[] = [];
    let off = this.#sizes[0];
    for (let k = 0; k < this.shape.length; k++) {
      factors.push(
        await this.be.upload(
          hostTensor(this.dtype, [this.shape[k], this.ranks[k]], this.theta.subarray(off, off + this.#sizes[k + 1])),
        ),
      );
      off += this.#sizes[k + 1];
    }
    return { core, factors };
  }

  async weight(): Promise<DeviceTensor> {
    const { core, factors } = await this.#parts();
    const delta = await tuckerReconstruct(this.be, core, this.ranks, factors);
    const w = await ops.reshape(this.be, delta.tensor, this.w0.shape);
    for (const t of [core, ...factors, delta.tensor]) this.be.dispose(t);
    await ops.scal(this.be, this.scale, w);
    return ops.axpy(this.be, 1, this.w0, w);
  }

  async gradient(dW: DeviceTensor): Promise<Float64Array> {
    const release = this.be.track();
    try {
      const { core, factors } = await this.#parts();
      const r = await ops.reshape(this.be, dW, [dW.size]);
      await ops.scal(this.be, this.scale, r);
      const out = new Float64Array(this.theta.length);
      // ∂G = R ×₁ A₁ᵀ … ×_N A_Nᵀ.
      let cur = { tensor: r, shape: [...this.shape] };
      for (let k = 0; k < this.shape.length; k++)
        cur = await modeProduct(this.be, cur.tensor, cur.shape, await ops.transpose(this.be, factors[k]), k);
      out.set((await this.be.download(cur.tensor)).data, 0);
      // ∂A_k = R_(k)·Z_(k)ᵀ, Z = G ×_{i≠k} A_i.
      let off = this.#sizes[0];
      for (let k = 0; k < this.shape.length; k++) {
        let z = { tensor: core, shape: [...this.ranks] };
        for (let i = 0; i < this.shape.length; i++)
          if (i !== k) z = await modeProduct(this.be, z.tensor, z.shape, factors[i], i);
        out.set((await this.be.download(await modeCross(this.be, r, this.shape, z.tensor, z.shape, k))).data, off);
        off += this.#sizes[k + 1];
      }
      return out;
    } finally {
      release();
    }
  }

  dispose(): void {}
}
