/**
 * LoRA (Hu et al., 2021): a frozen W₀ (out×in) plus a trainable rank-r product scaled by s = α/r,
 *   y = x·W₀ᵀ + s·dropout(x)·Aᵀ·Bᵀ,   A (r×in) random, B (out×r) zero at init, so W(θ) = W₀ at step 0.
 * `LoraLayer` is the layer itself (forward and backward on a batch, with dropout on the adapter path);
 * `LoraAdapter` is the same parameterization as an `Adapter` (W = W₀ + s·B·A, ∂A = s·Bᵀ·∂W, ∂B = s·∂W·Aᵀ).
 */
import { ArgumentError, fillRandom, hostTensor, ops, type Backend, type DeviceTensor, type DType } from '@lowrank/core';
import type { Adapter } from './adapter.ts';
import { plusLowRank } from './layer-ops.ts';

export interface LoraConfig {
  readonly rank: number;
  /** s = α/r (1 when α = r). */
  readonly alpha: number;
  /** Dropout probability on the adapter path's input (0 for none). */
  readonly dropout?: number;
  readonly seed: number;
}

/** A ~ N(0, 1/in) (the variance of PyTorch's Kaiming-uniform init with a = √5, up to the distribution), B = 0. */
export function loraInit(outputs: number, inputs: number, c: LoraConfig): Float64Array {
  if (!Number.isInteger(c.rank) || c.rank < 1 || c.rank > Math.min(outputs, inputs))
    throw new ArgumentError(`lora: rank must be an integer in [1, ${Math.min(outputs, inputs)}], got ${c.rank}`);
  const theta = new Float64Array(c.rank * inputs + outputs * c.rank);
  const a = fillRandom({ seed: c.seed, stream: 110 }, 'normal', 'f64', c.rank * inputs);
  for (let i = 0; i < a.length; i++) theta[i] = a[i] / Math.sqrt(3 * inputs);
  return theta;
}

export class LoraAdapter implements Adapter {
  readonly name: string;
  readonly theta: Float64Array;
  readonly #scale: number;

  constructor(
    readonly be: Backend,
    readonly dtype: DType,
    readonly w0: DeviceTensor,
    readonly config: LoraConfig,
  ) {
    const [outputs, inputs] = w0.shape;
    this.name = `LoRA r=${config.rank}`;
    this.theta = loraInit(outputs, inputs, config);
    this.#scale = config.alpha / config.rank;
  }

  async #factors(): Promise<{ a: DeviceTensor; b: DeviceTensor }> {
    const [outputs, inputs] = this.w0.shape,
      r = this.config.rank;
    return {
      a: await this.be.upload(hostTensor(this.dtype, [r, inputs], this.theta.subarray(0, r * inputs))),
      b: await this.be.upload(hostTensor(this.dtype, [outputs, r], this.theta.subarray(r * inputs))),
    };
  }

  async weight(): Promise<DeviceTensor> {
    const { a, b } = await this.#factors();
    const w = await plusLowRank(this.be, this.w0, b, a, this.#scale);
    this.be.dispose(a);
    this.be.dispose(b);
    return w;
  }

  async gradient(dW: DeviceTensor): Promise<Float64Array> {
    const { a, b } = await this.#factors();
    const da = await ops.gemm(this.be, b, dW, { transA: true, alpha: this.#scale });
    const db = await ops.gemm(this.be, dW, a, { transB: true, alpha: this.#scale });
    const out = new Float64Array(this.theta.length);
    out.set((await this.be.download(da)).data, 0);
    out.set((await this.be.download(db)).data, a.size);
    for (const t of [a, b, da, db]) this.be.dispose(t);
    return out;
  }

  dispose(): void {}
}

/** What the forward pass keeps for the backward pass. */
export interface LoraCache {
  readonly x: DeviceTensor;
  /** dropout(x), or x itself without dropout. */
  readonly xd: DeviceTensor;
  /** The dropout scale mask m/(1 − p), or null. */
  readonly mask: DeviceTensor | null;
  /** h = dropout(x)·Aᵀ (n×r). */
  readonly h: DeviceTensor;
}

/** The LoRA layer on a batch: W₀ frozen on the device, A and B device tensors updated by the caller. */
export class LoraLayer {
  readonly scale: number;

  constructor(
    readonly be: Backend,
    readonly w0: DeviceTensor,
    public a: DeviceTensor,
    public b: DeviceTensor,
    readonly config: LoraConfig,
  ) {
    this.scale = config.alpha / config.rank;
  }

  /** The effective weight W₀ + s·B·A (out×in), as inference uses it (no dropout). */
  weight(): Promise<DeviceTensor> {
    return plusLowRank(this.be, this.w0, this.b, this.a, this.scale);
  }

  /** y = x·W₀ᵀ + s·dropout(x)·Aᵀ·Bᵀ; `step` selects the dropout mask (a fresh one per step, reproducible). */
  async forward(x: DeviceTensor, step: number): Promise<{ y: DeviceTensor; cache: LoraCache }> {
    const p = this.config.dropout ?? 0;
    let mask: DeviceTensor | null = null,
      xd = x;
    if (p > 0) {
      const u = fillRandom({ seed: this.config.seed, stream: 111 }, 'uniform', 'f64', x.size, step * x.size);
      mask = await this.be.upload(
        hostTensor(
          x.dtype,
          x.shape,
          u.map((v) => (v >= p ? 1 / (1 - p) : 0)),
        ),
      );
      xd = await ops.binary(this.be, 'mul', x, mask);
    }
    const h = await ops.gemm(this.be, xd, this.a, { transB: true });
    const y = await ops.gemm(this.be, x, this.w0, { transB: true });
    await ops.gemm(this.be, h, this.b, { transB: true, alpha: this.scale, beta: 1, c: y });
    return { y, cache: { x, xd, mask, h } };
  }

  /**
   * From ∂L/∂y (n×out): ∂B = s·∂yᵀ·h, ∂A = (s·∂y·B)ᵀ·dropout(x), ∂x = ∂y·W₀ + ((s·∂y·B)·A) ⊙ mask.
   */
  async backward(
    cache: LoraCache,
    dy: DeviceTensor,
  ): Promise<{ da: DeviceTensor; db: DeviceTensor; dx: DeviceTensor }> {
    const db = await ops.gemm(this.be, dy, cache.h, { transA: true, alpha: this.scale });
    const dh = await ops.gemm(this.be, dy, this.b, { alpha: this.scale });
    const da = await ops.gemm(this.be, dh, cache.xd, { transA: true });
    let adapterPath = await ops.gemm(this.be, dh, this.a);
    if (cache.mask) adapterPath = await ops.binary(this.be, 'mul', adapterPath, cache.mask);
    const dx = await ops.gemm(this.be, dy, this.w0);
    await ops.axpy(this.be, 1, adapterPath, dx);
    return { da, db, dx };
  }
}
