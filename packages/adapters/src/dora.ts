/**
 * DoRA (Liu et al., arXiv 2402.09353, Eq. 5; confirmed from the official code): a magnitude m per
 * output feature times a direction,
 *   V = W₀ + s·B·A  (s = α/r),   W′ = diag(c)·V,   c = m / ‖V‖_row,   ‖V‖_row[j] = ‖V_{j,:}‖₂,
 * with m initialized to ‖W₀‖_row and B to 0, so W′ = W₀ at the start. The norm is recomputed every
 * forward pass and detached (the paper's §4.3 memory-saving form, as the code does): gradients reach m
 * through V/‖V‖_row and A, B through the numerator only. With z = x·Vᵀ and h = x·Aᵀ, y = z·diag(c) and
 *   ∂m = Σ_n (∂y ⊙ z)_{n,:} / ‖V‖_row,   ∂V = diag(c)·∂yᵀ·x,
 *   ∂A = s·(∂y·diag(c)·B)ᵀ·x,   ∂B = s·(∂y·diag(c))ᵀ·h,   ∂x = (∂y·diag(c))·V.
 * No dropout here (the paper's recipe adds LoRA's dropout on the adapter path; the claim compares at
 * none, as ALLoRA's paper does for itself).
 */
import { ops, type Backend, type DeviceTensor } from '@lowrank/core';
import { plusLowRank, rowNorms, scaleColumns, scaleRows } from './layer-ops.ts';

export interface DoraConfig {
  readonly rank: number;
  /** s = α/r. */
  readonly alpha: number;
}

export interface DoraCache {
  readonly x: DeviceTensor;
  readonly h: DeviceTensor;
  /** z = x·Vᵀ, before the magnitude. */
  readonly z: DeviceTensor;
  readonly v: DeviceTensor;
  /** ‖V‖_row and c = m/‖V‖_row (detached). */
  readonly norms: DeviceTensor;
  readonly c: DeviceTensor;
}

/** The DoRA layer on a batch: W₀ frozen, A, B and m (out) device tensors updated by the caller. */
export class DoraLayer {
  readonly scale: number;

  constructor(
    readonly be: Backend,
    readonly w0: DeviceTensor,
    public a: DeviceTensor,
    public b: DeviceTensor,
    public m: DeviceTensor,
    readonly config: DoraConfig,
  ) {
    this.scale = config.alpha / config.rank;
  }

  /** V = W₀ + s·B·A. */
  direction(): Promise<DeviceTensor> {
    return plusLowRank(this.be, this.w0, this.b, this.a, this.scale);
  }

  /** The effective weight W′ = diag(m/‖V‖_row)·V (out×in). */
  async weight(): Promise<DeviceTensor> {
    const v = await this.direction();
    const c = await ops.binary(this.be, 'div', this.m, await rowNorms(this.be, v));
    return scaleRows(this.be, v, c);
  }

  /** y = (x·Vᵀ)·diag(m/‖V‖_row). */
  async forward(x: DeviceTensor): Promise<{ y: DeviceTensor; cache: DoraCache }> {
    const v = await this.direction();
    const norms = await rowNorms(this.be, v);
    const c = await ops.binary(this.be, 'div', this.m, norms);
    const z = await ops.gemm(this.be, x, v, { transB: true });
    const h = await ops.gemm(this.be, x, this.a, { transB: true });
    return { y: await scaleColumns(this.be, z, c), cache: { x, h, z, v, norms, c } };
  }

  async backward(
    cache: DoraCache,
    dy: DeviceTensor,
  ): Promise<{ dm: DeviceTensor; da: DeviceTensor; db: DeviceTensor; dx: DeviceTensor }> {
    const dm = await ops.binary(
      this.be,
      'div',
      await ops.reduce(this.be, 'sum', await ops.binary(this.be, 'mul', dy, cache.z), 'cols'),
      cache.norms,
    );
    const dyc = await scaleColumns(this.be, dy, cache.c);
    const db = await ops.gemm(this.be, dyc, cache.h, { transA: true, alpha: this.scale });
    const dh = await ops.gemm(this.be, dyc, this.b, { alpha: this.scale });
    const da = await ops.gemm(this.be, dh, cache.x, { transA: true });
    const dx = await ops.gemm(this.be, dyc, cache.v);
    return { dm, da, db, dx };
  }
}
