/**
 * AdaSketch-Newton (S38; Hong, Na, Mahoney & Kolar, "Constrained optimization via exact augmented Lagrangian
 * and randomized iterative sketching", ICML 2023): min f(x) s.t. c(x) = 0 by Newton steps on the KKT system
 *
 *   K·[Δx; Δλ] = −[∇ₓL; c],   K = [B Jᵀ; J 0],   B = ∇²ₓL (+ t·I when the reduced Hessian is not positive),
 *
 * solved inexactly by a randomized sketching solver, with a line search on the exact augmented Lagrangian
 *
 *   L_{η₁,η₂}(x, λ) = f + λᵀc + (η₁/2)‖c‖² + (η₂/2)‖∇ₓL‖²,
 *   ∇ₓ = ∇ₓL + η₂·∇²ₓL·∇ₓL + η₁·Jᵀc,   ∇_λ = c + η₂·J·∇ₓL.
 *
 * Every rule follows the authors' code (IlgeeHong/AdaSketch-Newton, AdaSketchNewtonRK.jl and Param.jl): stop
 * when λ_min(JJᵀ) < 1e-2 (LICQ fails numerically); t = ξ_B + ‖∇²ₓL‖_F when λ_min(ZᵀBZ) < 1e-6 on the null
 * space Z of J; ψ = 20·max(‖B‖²_F, 1)/(min(λ_min(JJᵀ), 1)·min(ξ_B, 1)), Υ = max(‖J‖_F, ‖∇²ₓL‖_F, 1),
 * δ = max(min(δ, (½ − β)η₂/((1 + η₁ + η₂)Υ²ψ²)), 1e-6); the solver runs until ‖K‖_F·ψ·‖r‖ ≤ θ·δ·‖b‖ (θ = 1);
 * the direction must satisfy ∇L_{η}ᵀΔ ≤ −(η₂/2)‖b‖², else η₁ ← ν²η₁, η₂ ← η₂/ν, δ ← δ/ν⁴ and the solver
 * continues; Armijo with β = 0.1, halving. Constants η₁ = 1, η₂ = 0.1, δ = 0.1, ξ_B = 0.1, β = 0.1, ν = 1.5.
 * The code's accuracy makes the solves exact to about 1e-9; the catalogue's rate study instead asks for a
 * relative residual θ_k (‖r‖ ≤ θ_k·ν^{−4j}‖b‖, j the failed descent tests, tightening as the code's δ does).
 *
 * Deviations, named: the solver is block sketch-and-project (random blocks of rows, z ← z − K_Sᵀ(K_SK_Sᵀ)⁻¹r_S,
 * the catalogue's block Kaczmarz) rather than the code's single rows or Gaussian vectors; the merit gradient
 * uses ∇²ₓL where the code has ∇²f (equal for linear constraints; ∇²ₓL is the exact gradient); Armijo accepts a
 * step whose excess over the bound is within 10ε of the merit's size (the merit cannot resolve the decrease
 * near the solution; IPOPT's relaxation); a residual below its own rounding level 4Nε(‖K‖_F‖z‖ + ‖b‖) counts as
 * met.
 */
import {
  ArgumentError,
  NumericalError,
  StreamReader,
  choleskyFactor,
  choleskySolve,
  computeEps,
  hostTensor,
  ops,
  type Backend,
  type DeviceTensor,
  type DType,
} from '@lowrank/core';
import { gatherRows } from './gather-rows.ts';
import { frobenius, luSolve } from '@lowrank/linalg';

/** min f(x) s.t. c(x) = 0, x ∈ ℝⁿ, c ∈ ℝᵐ; matrices row-major. */
export interface EqualityProblem {
  readonly n: number;
  readonly m: number;
  value(x: Float64Array): number;
  gradient(x: Float64Array): Float64Array;
  hessian(x: Float64Array): Float64Array;
  constraints(x: Float64Array): Float64Array;
  jacobian(x: Float64Array): Float64Array;
  /** Σ_i λ_i·∇²c_i(x). */
  constraintHessian(x: Float64Array, lambda: Float64Array): Float64Array;
}

/** The authors' constants (Param.jl). */
export const EAL_CONSTANTS = { eta1: 1, eta2: 0.1, delta: 0.1, xiB: 0.1, beta: 0.1, nu: 1.5 } as const;

export type EalAccuracy = { kind: 'code' } | { kind: 'relative'; theta: (kkt: number) => number };

export interface EalOptions {
  accuracy: EalAccuracy;
  /** 'sketch': block sketch-and-project on the backend; 'exact': LU on the backend (the comparison). */
  solver: 'sketch' | 'exact';
  /** Rows per sketch (default 10, the catalogue's). */
  block?: number;
  /** Stop at ‖[∇ₓL; c]‖ ≤ tolerance (default 1e-8). */
  tolerance?: number;
  maxIterations?: number;
  /** Sketch steps per solve before the solver gives up on the threshold (the code's 1e5). */
  maxInner?: number;
  seed: number;
}

export interface EalRun {
  converged: boolean;
  /** KKT residual ‖[∇ₓL; c]‖ at each iterate, the start first. */
  kkt: number[];
  /** The accepted step size of each iteration. */
  steps: number[];
  /** Sketch steps of each iteration's solve (0 for LU). */
  inner: number[];
  /** Solves that hit maxInner. */
  capped: number;
  flops: number;
  eta1: number;
  eta2: number;
  x: Float64Array;
  lambda: Float64Array;
}

const dotv = (a: ArrayLike<number>, b: ArrayLike<number>): number => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
};

/** y = M·v for row-major M (rows × v.length), or Mᵀ·v when `t`. */
function matvec(mat: Float64Array, rows: number, cols: number, v: ArrayLike<number>, t = false): Float64Array {
  const out = new Float64Array(t ? cols : rows);
  for (let i = 0; i < rows; i++)
    for (let j = 0; j < cols; j++) {
      if (t) out[j] += mat[i * cols + j] * v[i];
      else out[i] += mat[i * cols + j] * v[j];
    }
  return out;
}

/** ∇ₓL = ∇f + Jᵀλ and ∇²ₓL = ∇²f + Σλ_i∇²c_i at (x, λ). */
function lagrangian(p: EqualityProblem, x: Float64Array, lambda: Float64Array) {
  const c = p.constraints(x),
    jac = p.jacobian(x);
  const g = p.gradient(x);
  const jl = matvec(jac, p.m, p.n, lambda, true);
  const gradL = g.map((v, i) => v + jl[i]);
  return { c, jac, gradL };
}

/** The exact augmented Lagrangian L_{η₁,η₂}(x, λ). */
export function meritValue(
  p: EqualityProblem,
  x: Float64Array,
  lambda: Float64Array,
  eta1: number,
  eta2: number,
): number {
  const { c, gradL } = lagrangian(p, x, lambda);
  return p.value(x) + dotv(c, lambda) + (eta1 / 2) * dotv(c, c) + (eta2 / 2) * dotv(gradL, gradL);
}

/** ∇L_{η₁,η₂} = [∇ₓL + η₂∇²ₓL∇ₓL + η₁Jᵀc; c + η₂J∇ₓL] (n + m). */
export function meritGradient(
  p: EqualityProblem,
  x: Float64Array,
  lambda: Float64Array,
  eta1: number,
  eta2: number,
): Float64Array {
  const { c, jac, gradL } = lagrangian(p, x, lambda);
  const hl = hessianL(p, x, lambda);
  const hg = matvec(hl, p.n, p.n, gradL),
    jc = matvec(jac, p.m, p.n, c, true),
    jg = matvec(jac, p.m, p.n, gradL);
  const out = new Float64Array(p.n + p.m);
  for (let i = 0; i < p.n; i++) out[i] = gradL[i] + eta2 * hg[i] + eta1 * jc[i];
  for (let i = 0; i < p.m; i++) out[p.n + i] = c[i] + eta2 * jg[i];
  return out;
}

function hessianL(p: EqualityProblem, x: Float64Array, lambda: Float64Array): Float64Array {
  const h = p.hessian(x),
    hc = p.constraintHessian(x, lambda);
  return h.map((v, i) => v + hc[i]);
}

/** Symmetric eigenvalues (descending) and optionally vectors of a host matrix, on the backend. */
async function eig(be: Backend, dtype: DType, a: Float64Array, n: number, vectors = false) {
  const release = be.track();
  try {
    const r = await ops.syev(be, await be.upload(hostTensor(dtype, [n, n], a)), { valuesOnly: !vectors });
    const values = Float64Array.from((await be.download(r.values)).data);
    return { values, vectors: vectors ? Float64Array.from((await be.download(r.vectors)).data) : undefined };
  } finally {
    release();
  }
}

/** B = ∇²ₓL + t·I with the code's modification, and λ_min(JJᵀ). */
async function modifiedHessian(be: Backend, dtype: DType, p: EqualityProblem, hl: Float64Array, jac: Float64Array) {
  const { n, m } = p;
  const jjt = new Float64Array(m * m);
  for (let i = 0; i < m; i++)
    for (let k = 0; k < m; k++)
      jjt[i * m + k] = dotv(jac.subarray(i * n, (i + 1) * n), jac.subarray(k * n, (k + 1) * n));
  const xiG = (await eig(be, dtype, jjt, m)).values[m - 1];
  if (!(xiG >= 1e-2))
    throw new NumericalError(
      `AdaSketch-Newton: λ_min(JJᵀ) = ${xiG.toExponential(2)} < 1e-2: the constraints' gradients are (nearly) dependent, outside the method's domain (LICQ)`,
    );
  let t = 0;
  if (m < n) {
    // Z: the eigenvectors of JᵀJ for its n − m zero eigenvalues (the last columns; values descending).
    const jtj = new Float64Array(n * n);
    for (let i = 0; i < m; i++)
      for (let a = 0; a < n; a++) for (let b = 0; b < n; b++) jtj[a * n + b] += jac[i * n + a] * jac[i * n + b];
    const zs = (await eig(be, dtype, jtj, n, true)).vectors!;
    const k = n - m;
    const z = new Float64Array(n * k);
    for (let a = 0; a < n; a++) for (let j = 0; j < k; j++) z[a * k + j] = zs[a * n + m + j];
    const hz = new Float64Array(n * k);
    for (let a = 0; a < n; a++)
      for (let j = 0; j < k; j++) {
        let s = 0;
        for (let b = 0; b < n; b++) s += hl[a * n + b] * z[b * k + j];
        hz[a * k + j] = s;
      }
    const red = new Float64Array(k * k);
    for (let i = 0; i < k; i++)
      for (let j = 0; j < k; j++) {
        let s = 0;
        for (let a = 0; a < n; a++) s += z[a * k + i] * hz[a * k + j];
        red[i * k + j] = s;
      }
    if ((await eig(be, dtype, red, k)).values[k - 1] < 1e-6) t = EAL_CONSTANTS.xiB + frobenius(hl);
  }
  const b = Float64Array.from(hl);
  for (let i = 0; i < n; i++) b[i * n + i] += t;
  return { b, xiG, shift: t };
}

/** −[∇ₓL; c] at (x, λ): the Newton system's right-hand side, whose norm is the KKT residual. */
export function newtonRhs(p: EqualityProblem, x: Float64Array, lambda: Float64Array): Float64Array {
  const { c, gradL } = lagrangian(p, x, lambda);
  const rhs = new Float64Array(p.n + p.m);
  gradL.forEach((v, i) => (rhs[i] = -v));
  c.forEach((v, i) => (rhs[p.n + i] = -v));
  return rhs;
}

/** The Newton system at (x, λ): K = [B Jᵀ; J 0] with the code's modified B, rhs = −[∇ₓL; c], ψ, Υ, the shift t. */
export async function newtonSystem(
  be: Backend,
  dtype: DType,
  p: EqualityProblem,
  x: Float64Array,
  lambda: Float64Array,
) {
  const { jac } = lagrangian(p, x, lambda);
  const hl = hessianL(p, x, lambda);
  const { b, xiG, shift } = await modifiedHessian(be, dtype, p, hl, jac);
  const rhs = newtonRhs(p, x, lambda);
  return {
    k: kktMatrix(b, jac, p.n, p.m),
    rhs,
    shift,
    psi: (20 * Math.max(dotv(b, b), 1)) / (Math.min(xiG, 1) * Math.min(EAL_CONSTANTS.xiB, 1)),
    ups: Math.max(frobenius(jac), frobenius(hl), 1),
  };
}

/** The KKT matrix [B Jᵀ; J 0] (N = n + m, row-major). */
function kktMatrix(b: Float64Array, jac: Float64Array, n: number, m: number): Float64Array {
  const N = n + m;
  const k = new Float64Array(N * N);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) k[i * N + j] = b[i * n + j];
  for (let i = 0; i < m; i++)
    for (let j = 0; j < n; j++) {
      k[(n + i) * N + j] = jac[i * n + j];
      k[j * N + n + i] = jac[i * n + j];
    }
  return k;
}

/**
 * Block sketch-and-project on K·z = rhs with K on the backend: each step draws `block` distinct rows S,
 * gathers K_S (SpMM with a selection pattern), solves (K_SK_Sᵀ)y = r_S by Cholesky and moves z ← z − K_Sᵀy;
 * the residual r = K·z − rhs is recomputed by GEMV for the stopping test. From z = 0.
 */
export class KktSketchSolver {
  z: Float64Array;
  r: Float64Array;
  steps = 0;
  flops = 0;
  readonly #draws: StreamReader;
  readonly #kNorm: number;

  private constructor(
    readonly be: Backend,
    readonly dtype: DType,
    readonly rhs: Float64Array,
    readonly block: number,
    seed: number,
    kNorm: number,
    private readonly kt: DeviceTensor,
  ) {
    this.z = new Float64Array(rhs.length);
    this.r = rhs.map((v) => -v);
    this.#draws = new StreamReader({ seed, stream: 0 });
    this.#kNorm = kNorm;
  }

  /** K (N×N, row-major, nonsingular) and rhs (N); `block` rows per step, draws from stream 0 of `seed`. */
  static async create(
    be: Backend,
    dtype: DType,
    k: Float64Array,
    rhs: Float64Array,
    block: number,
    seed: number,
  ): Promise<KktSketchSolver> {
    const N = rhs.length;
    if (k.length !== N * N) throw new ArgumentError(`K must be ${N}×${N} for a right-hand side of ${N}`);
    if (!Number.isInteger(block) || block < 1 || block > N)
      throw new ArgumentError(`the sketch block must be an integer in [1, ${N}], got ${block}`);
    const kt = await be.upload(hostTensor(dtype, [N, N], k));
    return new KktSketchSolver(be, dtype, Float64Array.from(rhs), block, seed, frobenius(k), kt);
  }

  get residual(): number {
    return frobenius(this.r);
  }

  /** Below this the residual is rounding: 4Nε(‖K‖_F‖z‖ + ‖rhs‖). */
  floor(): number {
    const eps = computeEps(this.be, this.dtype);
    return 4 * this.rhs.length * eps * (this.#kNorm * frobenius(this.z) + frobenius(this.rhs));
  }

  /** Steps until ‖r‖ ≤ max(target, floor) or `maxSteps` more steps; true when it stopped on the cap. */
  async until(target: number, maxSteps: number): Promise<boolean> {
    for (let t = 0; this.residual > Math.max(target, this.floor()); t++) {
      if (t >= maxSteps) return true;
      await this.step();
    }
    return false;
  }

  #rows(): number[] {
    const N = this.rhs.length;
    const perm = Array.from({ length: N }, (_, i) => i);
    for (let j = 0; j < this.block; j++) {
      const i = j + Math.min(N - j - 1, Math.floor(this.#draws.uniform() * (N - j)));
      [perm[j], perm[i]] = [perm[i], perm[j]];
    }
    return perm.slice(0, this.block).sort((a, b) => a - b);
  }

  async step(): Promise<void> {
    const { be, dtype, block } = this;
    const N = this.rhs.length;
    const rows = this.#rows();
    const release = be.track();
    try {
      const ks = await gatherRows(be, this.kt, rows);
      const gram = (await be.download(await ops.gemm(be, ks, ks, { transB: true }))).data;
      const y = choleskySolve(
        choleskyFactor(gram, block, 'K_S·K_Sᵀ'),
        block,
        rows.map((i) => this.r[i]),
      );
      const yt = await be.upload(hostTensor(dtype, [block], y));
      const dz = (await be.download(await ops.gemv(be, ks, yt, { trans: true }))).data;
      this.z = this.z.map((v, i) => v - dz[i]);
      const zt = await be.upload(hostTensor(dtype, [N], this.z));
      const rt = await be.upload(hostTensor(dtype, [N], this.rhs));
      this.r = Float64Array.from((await be.download(await ops.gemv(be, this.kt, zt, { beta: -1, y: rt }))).data);
      this.steps++;
      this.flops += 2 * N * N + 2 * block * block * N + 3 * block * N + block ** 3 / 3;
    } finally {
      release();
    }
  }

  dispose(): void {
    this.be.dispose(this.kt);
  }
}

/** The Newton direction by LU with partial pivoting on the backend (the comparison). */
export async function exactDirection(
  be: Backend,
  dtype: DType,
  k: Float64Array,
  rhs: Float64Array,
): Promise<Float64Array> {
  const N = rhs.length;
  const release = be.track();
  try {
    const kt = await be.upload(hostTensor(dtype, [N, N], k));
    return Float64Array.from(
      (await be.download(await luSolve(be, kt, await be.upload(hostTensor(dtype, [N, 1], rhs))))).data,
    );
  } finally {
    release();
  }
}

/** The inner threshold on ‖r‖ the accuracy rule sets (before the rounding floor). */
function threshold(a: EalAccuracy, kkt: number, bNorm: number, delta: number, scale: number, failed: number): number {
  if (a.kind === 'code') return (delta * bNorm) / scale;
  return a.theta(kkt) * EAL_CONSTANTS.nu ** (-4 * failed) * bNorm;
}

/** Armijo on the merit, halving from α = 1; accepts within 10ε of the merit's size (see the header). */
function armijo(
  p: EqualityProblem,
  x: Float64Array,
  lambda: Float64Array,
  dir: Float64Array,
  eta1: number,
  eta2: number,
  slope: number,
): number {
  const { beta } = EAL_CONSTANTS;
  const m0 = meritValue(p, x, lambda, eta1, eta2);
  const slack = 10 * 2 ** -52 * Math.abs(m0);
  for (let alpha = 1; alpha > 2 ** -60; alpha /= 2) {
    const xs = x.map((v, i) => v + alpha * dir[i]),
      ls = lambda.map((v, i) => v + alpha * dir[p.n + i]);
    if (meritValue(p, xs, ls, eta1, eta2) - m0 - alpha * beta * slope <= slack) return alpha;
  }
  throw new NumericalError(
    'AdaSketch-Newton: the line search found no decrease of the merit (not a descent direction)',
  );
}

/** Runs AdaSketch-Newton from (x₀, λ₀); see the header for every rule. */
export async function adaSketchNewton(
  be: Backend,
  dtype: DType,
  p: EqualityProblem,
  x0: ArrayLike<number>,
  lambda0: ArrayLike<number>,
  o: EalOptions,
): Promise<EalRun> {
  const { n, m } = p;
  const N = n + m;
  if (x0.length !== n || lambda0.length !== m)
    throw new ArgumentError(
      `the start needs x with ${n} and λ with ${m} values, got ${x0.length} and ${lambda0.length}`,
    );
  const tolerance = o.tolerance ?? 1e-8,
    maxIterations = o.maxIterations ?? 200,
    maxInner = o.maxInner ?? 1e5,
    block = o.block ?? Math.min(10, N);
  if (!(tolerance > 0)) throw new ArgumentError(`the KKT tolerance must be > 0, got ${tolerance}`);
  let eta1: number = EAL_CONSTANTS.eta1,
    eta2: number = EAL_CONSTANTS.eta2,
    delta: number = EAL_CONSTANTS.delta;
  const { beta, nu } = EAL_CONSTANTS;
  let x = Float64Array.from(x0),
    lambda = Float64Array.from(lambda0);
  const run: EalRun = { converged: false, kkt: [], steps: [], inner: [], capped: 0, flops: 0, eta1, eta2, x, lambda };
  for (let k = 0; ; k++) {
    const rhs = newtonRhs(p, x, lambda);
    const kkt = frobenius(rhs);
    if (!Number.isFinite(kkt))
      throw new NumericalError(`AdaSketch-Newton: the KKT residual is ${kkt} at iteration ${k}`);
    run.kkt.push(kkt);
    if (kkt <= tolerance || k >= maxIterations) {
      Object.assign(run, { converged: kkt <= tolerance, eta1, eta2, x, lambda });
      return run;
    }
    const sys = await newtonSystem(be, dtype, p, x, lambda);
    const { psi, ups } = sys;
    const trial = () => ((0.5 - beta) * eta2) / ((1 + eta1 + eta2) * ups ** 2 * psi ** 2);
    delta = Math.max(Math.min(delta, trial()), 1e-6);
    const kmat = sys.k;
    const scale = frobenius(kmat) * psi;
    const solver =
      o.solver === 'sketch' ? await KktSketchSolver.create(be, dtype, kmat, rhs, block, o.seed * 1_000_003 + k) : null;
    let dir: Float64Array;
    try {
      const exact = solver ? null : await exactDirection(be, dtype, kmat, rhs);
      if (!solver) run.flops += (2 / 3) * N ** 3 + 2 * N * N;
      for (let failed = 0; ; failed++) {
        if (solver && (await solver.until(threshold(o.accuracy, kkt, kkt, delta, scale, failed), maxInner)))
          run.capped++;
        dir = solver ? solver.z : exact!;
        const slope = dotv(meritGradient(p, x, lambda, eta1, eta2), dir);
        if (eta1 > 1e8 || eta2 < 1e-8 || slope <= -(eta2 / 2) * kkt * kkt) break;
        eta1 *= nu * nu;
        eta2 /= nu;
        delta = Math.max(Math.min(delta / nu ** 4, trial()), 1e-6);
      }
      run.inner.push(solver ? solver.steps : 0);
      run.flops += solver ? solver.flops : 0;
    } finally {
      solver?.dispose();
    }
    const slope = dotv(meritGradient(p, x, lambda, eta1, eta2), dir);
    const alpha = armijo(p, x, lambda, dir, eta1, eta2, slope);
    run.steps.push(alpha);
    x = x.map((v, i) => v + alpha * dir[i]);
    lambda = lambda.map((v, i) => v + alpha * dir[n + i]);
  }
}
