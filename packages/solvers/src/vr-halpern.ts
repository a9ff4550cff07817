/**
 * Halpern's iteration with and without variance reduction on a finite sum of cocoercive operators (S17;
 * Cai, Alacaoglu & Diakonikolas, "Variance reduced Halpern iteration for finite-sum monotone inclusions").
 * The operator is F(u) = (1/n)·Σ_i F_i(u) with the linear components F_i(u) = L·a_i(a_iᵀu − b_i): each F_i is
 * L‖a_i‖²-cocoercive, F is L_F-cocoercive with L_F = L·λ_max(AᵀA)/n, and F(u) = 0 is the least-squares
 * problem's normal equations. Halpern's iteration anchors every step to the start u₀:
 *
 *   u_{k+1} = λ_k·u₀ + (1 − λ_k)·(u_k − η·F̃_k),   λ_k = 1/(k + 2),
 *
 * with F̃_k = F(u_k) in the deterministic method (n component calls per iteration; η ≤ 2/L_F makes
 * u ↦ u − ηF(u) nonexpansive, and the residual ‖F(u_k)‖ falls as O(1/k) — the method's last-iterate
 * guarantee). The variance-reduced method replaces F(u_{k+1}) by the loopless recursive (PAGE) estimator
 *
 *   F̃_{k+1} = F(u_{k+1})                                          with probability p,
 *   F̃_{k+1} = F̃_k + (1/b)·Σ_{i∈S} (F_i(u_{k+1}) − F_i(u_k))     otherwise, S b indices drawn with replacement,
 *
 * at p = 1/√n and b = ⌈√n⌉: about 3√n calls per iteration instead of n, with a step η = 1/L set by the
 * components' average constant, so the saving is √n only where L_F ≈ L (the paper's "up to √n"). This is the
 * catalogue's form of the method; the paper's own schedule and constants were not available offline, and its
 * inner extragradient loop for monotone Lipschitz (not cocoercive) sums is not here. The exit test reads the
 * computable residual ‖F(u)‖: every iteration in the deterministic method, at each full evaluation in the
 * variance-reduced one (where it costs nothing extra).
 */
import {
  ArgumentError,
  ShapeError,
  StreamReader,
  hostTensor,
  ops,
  type Backend,
  type DeviceTensor,
  type DType,
} from '@lowrank/core';
import { frobenius } from '@lowrank/linalg';
import { gatherRows } from './gather-rows.ts';

/** F(u) = (1/n)Σ L·a_i(a_iᵀu − b_i) with A and b on the backend; counts component-oracle calls. */
export class LinearFiniteSum {
  #calls = 0;

  private constructor(
    readonly be: Backend,
    readonly dtype: DType,
    readonly n: number,
    readonly d: number,
    readonly lipschitz: number,
    private readonly a: DeviceTensor,
    private readonly b: DeviceTensor,
  ) {}

  /** A (n×d, row-major), b (n) and the components' constant L > 0 (each F_i is L‖a_i‖²-cocoercive). */
  static async create(
    be: Backend,
    dtype: DType,
    a: Float64Array,
    b: Float64Array,
    n: number,
    d: number,
    lipschitz: number,
  ): Promise<LinearFiniteSum> {
    if (!Number.isInteger(n) || !Number.isInteger(d) || n < 1 || d < 1)
      throw new ShapeError(`a finite sum needs n ≥ 1 components in d ≥ 1 dimensions, got n = ${n}, d = ${d}`);
    if (a.length !== n * d || b.length !== n) throw new ShapeError(`finite sum: A must be ${n}×${d} and b ${n}`);
    if (!(lipschitz > 0 && Number.isFinite(lipschitz)))
      throw new ArgumentError(`the components' constant L must be finite and > 0, got ${lipschitz}`);
    const at = await be.upload(hostTensor(dtype, [n, d], a));
    const bt = await be.upload(hostTensor(dtype, [n], b));
    return new LinearFiniteSum(be, dtype, n, d, lipschitz, at, bt);
  }

  /** Component-oracle calls so far (one F_i at one point is one call). */
  get calls(): number {
    return this.#calls;
  }

  resetCalls(): void {
    this.#calls = 0;
  }

  #upload(u: ArrayLike<number>): Promise<DeviceTensor> {
    if (u.length !== this.d) throw new ShapeError(`u has ${u.length} values, the operator ${this.d}`);
    return this.be.upload(hostTensor(this.dtype, [this.d], Float64Array.from(u)));
  }

  /** F(u) = (L/n)·Aᵀ(Au − b): two GEMVs on the backend, n calls. */
  async full(u: ArrayLike<number>): Promise<Float64Array> {
    const { be } = this;
    const release = be.track();
    try {
      const r = await ops.axpy(be, -1, this.b, await ops.gemv(be, this.a, await this.#upload(u)));
      const g = await ops.gemv(be, this.a, r, { trans: true, alpha: this.lipschitz / this.n });
      this.#calls += this.n;
      return Float64Array.from((await be.download(g)).data);
    } finally {
      release();
    }
  }

  /**
   * (1/b)·Σ_{i∈S}(F_i(u) − F_i(v)) = (L/b)·A_Sᵀ A_S (u − v): the rows of S gathered on the backend by a
   * selection matrix (SpMM), then two GEMVs; 2b calls (b_i cancels in the difference, so it is not read).
   */
  async batchDifference(indices: readonly number[], u: ArrayLike<number>, v: ArrayLike<number>): Promise<Float64Array> {
    const { be, d } = this;
    const m = indices.length;
    if (m < 1) throw new ArgumentError('a batch needs at least one index');
    if (u.length !== d || v.length !== d) throw new ShapeError(`u and v need ${d} values`);
    const release = be.track();
    try {
      const delta = Float64Array.from(u, (x, j) => x - v[j]);
      const as = await gatherRows(be, this.a, indices);
      const w = await ops.gemv(be, as, await this.#upload(delta));
      const g = await ops.gemv(be, as, w, { trans: true, alpha: this.lipschitz / m });
      this.#calls += 2 * m;
      return Float64Array.from((await be.download(g)).data);
    } finally {
      release();
    }
  }

  /** L_F = L·λ_max(AᵀA)/n, the cocoercivity constant of F: AᵀA by GEMM, its top eigenvalue by syev. */
  async operatorLipschitz(): Promise<number> {
    const { be } = this;
    const release = be.track();
    try {
      const gram = await ops.gemm(be, this.a, this.a, { transA: true });
      const { values } = await ops.syev(be, gram, { valuesOnly: true });
      return (this.lipschitz * (await be.download(values)).data[0]) / this.n;
    } finally {
      release();
    }
  }

  dispose(): void {
    this.be.dispose(this.a);
    this.be.dispose(this.b);
  }
}

/** One run: iterations taken, component calls, ‖F(u)‖ at each exit test, whether it met the tolerance. */
export interface HalpernRun {
  iterations: number;
  calls: number;
  converged: boolean;
  /** ‖F(u_k)‖ at the iterations k where the exit test ran (every k for the deterministic method). */
  residuals: { k: number; norm: number }[];
  u: Float64Array;
  /** The operator value the last step would use: F(u) (deterministic) or the estimator F̃ (variance reduced). */
  estimator: Float64Array;
}

export interface HalpernOptions {
  /** Step η (> 0): the deterministic method's theory allows up to 2/L_F, the catalogue takes 1/L_F. */
  eta: number;
  /** Stop when ‖F(u_k)‖ ≤ tolerance·‖F(u₀)‖ (0 < tolerance < 1). */
  tolerance: number;
  /** Give up (converged: false) before the calls would exceed this. */
  maxCalls: number;
  /** Or after this many iterations (default unlimited). */
  maxIterations?: number;
  /** The anchor u₀ (default 0). */
  u0?: ArrayLike<number>;
}

export interface VrHalpernOptions extends HalpernOptions {
  /** Probability of a full evaluation (default 1/√n). */
  p?: number;
  /** Batch size b (default ⌈√n⌉). */
  batch?: number;
  /** Randomness: iteration k reads uniforms k·(1 + b) … k·(1 + b) + b of stream 0 of this seed. */
  seed: number;
}

function checkOptions(op: LinearFiniteSum, o: HalpernOptions): Float64Array {
  if (!(o.eta > 0 && Number.isFinite(o.eta))) throw new ArgumentError(`η must be finite and > 0, got ${o.eta}`);
  if (!(o.tolerance > 0 && o.tolerance < 1))
    throw new ArgumentError(`the relative tolerance must lie in (0, 1), got ${o.tolerance}`);
  if (!(o.maxCalls >= op.n)) throw new ArgumentError(`the call budget must cover one full evaluation (${op.n})`);
  const cap = o.maxIterations ?? Infinity;
  if (!(cap >= 0) || (cap !== Infinity && !Number.isInteger(cap)))
    throw new ArgumentError(`the iteration cap must be an integer ≥ 0, got ${cap}`);
  const u0 = Float64Array.from(o.u0 ?? new Float64Array(op.d));
  if (u0.length !== op.d) throw new ShapeError(`u₀ has ${u0.length} values, the operator ${op.d}`);
  if (!u0.every(Number.isFinite)) throw new ArgumentError('u₀ must be finite');
  return u0;
}

/** u_{k+1} = λ_k·u₀ + (1 − λ_k)·(u_k − η·g), λ_k = 1/(k + 2). */
function halpernStep(u0: Float64Array, u: Float64Array, g: Float64Array, eta: number, k: number): Float64Array {
  const lambda = 1 / (k + 2);
  return u.map((x, j) => lambda * u0[j] + (1 - lambda) * (x - eta * g[j]));
}

/**
 * The anchored loop both methods share: `estimate` returns the operator value for the next iterate and
 * whether it is a full evaluation F(u_{k+1}) (then the exit test reads its norm).
 */
async function anchored(
  op: LinearFiniteSum,
  o: HalpernOptions,
  estimate: (
    k: number,
    next: Float64Array,
    u: Float64Array,
    g: Float64Array,
  ) => Promise<{ g: Float64Array; full: boolean }>,
): Promise<HalpernRun> {
  const u0 = checkOptions(op, o);
  const start = op.calls;
  let u = u0;
  let g = await op.full(u);
  const r0 = frobenius(g);
  const residuals = [{ k: 0, norm: r0 }];
  for (let k = 0; ; k++) {
    const converged = residuals[residuals.length - 1].norm <= o.tolerance * r0;
    if (converged || k >= (o.maxIterations ?? Infinity) || op.calls - start + op.n > o.maxCalls)
      return { iterations: k, calls: op.calls - start, converged, residuals, u, estimator: g };
    const next = halpernStep(u0, u, g, o.eta, k);
    const e = await estimate(k, next, u, g);
    if (e.full) residuals.push({ k: k + 1, norm: frobenius(e.g) });
    g = e.g;
    u = next;
  }
}

/** The deterministic Halpern iteration: F(u_k) in full every iteration, the exit test every iteration. */
export function halpern(op: LinearFiniteSum, o: HalpernOptions): Promise<HalpernRun> {
  return anchored(op, o, async (_k, next) => ({ g: await op.full(next), full: true }));
}

/** Halpern with the loopless recursive (PAGE) estimator; the exit test at each full evaluation. */
export async function vrHalpern(op: LinearFiniteSum, o: VrHalpernOptions): Promise<HalpernRun> {
  const p = o.p ?? 1 / Math.sqrt(op.n);
  const batch = o.batch ?? Math.ceil(Math.sqrt(op.n));
  if (!(p > 0 && p <= 1)) throw new ArgumentError(`the full-evaluation probability must lie in (0, 1], got ${p}`);
  if (!Number.isInteger(batch) || batch < 1)
    throw new ArgumentError(`the batch size must be an integer ≥ 1, got ${batch}`);
  return anchored(op, o, async (k, next, u, g) => {
    const draw = new StreamReader({ seed: o.seed, stream: 0 }, k * (1 + batch));
    if (draw.uniform() < p) return { g: await op.full(next), full: true };
    const indices = Array.from({ length: batch }, () => Math.min(op.n - 1, Math.floor(draw.uniform() * op.n)));
    const diff = await op.batchDifference(indices, next, u);
    return { g: g.map((x, j) => x + diff[j]), full: false };
  });
}
