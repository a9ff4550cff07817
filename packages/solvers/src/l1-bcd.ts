/**
 * Greedy block coordinate descent on the non-negative ℓ₁-regularized least squares of S28 (c) (Nutini,
 * Laradji & Schmidt, §6, "active-set complexity and superlinear convergence"):
 *
 *   min F(x) = ½‖Ax − b‖² + λ·Σx_i  s.t. x ≥ 0     (the authors' Least_Square_L1_NN),
 *
 * with g = ∇(½‖Ax − b‖² + λΣx) = Aᵀ(Ax − b) + λ on the backend. As in the authors' code
 * (IssamLaradji/BlockCoordinateDescent, VB_selection_rules.py "gsq-nn", update_rules.py): the block is the k
 * coordinates whose projected coordinate step d_i = max(x_i − g_i/L_i, 0) − x_i (L_i = ‖a_i‖²) promises the
 * largest decrease g_i·d_i + (L_i/2)d_i²; the updates are
 *
 *   lipschitz ("Lb-NN"): x_b ← max(x_b − g_b/L_b, 0), L_b = λ_max(A_bᵀA_b);
 *   two-metric projection ("TMP-NN"): on the active coordinates (x_i < 1e-4 and g_i > 0) the step
 *       −g_i/Σ_active L_i, on the others Newton's −H_WW⁻¹g_W; then x_b ← max(x_b + αd, 0) with Armijo
 *       backtracking from α = 1 (sufficient decrease 1e-4·g_bᵀΔx, with 10ε|F| of rounding slack);
 *   exact ("qp-nn"): the block's non-negative QP solved exactly (here by a primal active-set method,
 *       Lawson–Hanson's for QP, where the authors call cvxopt).
 *
 * Once the support of the solution is identified and a block holds all of it, Newton-type updates finish in
 * finitely many iterations, while the Lipschitz update stays linear.
 */
import {
  ArgumentError,
  NumericalError,
  choleskyFactor,
  choleskySolve,
  hostTensor,
  ops,
  type Backend,
  type DeviceTensor,
  type DType,
} from '@lowrank/core';
import { gatherRows } from './gather-rows.ts';
import { leastSquaresObjective } from './least-squares.ts';

/** Solves H_II·z = rhs_I for the principal submatrix of H (k×k) on the indices I, by Cholesky. */
function principalSolve(
  h: Float64Array,
  k: number,
  idx: readonly number[],
  rhs: (i: number) => number,
  what: string,
): Float64Array {
  const m = idx.length;
  const sub = new Float64Array(m * m);
  idx.forEach((a, r) => idx.forEach((b, c) => (sub[r * m + c] = h[a * k + b])));
  return choleskySolve(choleskyFactor(sub, m, what), m, idx.map(rhs));
}

/**
 * min ½xᵀHx + qᵀx s.t. x ≥ 0 for H (k×k) positive definite on every set of free coordinates the method
 * visits: Lawson–Hanson's primal active set (free set grown by the most negative gradient, an interpolation
 * step back to feasibility when an unconstrained solve leaves it). NumericalError after 3k outer steps.
 */
export function nonnegativeQp(h: Float64Array, q: ArrayLike<number>, k: number): Float64Array {
  if (h.length !== k * k || q.length !== k) throw new ArgumentError(`QP: H must be ${k}×${k} and q ${k}`);
  const x = new Float64Array(k);
  const free = new Set<number>();
  const grad = () =>
    Float64Array.from({ length: k }, (_, i) => q[i] + h.slice(i * k, (i + 1) * k).reduce((s, v, j) => s + v * x[j], 0));
  const scale = Math.max(1e-300, ...Array.from(q, Math.abs));
  for (let outer = 0; outer < 3 * k + 3; outer++) {
    const g = grad();
    let j = -1;
    for (let i = 0; i < k; i++) if (!free.has(i) && g[i] < -1e-13 * scale && (j < 0 || g[i] < g[j])) j = i;
    if (j < 0) return x;
    free.add(j);
    for (let inner = 0; inner <= k; inner++) {
      const f = [...free].sort((a, b) => a - b);
      const z = principalSolve(h, k, f, (a) => -q[a], 'H on the free set');
      if (z.every((v) => v > 0)) {
        f.forEach((a, r) => (x[a] = z[r]));
        break;
      }
      let alpha = 1;
      f.forEach((a, r) => {
        if (z[r] <= 0) alpha = Math.min(alpha, x[a] / (x[a] - z[r]));
      });
      f.forEach((a, r) => {
        x[a] += alpha * (z[r] - x[a]);
        if (x[a] <= 1e-15 * Math.max(1, Math.abs(z[r]))) {
          x[a] = 0;
          free.delete(a);
        }
      });
    }
  }
  throw new NumericalError(`QP: the active-set method did not settle within ${3 * k + 3} steps`);
}

export const L1_UPDATES = ['lipschitz', 'two-metric', 'exact'] as const;
export type L1Update = (typeof L1_UPDATES)[number];

/** The non-negative ℓ₁ least squares with A and Aᵀ on the backend, x on the host. */
export class NonnegativeL1Bcd {
  x: Float64Array;
  /** L_i = ‖a_i‖², the coordinate constants. */
  readonly columnNorms: Float64Array;

  private constructor(
    readonly be: Backend,
    readonly dtype: DType,
    readonly n: number,
    readonly p: number,
    readonly lambda: number,
    private readonly a: DeviceTensor,
    private readonly at: DeviceTensor,
    private readonly b: DeviceTensor,
    columnNorms: Float64Array,
  ) {
    this.x = new Float64Array(p);
    this.columnNorms = columnNorms;
  }

  static async create(
    be: Backend,
    dtype: DType,
    a: Float64Array,
    b: Float64Array,
    n: number,
    p: number,
    lambda: number,
  ): Promise<NonnegativeL1Bcd> {
    if (a.length !== n * p || b.length !== n) throw new ArgumentError(`A must be ${n}×${p} and b ${n}`);
    if (!(lambda > 0 && Number.isFinite(lambda))) throw new ArgumentError(`λ must be finite and > 0, got ${lambda}`);
    const norms = new Float64Array(p);
    for (let i = 0; i < n; i++) for (let j = 0; j < p; j++) norms[j] += a[i * p + j] ** 2;
    const zero = norms.findIndex((v) => !(v > 0));
    if (zero >= 0) throw new ArgumentError(`column ${zero} of A is zero: its coordinate has no curvature`);
    const t = new Float64Array(p * n);
    for (let i = 0; i < n; i++) for (let j = 0; j < p; j++) t[j * n + i] = a[i * p + j];
    return new NonnegativeL1Bcd(
      be,
      dtype,
      n,
      p,
      lambda,
      await be.upload(hostTensor(dtype, [n, p], a)),
      await be.upload(hostTensor(dtype, [p, n], t)),
      await be.upload(hostTensor(dtype, [n], b)),
      norms,
    );
  }

  /** F(x) and g = Aᵀ(Ax − b) + λ, on the backend. */
  async objective(x: ArrayLike<number> = this.x): Promise<{ value: number; gradient: Float64Array }> {
    const { value, gradient } = await leastSquaresObjective(this.be, this.dtype, this.a, this.b, x);
    let sum = 0;
    for (let j = 0; j < this.p; j++) sum += x[j];
    return { value: value + this.lambda * sum, gradient: gradient.map((v) => v + this.lambda) };
  }

  /** H_b = A_bᵀA_b: the block's columns gathered as rows of Aᵀ, one GEMM. */
  async blockHessian(block: readonly number[]): Promise<Float64Array> {
    const { be } = this;
    const release = be.track();
    try {
      const rows = await gatherRows(be, this.at, block);
      return Float64Array.from((await be.download(await ops.gemm(be, rows, rows, { transB: true }))).data);
    } finally {
      release();
    }
  }

  /** The authors' GSQ-NN block: the k coordinates with the most negative projected-step model value. */
  select(g: Float64Array, k: number): number[] {
    const score = Float64Array.from(g, (gi, i) => {
      const li = this.columnNorms[i];
      const d = Math.max(this.x[i] - gi / li, 0) - this.x[i];
      return gi * d + (li / 2) * d * d;
    });
    return Array.from(score.keys())
      .sort((i, j) => score[i] - score[j] || i - j)
      .slice(0, k)
      .sort((i, j) => i - j);
  }

  /** One iteration from x: the gradient, the block, the update. Returns the block and F before the step. */
  async step(update: L1Update, k: number): Promise<{ block: number[]; value: number }> {
    if (!Number.isInteger(k) || k < 1 || k > this.p)
      throw new ArgumentError(`the block size must be an integer in [1, ${this.p}], got ${k}`);
    const { value, gradient: g } = await this.objective();
    const block = this.select(g, k);
    const h = await this.blockHessian(block);
    const gb = block.map((i) => g[i]);
    const xb = block.map((i) => this.x[i]);
    let next: number[];
    if (update === 'exact') {
      // q = A_bᵀ(Ax − b − A_bx_b) + λ = g_b − H_b·x_b.
      const q = gb.map((v, r) => v - xb.reduce((s, xv, c) => s + h[r * k + c] * xv, 0));
      next = Array.from(nonnegativeQp(h, q, k));
    } else if (update === 'lipschitz') {
      const lb = (await this.#largestEigenvalue(h, k)) || 1;
      next = xb.map((v, r) => Math.max(v - gb[r] / lb, 0));
    } else next = await this.#twoMetric(block, h, gb, xb, value);
    block.forEach((i, r) => (this.x[i] = next[r]));
    return { block, value };
  }

  async #largestEigenvalue(h: Float64Array, k: number): Promise<number> {
    const release = this.be.track();
    try {
      const { values } = await ops.syev(this.be, await this.be.upload(hostTensor(this.dtype, [k, k], h)), {
        valuesOnly: true,
      });
      return (await this.be.download(values)).data[0];
    } finally {
      release();
    }
  }

  /** TMP-NN: a scaled gradient on the active set, Newton on the rest, projected Armijo backtracking. */
  async #twoMetric(block: number[], h: Float64Array, gb: number[], xb: number[], f0: number): Promise<number[]> {
    const k = block.length;
    const active = block.map((i, r) => xb[r] < 1e-4 && gb[r] > 0);
    const work = active.map((v, r) => (v ? -1 : r)).filter((r) => r >= 0);
    const sumL = block.reduce((s, i, r) => s + (active[r] ? this.columnNorms[i] : 0), 0);
    const d = gb.map((v, r) => (active[r] ? -v / sumL : 0));
    if (work.length > 0) {
      const step = principalSolve(h, k, work, (r) => -gb[r], 'H on the working set');
      work.forEach((r, s) => (d[r] = step[s]));
    }
    for (let alpha = 1; alpha > 1e-10; alpha /= 2) {
      const trial = xb.map((v, r) => Math.max(v + alpha * d[r], 0));
      const x = Float64Array.from(this.x);
      block.forEach((i, r) => (x[i] = trial[r]));
      const decrease = trial.reduce((s, v, r) => s + gb[r] * (v - xb[r]), 0);
      // 10ε|F| of slack: near the solution F cannot resolve the decrease (as S38's line search).
      if ((await this.objective(x)).value <= f0 + 1e-4 * decrease + 10 * 2 ** -52 * Math.abs(f0)) return trial;
    }
    return xb;
  }

  dispose(): void {
    for (const t of [this.a, this.at, this.b]) this.be.dispose(t);
  }
}
