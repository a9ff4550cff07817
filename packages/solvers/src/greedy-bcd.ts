/**
 * Greedy block coordinate descent on least squares (S28; Nutini, Laradji & Schmidt, "Let's make block
 * coordinate descent converge faster", §2–3), f(x) = ½‖Ax − b‖² with fixed blocks of consecutive
 * coordinates. Each iteration computes g = ∇f(x) = Aᵀ(Ax − b) on the backend, a rule picks one block, an
 * update moves x_b alone. With H_b = A_bᵀA_b the block's Hessian (f is quadratic, so the bounds are exact):
 *
 *   rules:   cyclic; random (uniform); GS argmax ‖g_b‖; GSL argmax ‖g_b‖²/L_b, L_b = λ_max(H_b);
 *            GSD argmax Σ_{i∈b} g_i²/d_i, H_b ⪯ diag(d) with d_i = Σ_j |(H_b)_ij| (Gershgorin);
 *            GSQ argmax g_bᵀH_b⁻¹g_b;
 *   updates: Lipschitz x_b −= g_b/L_b;  diagonal x_b −= g_b/d;  matrix x_b −= H_b⁻¹g_b (exact block minimization).
 *
 * A rule maximizes the decrease its update guarantees — ½‖g_b‖²/L_b for the Lipschitz update (the
 * descent lemma), ½·Σg_i²/d_i for the diagonal one, exactly ½·g_bᵀH_b⁻¹g_b for the matrix one — so GSL,
 * GSD and GSQ each pick the block their own update gains most on; GS ignores the curvature, and is GSL
 * when every L_b is equal (the paper's argument for the new rules, §3). The paper's variable blocks,
 * message passing on forest blocks and proximal rules are not here.
 */
import {
  ArgumentError,
  ShapeError,
  choleskyFactor,
  choleskySolve,
  fillRandom,
  hostTensor,
  ops,
  type Backend,
  type DeviceTensor,
  type DType,
} from '@lowrank/core';
import { leastSquares } from '@lowrank/linalg';
import { leastSquaresObjective } from './least-squares.ts';

export const BCD_RULES = ['cyclic', 'random', 'gs', 'gsl', 'gsd', 'gsq'] as const;
export type BcdRule = (typeof BCD_RULES)[number];
export const BCD_UPDATES = ['lipschitz', 'diagonal', 'matrix'] as const;
export type BcdUpdate = (typeof BCD_UPDATES)[number];

/** One block's curvature: H_b (row-major), its Cholesky factor, L_b = λ_max(H_b) and the Gershgorin diagonal d. */
export interface BlockCurvature {
  start: number;
  size: number;
  hessian: Float64Array;
  factor: Float64Array;
  lipschitz: number;
  diagonal: Float64Array;
}

/** What one iteration did: the block, f before, and the decrease its update guarantees (½·gᵀ·step). */
export interface BcdStep {
  block: number;
  objective: number;
  guaranteed: number;
}

/** ½·Σ g_i·δ_i for the step δ an update takes on block b: the decrease the update's quadratic bound guarantees. */
function halfInner(g: ArrayLike<number>, step: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < step.length; i++) s += g[i] * step[i];
  return s / 2;
}

export class LeastSquaresBcd {
  #x: Float64Array;
  #cyclic = 0;
  #t = 0;

  private constructor(
    readonly be: Backend,
    readonly dtype: DType,
    readonly n: number,
    readonly d: number,
    readonly blocks: readonly BlockCurvature[],
    private readonly a: DeviceTensor,
    private readonly b: DeviceTensor,
  ) {
    this.#x = new Float64Array(d);
  }

  /**
   * A (n×d, row-major) and b (n) on the backend; blocks of `blockSize` consecutive coordinates (d a
   * multiple of it). H_b comes from AᵀA on the backend, L_b from its eigenvalues (syev).
   */
  static async create(
    be: Backend,
    dtype: DType,
    a: Float64Array,
    b: Float64Array,
    n: number,
    d: number,
    blockSize: number,
  ): Promise<LeastSquaresBcd> {
    if (a.length !== n * d || b.length !== n) throw new ShapeError(`least squares: A must be ${n}×${d} and b ${n}`);
    if (!Number.isInteger(blockSize) || blockSize < 1 || d % blockSize !== 0)
      throw new ArgumentError(`block size must be an integer ≥ 1 dividing d = ${d}, got ${blockSize}`);
    const at = await be.upload(hostTensor(dtype, [n, d], a));
    const bt = await be.upload(hostTensor(dtype, [n], b));
    const release = be.track();
    const blocks: BlockCurvature[] = [];
    try {
      const gram = (await be.download(await ops.gemm(be, at, at, { transA: true }))).data;
      for (let start = 0; start < d; start += blockSize) {
        const s = blockSize;
        const hessian = new Float64Array(s * s);
        for (let i = 0; i < s; i++) for (let j = 0; j < s; j++) hessian[i * s + j] = gram[(start + i) * d + start + j];
        const { values } = await ops.syev(be, await be.upload(hostTensor(dtype, [s, s], hessian)), {
          valuesOnly: true,
        });
        const lipschitz = (await be.download(values)).data[0];
        const diagonal = Float64Array.from({ length: s }, (_, i) => {
          let r = 0;
          for (let j = 0; j < s; j++) r += Math.abs(hessian[i * s + j]);
          return r;
        });
        blocks.push({
          start,
          size: s,
          hessian,
          factor: choleskyFactor(hessian, s, `H_b of block ${start / s}`),
          lipschitz,
          diagonal,
        });
      }
    } finally {
      release();
    }
    return new LeastSquaresBcd(be, dtype, n, d, blocks, at, bt);
  }

  get x(): Float64Array {
    return this.#x;
  }

  set x(v: ArrayLike<number>) {
    if (v.length !== this.d) throw new ShapeError(`x has ${v.length} values, the problem ${this.d}`);
    this.#x = Float64Array.from(v);
    this.#cyclic = 0;
    this.#t = 0;
  }

  /** f(x) and ∇f(x) = Aᵀ(Ax − b), on the backend. */
  objective(x: ArrayLike<number> = this.#x): Promise<{ value: number; gradient: Float64Array }> {
    return leastSquaresObjective(this.be, this.dtype, this.a, this.b, x);
  }

  /** The minimizer x* by Householder QR on the backend, and f* = f(x*). */
  async solution(): Promise<{ x: Float64Array; value: number }> {
    const release = this.be.track();
    try {
      const x = Float64Array.from((await this.be.download(await leastSquares(this.be, this.a, this.b))).data);
      return { x, value: (await this.objective(x)).value };
    } finally {
      release();
    }
  }

  /** The step δ the update takes on block k from its gradient g_b (x_b ← x_b − δ). */
  #step(k: number, gb: Float64Array, update: BcdUpdate): Float64Array {
    const blk = this.blocks[k];
    if (update === 'lipschitz') return gb.map((v) => v / blk.lipschitz);
    if (update === 'diagonal') return gb.map((v, i) => v / blk.diagonal[i]);
    return choleskySolve(blk.factor, blk.size, gb);
  }

  /** The block a rule selects from the full gradient (ties to the lower index). */
  #select(rule: BcdRule, g: Float64Array, seed: number): number {
    const count = this.blocks.length;
    if (rule === 'cyclic') return this.#cyclic++ % count;
    if (rule === 'random') {
      const u = fillRandom({ seed, stream: 0 }, 'uniform', 'f64', 1, this.#t)[0];
      return Math.min(count - 1, Math.floor(u * count));
    }
    let best = -1,
      bestScore = -Infinity;
    this.blocks.forEach((blk, k) => {
      const gb = g.subarray(blk.start, blk.start + blk.size);
      let score = 0;
      if (rule === 'gs') for (const v of gb) score += v * v;
      else if (rule === 'gsl') score = halfInner(gb, this.#step(k, gb, 'lipschitz'));
      else if (rule === 'gsd') score = halfInner(gb, this.#step(k, gb, 'diagonal'));
      else score = halfInner(gb, this.#step(k, gb, 'matrix'));
      if (score > bestScore) {
        best = k;
        bestScore = score;
      }
    });
    return best;
  }

  /** One iteration: the gradient on the backend, the rule's block, the update on that block. */
  async step(rule: BcdRule, update: BcdUpdate, seed = 0): Promise<BcdStep> {
    const { value, gradient } = await this.objective();
    const block = this.#select(rule, gradient, seed);
    const blk = this.blocks[block];
    const gb = gradient.slice(blk.start, blk.start + blk.size);
    const delta = this.#step(block, gb, update);
    for (let i = 0; i < blk.size; i++) this.#x[blk.start + i] -= delta[i];
    this.#t++;
    return { block, objective: value, guaranteed: halfInner(gb, delta) };
  }

  dispose(): void {
    this.be.dispose(this.a);
    this.be.dispose(this.b);
  }
}
