/**
 * The penalty reformulation of a bilevel problem (S12, Kwon et al.; FORMULAS.md):
 *
 *   F(x) = f(x, y*(x)),  y*(x) = argmin_y g(x, y);   ψ_σ(x) = min_y f(x, y) + (g(x, y) − g*(x))/σ,
 *
 * whose value and gradient are O(σ)-close to F's under a proximal error bound. On the quadratic
 * instance of the catalogue, f = ½‖y − a‖² + (ρ/2)‖x‖², g = ½yᵀQy − yᵀBx (Q ≻ 0), everything is closed
 * form; with r = a − y*, y* = Q⁻¹Bx and w = (σI + Q)⁻¹r:
 *
 *   y_σ = (σI + Q)⁻¹(σa + Bx) = y* + σw,     g(x, y_σ) − g* = ½(y_σ − y*)ᵀQ(y_σ − y*) = ½σ²·wᵀQw,
 *   ψ_σ = ½‖σw − r‖² + (ρ/2)‖x‖² + (σ/2)·wᵀQw,     ∇ψ_σ = ρx + Bᵀ(y* − y_σ)/σ = ρx − Bᵀw,
 *   F = ½‖r‖² + (ρ/2)‖x‖²,     ∇F = ρx − BᵀQ⁻¹r   (y* unique, ∇F = ∇ₓf − ∇²ₓᵧg(∇²ᵧᵧg)⁻¹∇ᵧf).
 *
 * These forms never subtract g* from g (that difference is O(σ²) and would cancel to noise in f32 at
 * small σ): they are exact rearrangements, not approximations. Solves by Cholesky, products by GEMV,
 * on the backend.
 */
import { ArgumentError, ShapeError, hostTensor, ops, type Backend, type DeviceTensor, type DType } from '@lowrank/core';
import { choleskySolve } from '@lowrank/linalg';

export interface QuadraticBilevelData {
  /** d: the lower level's dimension; p: the upper level's. */
  d: number;
  p: number;
  /** a (d), Q (d×d, symmetric positive definite), B (d×p), row-major, host. */
  a: Float64Array;
  q: Float64Array;
  b: Float64Array;
  rho: number;
}

export interface ValueAndGradient {
  value: number;
  gradient: Float64Array;
}

export class QuadraticBilevel {
  private constructor(
    readonly be: Backend,
    readonly dtype: DType,
    readonly data: QuadraticBilevelData,
    private readonly a: DeviceTensor,
    private readonly q: DeviceTensor,
    private readonly b: DeviceTensor,
  ) {}

  static async create(be: Backend, dtype: DType, data: QuadraticBilevelData): Promise<QuadraticBilevel> {
    const { d, p } = data;
    if (data.a.length !== d || data.q.length !== d * d || data.b.length !== d * p)
      throw new ShapeError(`quadratic bilevel: a, Q, B must be ${d}, ${d}×${d}, ${d}×${p}`);
    if (!Number.isFinite(data.rho) || data.rho < 0)
      throw new ArgumentError(`ρ must be finite and ≥ 0, got ${data.rho}`);
    return new QuadraticBilevel(
      be,
      dtype,
      data,
      await be.upload(hostTensor(dtype, [d, 1], data.a)),
      await be.upload(hostTensor(dtype, [d, d], data.q)),
      await be.upload(hostTensor(dtype, [d, p], data.b)),
    );
  }

  #x(x: ArrayLike<number>): Promise<DeviceTensor> {
    if (x.length !== this.data.p) throw new ShapeError(`x has ${x.length} values, the upper level ${this.data.p}`);
    return this.be.upload(hostTensor(this.dtype, [this.data.p, 1], Float64Array.from(x)));
  }

  async #host(t: DeviceTensor): Promise<Float64Array> {
    return Float64Array.from((await this.be.download(t)).data);
  }

  /** r = a − y*(x), y* = Q⁻¹Bx, on the backend. */
  async #residual(x: DeviceTensor): Promise<DeviceTensor> {
    const yStar = await choleskySolve(this.be, this.q, await ops.gemm(this.be, this.b, x));
    const r = await ops.copy(this.be, this.a);
    return ops.axpy(this.be, -1, yStar, r);
  }

  /** (ρ/2)‖x‖² and ρx − Bᵀv (the two terms every gradient here shares). */
  async #upper(xHost: ArrayLike<number>, v: DeviceTensor): Promise<{ reg: number; grad: Float64Array }> {
    const bt = await this.#host(await ops.gemm(this.be, this.b, v, { transA: true }));
    const rho = this.data.rho;
    let sq = 0;
    for (let i = 0; i < xHost.length; i++) sq += xHost[i] * xHost[i];
    return { reg: (rho / 2) * sq, grad: Float64Array.from(bt, (t, i) => rho * xHost[i] - t) };
  }

  /** F(x) and ∇F(x). */
  async hyper(xHost: ArrayLike<number>): Promise<ValueAndGradient> {
    const release = this.be.track();
    try {
      const x = await this.#x(xHost);
      const r = await this.#residual(x);
      const rNorm = await ops.nrm2(this.be, r);
      const { reg, grad } = await this.#upper(xHost, await choleskySolve(this.be, this.q, r));
      return { value: 0.5 * rNorm * rNorm + reg, gradient: grad };
    } finally {
      release();
    }
  }

  /** ψ_σ(x) and ∇ψ_σ(x) for σ > 0. */
  async penalty(xHost: ArrayLike<number>, sigma: number): Promise<ValueAndGradient> {
    if (!(sigma > 0) || !Number.isFinite(sigma)) throw new ArgumentError(`σ must be finite and > 0, got ${sigma}`);
    const { d } = this.data;
    const release = this.be.track();
    try {
      const x = await this.#x(xHost);
      const r = await this.#residual(x);
      const shifted = Float64Array.from(this.data.q, (v, i) => (i % (d + 1) === 0 ? v + sigma : v));
      const w = await choleskySolve(this.be, await this.be.upload(hostTensor(this.dtype, [d, d], shifted)), r);
      // ½‖σw − r‖² + (σ/2)·wᵀQw
      const gap = await ops.axpy(this.be, -1, r, await ops.scal(this.be, sigma, await ops.copy(this.be, w)));
      const gapNorm = await ops.nrm2(this.be, gap);
      const qw = await ops.gemm(this.be, this.q, w);
      const curvature = await ops.dot(this.be, w, qw);
      const { reg, grad } = await this.#upper(xHost, w);
      return { value: 0.5 * gapNorm * gapNorm + reg + 0.5 * sigma * curvature, gradient: grad };
    } finally {
      release();
    }
  }

  dispose(): void {
    for (const t of [this.a, this.q, this.b]) this.be.dispose(t);
  }
}
