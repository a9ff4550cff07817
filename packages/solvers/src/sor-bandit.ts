/**
 * Learning SOR's relaxation parameter across a sequence of linear systems (S37; Khodak, Chow, Balcan &
 * Talwalkar, "Learning to relax", ICLR 2024; rules from the authors' code, mkhodak/learning-to-relax).
 *
 * The cost of ω on A·x = b is the number of SOR iterations from x = 0 until ‖b − A·x‖/‖b‖ < tol
 * (solvers/sor.m: lexicographic order, cap 10000). Online, one ω per instance from a grid, seeing only
 * the cost of the ω it chose:
 *
 * - Tsallis-INF (learners/TsallisINF.m): FTRL with the ½-Tsallis entropy, η_t = 2/√t, importance-weighted
 *   cumulative losses L̂_i += (ℓ − 1)/p_i in raw iteration counts, normalized by the running mean cost
 *   minus one; p_i = 4·(η(L̂_i/scale − x))⁻², x by Newton so that Σp_i = 1 (started inside the root's
 *   bracket rather than at the code's x = −1: see `probabilities`).
 *
 * The contextual learner of the paper (ChebCB: per-arm Chebyshev regression of cost on the diagonal
 * offset, with box-constrained least squares) is not here yet.
 */
import {
  ArgumentError,
  NonFiniteError,
  NumericalError,
  ShapeError,
  assertFinite,
  StreamReader,
  hostTensor,
  ops,
  sweepOrder,
  type Backend,
  type DeviceTensor,
  type DType,
  type SparseMatrix,
  type StreamId,
  type SweepOrder,
} from '@lowrank/core';

/** The official cap on iterations (solvers/sor.m). */
export const SOR_MAX_ITERATIONS = 10000;

/** A sparse system on the backend with its sweep order, for counting SOR iterations. */
export class SorSystem {
  private constructor(
    readonly be: Backend,
    readonly dtype: DType,
    readonly matrix: SparseMatrix,
    readonly order: SweepOrder,
    private readonly vals: DeviceTensor,
  ) {}

  /** Lexicographic order (the authors' tril splitting) unless told otherwise. */
  static async create(
    be: Backend,
    dtype: DType,
    matrix: SparseMatrix,
    order: SweepOrder['kind'] = 'lexicographic',
  ): Promise<SorSystem> {
    const vals = await be.upload(hostTensor(dtype, [matrix.pattern.nnz], matrix.vals));
    return new SorSystem(be, dtype, matrix, sweepOrder(matrix.pattern, order), vals);
  }

  /** ‖b − A·x‖ on the backend, b as the n×1 column SpMM's output has. */
  async #residual(x: DeviceTensor, bColumn: DeviceTensor): Promise<number> {
    const { be } = this;
    const n = this.matrix.pattern.n;
    const ax = await ops.spmm(be, this.matrix.pattern, this.vals, await ops.reshape(be, x, [n, 1]));
    return ops.nrm2(be, await ops.axpy(be, -1, bColumn, ax));
  }

  /**
   * The iterations SOR with ω needs from x = 0 to ‖b − A·x‖/‖b‖ < tol, capped at `cap` (the cap is
   * returned when it is reached, as the authors' code does). Sweeps run `chunk` at a time between
   * residual checks; the chunk that crosses the tolerance is replayed one sweep at a time from a copy,
   * so the count is exact.
   */
  async iterations(
    bHost: ArrayLike<number>,
    omega: number,
    tol: number,
    cap = SOR_MAX_ITERATIONS,
    chunk = 8,
  ): Promise<number> {
    if (!(tol > 0 && tol < 1)) throw new ArgumentError(`tolerance must lie in (0, 1), got ${tol}`);
    if (!Number.isInteger(cap) || cap < 1) throw new ArgumentError(`the cap must be an integer ≥ 1, got ${cap}`);
    if (bHost.length !== this.matrix.pattern.n)
      throw new ShapeError(`b has ${bHost.length} values, the system ${this.matrix.pattern.n}`);
    // A NaN residual never falls below the tolerance: without this the count would silently be the cap.
    assertFinite('b', bHost);
    const { be } = this;
    const n = this.matrix.pattern.n;
    const release = be.track();
    try {
      const b = await be.upload(hostTensor(this.dtype, [n], Float64Array.from(bHost)));
      const bColumn = await ops.reshape(be, b, [n, 1]);
      const norm0 = await ops.nrm2(be, b);
      if (!(norm0 > 0)) throw new ArgumentError('the right-hand side is zero: every ω takes 0 iterations');
      let x = be.zeros(this.dtype, [n]);
      const sweep = (k: number) =>
        ops.sor(be, this.matrix.pattern, this.vals, b, x, { omega, sweeps: k, order: this.order });
      for (let done = 0; done < cap;) {
        const k = Math.min(chunk, cap - done);
        const saved = await ops.copy(be, x);
        await sweep(k);
        if ((await this.#residual(x, bColumn)) / norm0 < tol) {
          be.dispose(x);
          x = saved;
          for (let j = 1; j <= k; j++) {
            await sweep(1);
            if ((await this.#residual(x, bColumn)) / norm0 < tol) return done + j;
          }
          throw new NumericalError('SOR: a replayed chunk did not reproduce its residual (non-deterministic kernel)');
        }
        be.dispose(saved);
        done += k;
      }
      return cap;
    } finally {
      release();
    }
  }

  dispose(): void {
    this.be.dispose(this.vals);
  }
}

/** Tsallis-INF over a grid of arms, exactly as the authors' TsallisINF.m (see the module header). */
export class TsallisInf {
  readonly #k: Float64Array;
  #lossSum = 0;
  readonly #draws: StreamReader;
  #t = 1;
  #scale = 1;
  #index = -1;
  #prob = 1;

  constructor(
    readonly grid: readonly number[],
    id: StreamId,
  ) {
    if (grid.length < 1) throw new ArgumentError('Tsallis-INF needs at least one arm');
    this.#k = new Float64Array(grid.length);
    this.#draws = new StreamReader(id);
  }

  /**
   * The arm distribution now: p_i = 4(η(L̂_i/scale − x))⁻² with Σp = 1. The root x lies below
   * m = min L̂_i/scale, within [m − 2√K/η, m − 2/η]; Σp is convex and increasing in x there, so Newton
   * from the left end rises to it without overshooting. The authors' code starts Newton at x = −1, which
   * reaches the same root while it converges and overshoots past m once the losses grow (a weight of
   * 4e12 measured after 300 rounds); starting inside the bracket keeps the same distribution, always.
   */
  probabilities(): Float64Array {
    const eta = 2 / Math.sqrt(this.#t);
    const z = this.#k.map((k) => k / this.#scale);
    let x = Math.min(...z) - (2 * Math.sqrt(z.length)) / eta;
    let p = new Float64Array(z.length);
    for (let it = 0; it < 50; it++) {
      p = z.map((v) => 4 * (eta * (v - x)) ** -2);
      let sum = 0,
        sum15 = 0;
      for (const v of p) {
        sum += v;
        sum15 += v ** 1.5;
      }
      const step = (sum - 1) / (eta * sum15);
      x -= step;
      if (Math.abs(step) <= 1e-15 * (1 + Math.abs(x))) break;
    }
    return p;
  }

  /** Draws an arm from the distribution (uniformly when it is not a distribution, as the code's catch does). */
  predict(): number {
    const p = this.probabilities();
    const total = p.reduce((s, v) => s + v, 0);
    const u = this.#draws.uniform();
    if (!p.every((v) => Number.isFinite(v) && v >= 0) || !(total > 0)) {
      this.#index = Math.min(this.grid.length - 1, Math.floor(u * this.grid.length));
      this.#prob = 1 / this.grid.length;
    } else {
      let acc = 0;
      this.#index = this.grid.length - 1;
      for (let i = 0; i < p.length; i++) {
        acc += p[i] / total;
        if (u < acc) {
          this.#index = i;
          break;
        }
      }
      this.#prob = p[this.#index];
    }
    return this.#index;
  }

  /** Feeds the chosen arm's cost: L̂_i += (ℓ − 1)/p_i, scale = mean cost − 1. */
  update(loss: number): void {
    if (this.#index < 0) throw new ArgumentError('Tsallis-INF: update before predict');
    if (!Number.isFinite(loss)) throw new NonFiniteError(`Tsallis-INF: the cost must be finite, got ${loss}`);
    this.#lossSum += loss;
    this.#scale = this.#lossSum / this.#t - 1;
    this.#k[this.#index] += (loss - 1) / this.#prob;
    this.#t++;
  }
}
