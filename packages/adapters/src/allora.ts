/**
 * ALLoRA (Huang, Balestriero et al., arXiv 2410.09692, §4.2, App. C, Listing 1): LoRA without its
 * α/r scale and without dropout, whose backward pass rescales the gradient of the product BA per
 * output row i by
 *   s_i = 1 / √(‖(BA)_{i,:}‖₂ + 1/η²)        (the row norm is not squared),
 * so a row that has grown learns more slowly and, at the start (B = 0), every row learns at η, the
 * factor LoRA's α/r played. With G = ∂L/∂(BA) = ∂yᵀ·x and G̃ = diag(s)·G:
 *   ∂B = G̃·Aᵀ = (∂y·diag(s))ᵀ·h,   ∂A = Bᵀ·G̃ = (∂y·diag(s)·B)ᵀ·x,   h = x·Aᵀ,
 * while ∂x = ∂y·(W₀ + BA) is not rescaled. s depends on the weights only, so per-sample and per-batch
 * scaling agree; the optimizer is unchanged (the scale sits before it).
 * `outputs: true` is the paper's ablation ALLoRA-OD (§4.3): the same function of |y_i|, the output
 * itself, per sample, instead of the row norm.
 */
import { ArgumentError, hostTensor, ops, type Backend, type DeviceTensor } from '@lowrank/core';
import { plusLowRank, rowNorms, scaleColumns } from './layer-ops.ts';

export interface AlloraConfig {
  /** η of s_i = 1/√(‖(BA)_i‖ + 1/η²): the per-row learning-rate factor at B = 0 (the paper: η² ∈ {1, 2, 4}). */
  readonly eta: number;
  /** ALLoRA-OD: s from |y_i| per sample instead of ‖(BA)_i‖. */
  readonly outputs?: boolean;
}

/** What the forward pass keeps for the backward pass. */
export interface AlloraCache {
  readonly x: DeviceTensor;
  /** h = x·Aᵀ (n×r). */
  readonly h: DeviceTensor;
  /** The adapter's output x·(BA)ᵀ (n×out), for ALLoRA-OD. */
  readonly delta: DeviceTensor;
}

/** The ALLoRA layer on a batch: W₀ frozen on the device, A and B device tensors updated by the caller. */
export class AlloraLayer {
  constructor(
    readonly be: Backend,
    readonly w0: DeviceTensor,
    public a: DeviceTensor,
    public b: DeviceTensor,
    readonly config: AlloraConfig,
  ) {
    if (!(config.eta > 0 && Number.isFinite(config.eta)))
      throw new ArgumentError(`allora: η must be a positive finite number, got ${config.eta}`);
  }

  /** The effective weight W₀ + B·A (out×in). */
  weight(): Promise<DeviceTensor> {
    return plusLowRank(this.be, this.w0, this.b, this.a, 1);
  }

  /** y = x·W₀ᵀ + (x·Aᵀ)·Bᵀ: no α/r, no dropout. */
  async forward(x: DeviceTensor): Promise<{ y: DeviceTensor; cache: AlloraCache }> {
    const h = await ops.gemm(this.be, x, this.a, { transB: true });
    const delta = await ops.gemm(this.be, h, this.b, { transB: true });
    const y = await ops.gemm(this.be, x, this.w0, { transB: true });
    await ops.axpy(this.be, 1, delta, y);
    return { y, cache: { x, h, delta } };
  }

  /** s_i = 1/√(‖(BA)_{i,:}‖₂ + 1/η²), one per output row (a device vector of `out` values). */
  async rowScales(): Promise<DeviceTensor> {
    return this.#scale(await rowNorms(this.be, await ops.gemm(this.be, this.b, this.a)));
  }

  /** 1/√(v + 1/η²) elementwise. */
  async #scale(v: DeviceTensor): Promise<DeviceTensor> {
    const floor = await this.be.upload(
      hostTensor(v.dtype, v.shape, new Float64Array(v.size).fill(1 / this.config.eta ** 2)),
    );
    const root = await ops.unary(this.be, 'sqrt', await ops.binary(this.be, 'add', v, floor));
    return ops.unary(this.be, 'reciprocal', root);
  }

  /** ∂A, ∂B from the rescaled ∂y·diag(s) (ALLoRA-OD: ∂y ⊙ 1/√(|Δy| + 1/η²) per sample); ∂x from ∂y unscaled. */
  async backward(
    cache: AlloraCache,
    dy: DeviceTensor,
  ): Promise<{ da: DeviceTensor; db: DeviceTensor; dx: DeviceTensor }> {
    const scaled =
      this.config.outputs === true
        ? await ops.binary(this.be, 'mul', dy, await this.#outputScales(cache.delta))
        : await scaleColumns(this.be, dy, await this.rowScales());
    const db = await ops.gemm(this.be, scaled, cache.h, { transA: true });
    const dh = await ops.gemm(this.be, scaled, this.b);
    const da = await ops.gemm(this.be, dh, cache.x, { transA: true });
    // ∂x = ∂y·W₀ + (∂y·B)·A: the input's gradient is not rescaled.
    const dx = await ops.gemm(this.be, dy, this.w0);
    await ops.gemm(this.be, await ops.gemm(this.be, dy, this.b), this.a, { beta: 1, c: dx });
    return { da, db, dx };
  }

  /** ALLoRA-OD's factors 1/√(|Δy_{ni}| + 1/η²), Δy the adapter's output, per sample and output. */
  async #outputScales(delta: DeviceTensor): Promise<DeviceTensor> {
    return this.#scale(await ops.unary(this.be, 'abs', delta));
  }
}
