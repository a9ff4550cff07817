/**
 * S12's first-order penalty method on a non-quadratic bilevel problem (Kwon et al.; FORMULAS.md gives ψ_σ
 * and its gradient):
 *
 *   ∇ψ_σ(x) = ∇ₓf(x, y_σ) + (∇ₓg(x, y_σ) − ∇ₓg(x, y*))/σ,   y_σ = argmin_y σf(x, y) + g(x, y),   y* = argmin_y g(x, y).
 *
 * One outer step: T gradient steps on σf(x, ·) + g(x, ·) from the previous y (step 1/(σL_f + L_g)), T on
 * g(x, ·) from the previous z (step 1/L_g), then x ← x − α·(∇ₓf(x, y) + (∇ₓg(x, y) − ∇ₓg(x, z))/σ). Only
 * gradients of f and g are called, never a Hessian or a solve. This is the deterministic form of the
 * authors' fully first-order method (F2SA, Kwon et al. 2023) with fixed inner counts: the paper's own
 * step-size and inner-accuracy schedule was not recoverable offline (FORMULAS.md has the abstract and
 * two secondary sources), so this is the closest standard method, named in the claim.
 *
 * The instance (a non-quadratic lower level, a non-convex upper level; everything is smooth):
 *
 *   g(x, y) = ½yᵀQy − yᵀBx + γ·Σᵢ log cosh yᵢ,            ∇ᵧg = Qy − Bx + γ·tanh y,   ∇ₓg = −Bᵀy,
 *   f(x, y) = Σᵢ log cosh(yᵢ − aᵢ) + (ρ/2)‖x‖² − β·Σⱼ log cosh xⱼ,   ∇ᵧf = tanh(y − a),   ∇ₓf = ρx − β·tanh x.
 *
 * ∇²ᵧᵧg = Q + γ·diag(sech² y) lies between Q and Q + γI, so the lower level is λ_min(Q)-strongly convex
 * with a unique y*(x); with β > ρ each upper coordinate is a double well, so F is not convex. Many
 * starting points run at once, one per column, so the inner loops are d×m products on the backend.
 *
 * The referee, `hyperGradient`, is independent of the method: y* by Newton's method on the host in f64
 * (Cholesky of the exact Hessian), then the implicit-function form ∇F = ∇ₓf + Bᵀ(∇²ᵧᵧg)⁻¹∇ᵧf at y*.
 */
import {
  ArgumentError,
  NumericalError,
  ShapeError,
  choleskyFactor,
  choleskySolve,
  hostTensor,
  ops,
  type Backend,
  type DeviceTensor,
  type DType,
} from '@lowrank/core';
import { matmul } from '@lowrank/linalg';
import type { QuadraticBilevelData } from './penalty-bilevel.ts';

export interface LogcoshBilevelData extends QuadraticBilevelData {
  /** Weight of the log cosh term in g (its curvature is at most γ). */
  gamma: number;
  /** Weight of the concave −log cosh term in f's upper variable (a double well per coordinate when β > ρ). */
  beta: number;
}

export interface PenaltyMethodOptions {
  /** The penalty parameter, σ = O(ε). */
  sigma: number;
  /** Gradient steps per inner loop (T for y and T for z per outer step). */
  inner: number;
  /** The outer step α. */
  step: number;
  /** Smoothness of g in y (≥ λ_max(Q) + γ) and of f in y (≥ 1 for log cosh). */
  lipschitzG: number;
  lipschitzF: number;
}

/** Gradient evaluations per outer step: T of ∇f and ∇g at y, T of ∇g at z, then ∇ₓf and ∇ₓg at y and ∇ₓg at z. */
export const evaluationsPerOuterStep = (inner: number): number => 3 * inner + 3;

const logcosh = (v: number): number => {
  const a = Math.abs(v);
  return a + Math.log1p(Math.exp(-2 * a)) - Math.LN2;
};

function checkData(data: LogcoshBilevelData): void {
  const { d, p } = data;
  if (data.a.length !== d || data.q.length !== d * d || data.b.length !== d * p)
    throw new ShapeError(`log cosh bilevel: a, Q, B must be ${d}, ${d}×${d}, ${d}×${p}`);
  for (const [name, v] of [
    ['ρ', data.rho],
    ['β', data.beta],
    ['γ', data.gamma],
  ] as const)
    if (!Number.isFinite(v) || v < 0) throw new ArgumentError(`${name} must be finite and ≥ 0, got ${v}`);
}

/** ∇²ᵧᵧg = Q + γ·diag(sech² y), row-major. */
function lowerHessian(data: LogcoshBilevelData, y: ArrayLike<number>): Float64Array {
  const { d, q, gamma } = data;
  const hessian = Float64Array.from(q);
  for (let i = 0; i < d; i++) hessian[i * d + i] += gamma / Math.cosh(y[i]) ** 2;
  return hessian;
}

/** y*(x) = argmin_y g(x, y) by Newton's method (g is strongly convex in y), in f64 on the host. */
export function lowerSolution(data: LogcoshBilevelData, x: ArrayLike<number>): Float64Array {
  checkData(data);
  const { d, p, q, b, gamma } = data;
  if (x.length !== p) throw new ShapeError(`x has ${x.length} values, the upper level ${p}`);
  const bx = matmul(b, d, p, x, p, 1);
  let y = choleskySolve(choleskyFactor(q, d, 'Q'), d, bx);
  for (let it = 0; it < 100; it++) {
    const residual = new Float64Array(d);
    for (let i = 0; i < d; i++) {
      let s = -bx[i] + gamma * Math.tanh(y[i]);
      for (let k = 0; k < d; k++) s += q[i * d + k] * y[k];
      residual[i] = s;
    }
    const delta = choleskySolve(choleskyFactor(lowerHessian(data, y), d, '∇²ᵧᵧg'), d, residual);
    y = y.map((v, i) => v - delta[i]);
    const size = Math.hypot(...delta),
      scale = Math.hypot(...y);
    if (size <= 4 * Number.EPSILON * (1 + scale)) return y;
  }
  throw new NumericalError('Newton on the lower level did not converge in 100 steps (g is strongly convex in y)');
}

/** F(x) = f(x, y*(x)) and ∇F(x) by the implicit-function theorem, the method's referee. */
export function hyperGradient(
  data: LogcoshBilevelData,
  x: ArrayLike<number>,
): { value: number; gradient: Float64Array } {
  const { d, p, b, a, rho, beta } = data;
  const y = lowerSolution(data, x);
  const fy = y.map((v, i) => Math.tanh(v - a[i]));
  const bt = matmul(b, d, p, choleskySolve(choleskyFactor(lowerHessian(data, y), d, '∇²ᵧᵧg'), d, fy), d, 1, true);
  let value = 0;
  for (let i = 0; i < d; i++) value += logcosh(y[i] - a[i]);
  for (let j = 0; j < x.length; j++) value += (rho / 2) * x[j] * x[j] - beta * logcosh(x[j]);
  return { value, gradient: Float64Array.from(bt, (t, j) => rho * x[j] - beta * Math.tanh(x[j]) + t) };
}

/** The method, for m starting points at once (columns of the p×m iterate X). */
export class PenaltyMethod {
  #x: DeviceTensor;
  #y: DeviceTensor;
  #z: DeviceTensor;
  #outer = 0;

  private constructor(
    readonly be: Backend,
    readonly dtype: DType,
    readonly data: LogcoshBilevelData,
    readonly options: PenaltyMethodOptions,
    readonly runs: number,
    private readonly q: DeviceTensor,
    private readonly b: DeviceTensor,
    private readonly a: DeviceTensor,
    x: DeviceTensor,
  ) {
    this.#x = x;
    this.#y = be.zeros(dtype, [data.d, runs]);
    this.#z = be.zeros(dtype, [data.d, runs]);
  }

  static async create(
    be: Backend,
    dtype: DType,
    data: LogcoshBilevelData,
    starts: readonly ArrayLike<number>[],
    options: PenaltyMethodOptions,
  ): Promise<PenaltyMethod> {
    checkData(data);
    const { d, p } = data;
    const { sigma, inner, step, lipschitzF, lipschitzG } = options;
    if (!(sigma > 0) || !Number.isFinite(sigma)) throw new ArgumentError(`σ must be finite and > 0, got ${sigma}`);
    if (!Number.isInteger(inner) || inner < 1)
      throw new ArgumentError(`inner steps must be an integer ≥ 1, got ${inner}`);
    for (const [name, v] of [
      ['α', step],
      ['L_g', lipschitzG],
      ['L_f', lipschitzF],
    ] as const)
      if (!(v > 0) || !Number.isFinite(v)) throw new ArgumentError(`${name} must be finite and > 0, got ${v}`);
    const m = starts.length;
    if (m === 0) throw new ArgumentError('the method needs at least one starting point');
    const x0 = new Float64Array(p * m);
    starts.forEach((s, k) => {
      if (s.length !== p) throw new ShapeError(`starting point ${k} has ${s.length} values, the upper level ${p}`);
      for (let j = 0; j < p; j++) x0[j * m + k] = s[j];
    });
    const repeatedA = new Float64Array(d * m);
    for (let i = 0; i < d; i++) repeatedA.fill(data.a[i], i * m, (i + 1) * m);
    const upload = (shape: [number, number], v: Float64Array) => be.upload(hostTensor(dtype, shape, v));
    return new PenaltyMethod(
      be,
      dtype,
      data,
      options,
      m,
      await upload([d, d], data.q),
      await upload([d, p], data.b),
      await upload([d, m], repeatedA),
      await upload([p, m], x0),
    );
  }

  /** Outer steps taken. */
  get outerSteps(): number {
    return this.#outer;
  }

  /** Gradient evaluations per run so far. */
  get evaluations(): number {
    return this.#outer * evaluationsPerOuterStep(this.options.inner);
  }

  /** ∇ᵧg(X, V) = Q·V − B·X + γ·tanh V, with B·X given. */
  async #gradYg(bx: DeviceTensor, v: DeviceTensor): Promise<DeviceTensor> {
    const out = await ops.binary(this.be, 'sub', await ops.gemm(this.be, this.q, v), bx);
    return ops.axpy(this.be, this.data.gamma, await ops.unary(this.be, 'tanh', v), out);
  }

  /** T steps of v ← v − η·(w·∇ᵧf + ∇ᵧg) from the current v (w = σ for y_σ, 0 for y*). */
  async #descend(bx: DeviceTensor, v: DeviceTensor, weightF: number): Promise<DeviceTensor> {
    const { be } = this;
    const eta = 1 / (weightF * this.options.lipschitzF + this.options.lipschitzG);
    for (let t = 0; t < this.options.inner; t++) {
      const release = be.track();
      const grad = await this.#gradYg(bx, v);
      if (weightF > 0) {
        const gf = await ops.unary(be, 'tanh', await ops.binary(be, 'sub', v, this.a));
        await ops.axpy(be, weightF, gf, grad);
      }
      const next = await ops.axpy(be, -eta, grad, await ops.copy(be, v));
      release(next);
      if (v !== this.#y && v !== this.#z) be.dispose(v);
      v = next;
    }
    return v;
  }

  /**
   * The inner loops at the current X, then ∇ψ_σ's estimate there:
   * ∇ₓf(x, y) + (∇ₓg(x, y) − ∇ₓg(x, z))/σ = ρX − β·tanh X + (BᵀZ − BᵀY)/σ.
   */
  async direction(): Promise<DeviceTensor> {
    const { be } = this;
    const { sigma } = this.options;
    const release = be.track();
    const bx = await ops.gemm(be, this.b, this.#x);
    const y = await this.#descend(bx, this.#y, sigma);
    const z = await this.#descend(bx, this.#z, 0);
    const gxAtY = await ops.gemm(be, this.b, y, { transA: true });
    const gxAtZ = await ops.gemm(be, this.b, z, { transA: true });
    const dir = await ops.scal(be, 1 / sigma, await ops.binary(be, 'sub', gxAtZ, gxAtY));
    await ops.axpy(be, this.data.rho, this.#x, dir);
    await ops.axpy(be, -this.data.beta, await ops.unary(be, 'tanh', this.#x), dir);
    release(dir, y, z);
    be.dispose(this.#y);
    be.dispose(this.#z);
    this.#y = y;
    this.#z = z;
    return dir;
  }

  /** One outer step: the inner loops, then x ← x − α·∇ψ_σ's estimate. */
  async step(): Promise<void> {
    const dir = await this.direction();
    await ops.axpy(this.be, -this.options.step, dir, this.#x);
    this.be.dispose(dir);
    this.#outer++;
  }

  /** The current iterates, one p-vector per run. */
  async points(): Promise<Float64Array[]> {
    const { p } = this.data;
    const m = this.runs;
    const x = (await this.be.download(this.#x)).data;
    return Array.from({ length: m }, (_, k) => Float64Array.from({ length: p }, (_, j) => x[j * m + k]));
  }

  dispose(): void {
    for (const t of [this.q, this.b, this.a, this.#x, this.#y, this.#z]) this.be.dispose(t);
  }
}
