/**
 * Adam in a rank-r subspace of each weight matrix's gradient (S05's DCT-AdamW; GaLore's when the
 * subspace is the SVD's), with the update rule of the official dct_adamw.py as FORMULAS.md confirms:
 *
 *   Ĝ = G (m ≥ n) or Gᵀ,   every `period` steps: P ← subspace(Ĝ) (subspace.ts), moments rotated by
 *   R = P_prevᵀ·P (m ← m·R, v ← v·(R∘R); exact for the DCT's partial permutations, GaLore keeps them
 *   unrotated: `rotate: false`),   g = Ĝ·P (m×r),   m ← β₁m + (1−β₁)g,   v ← β₂v + (1−β₂)g²,
 *   u = m/(ε√(1−β₂ᵗ) + √v),   W ← W − lr·(√(1−β₂ᵗ)/(1−β₁ᵗ))·(u·Pᵀ) − lr·λ·W   (decoupled decay λ),
 *
 * with optional error feedback E ← Ĝ + E − g·Pᵀ added to the next gradient. No GaLore-style scale α.
 * Matrices no larger than the rank in either dimension, and biases, take plain Adam (mlp's), as
 * the code gives 1-D parameters AdamW. Moments stay on the host in f64 (m×r per matrix, small); the
 * products with the gradient and the basis run on the backend.
 */
import { BYTES_PER_ELEMENT, ArgumentError, hostTensor, ops, type Backend, type DType } from '@lowrank/core';
import { matmul } from '@lowrank/linalg';
import { Adam } from '@lowrank/mlp';
import { dctSubspace, rotation, svdSubspace, type ScoreNorm, type Subspace } from './subspace.ts';

export type Projector = 'dct' | 'svd';

export interface LowRankAdamOptions {
  rank: number;
  projector: Projector;
  /** Steps between re-selections of the subspace (the official code's default is 1). */
  period: number;
  lr: number;
  /** DCT column scores: ℓ1 (the code's default) or ℓ2. */
  norm?: ScoreNorm;
  beta1?: number;
  beta2?: number;
  eps?: number;
  weightDecay?: number;
  /** Rotate the moments into a new subspace (default: true for DCT, false for SVD as GaLore). */
  rotate?: boolean;
  errorFeedback?: boolean;
}

/** A weight matrix inside the flat parameter vector θ (row-major at `offset`). */
export interface MatrixPart {
  offset: number;
  rows: number;
  cols: number;
}

interface Projected {
  part: MatrixPart;
  transposed: boolean;
  m: number;
  n: number;
  subspace: Subspace | null;
  first: Float64Array;
  second: Float64Array;
  feedback: Float64Array | null;
}

/** a (rows×cols, row-major) transposed. */
function transposeHost(a: ArrayLike<number>, rows: number, cols: number): Float64Array {
  const out = new Float64Array(rows * cols);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) out[j * rows + i] = a[i * cols + j];
  return out;
}

export class LowRankAdam {
  readonly #projected: Projected[] = [];
  readonly #plain: Array<{ offset: number; length: number }> = [];
  readonly #adam: Adam;
  readonly #o: Required<LowRankAdamOptions>;
  #t = 0;

  /** `parts`: the matrices of θ (length `size`) to project; every other entry gets plain Adam. */
  constructor(
    readonly be: Backend,
    readonly dtype: DType,
    parts: readonly MatrixPart[],
    readonly size: number,
    o: LowRankAdamOptions,
  ) {
    if (!Number.isInteger(o.rank) || o.rank < 1)
      throw new ArgumentError(`rank must be a positive integer, got ${o.rank}`);
    if (!Number.isInteger(o.period) || o.period < 1)
      throw new ArgumentError(`period must be a positive integer, got ${o.period}`);
    this.#o = {
      norm: 'l1',
      beta1: 0.9,
      beta2: 0.999,
      eps: 1e-8,
      weightDecay: 0,
      rotate: o.projector === 'dct',
      errorFeedback: false,
      ...o,
    };
    const covered = new Uint8Array(size);
    for (const part of parts) {
      if (part.offset < 0 || part.offset + part.rows * part.cols > size)
        throw new ArgumentError(`a ${part.rows}×${part.cols} part at ${part.offset} does not fit in θ of ${size}`);
      if (Math.min(part.rows, part.cols) <= o.rank) continue;
      covered.fill(1, part.offset, part.offset + part.rows * part.cols);
      const transposed = part.rows < part.cols;
      const [m, n] = transposed ? [part.cols, part.rows] : [part.rows, part.cols];
      this.#projected.push({
        part,
        transposed,
        m,
        n,
        subspace: null,
        first: new Float64Array(m * o.rank),
        second: new Float64Array(m * o.rank),
        feedback: this.#o.errorFeedback ? new Float64Array(m * n) : null,
      });
    }
    for (let i = 0; i < size;) {
      if (covered[i] === 1) {
        i++;
        continue;
      }
      let j = i;
      while (j < size && covered[j] === 0) j++;
      this.#plain.push({ offset: i, length: j - i });
      i = j;
    }
    const plainSize = this.#plain.reduce((s, p) => s + p.length, 0);
    this.#adam = new Adam(plainSize, o.lr, this.#o.beta1, this.#o.beta2, this.#o.eps);
  }

  /** Bytes of optimizer state in the computing dtype: r-dimensional moments, bases or indices, error buffers, plain Adam's moments. */
  stateBytes(): number {
    const w = BYTES_PER_ELEMENT[this.dtype];
    const r = this.#o.rank;
    let bytes = 2 * w * this.#plain.reduce((s, p) => s + p.length, 0);
    for (const p of this.#projected) {
      bytes += 2 * w * p.m * r + (this.#o.projector === 'svd' ? w * p.n * r : 4 * r);
      if (p.feedback !== null) bytes += w * p.m * p.n;
    }
    return bytes;
  }

  /** The error-feedback buffer of projected matrix i (a copy, m×n in Ĝ's orientation), or null without feedback. */
  residual(i: number): Float64Array | null {
    const f = this.#projected[i]?.feedback;
    return f === undefined || f === null ? null : Float64Array.from(f);
  }

  /** The current DCT indices of projected matrix i (null for SVD subspaces or before the first step). */
  indices(i: number): Int32Array | null {
    return this.#projected[i]?.subspace?.indices ?? null;
  }

  /** One step on θ (in place) from ∇θ. */
  async step(theta: Float64Array, gradient: ArrayLike<number>): Promise<void> {
    const grad = gradient instanceof Float64Array ? gradient : Float64Array.from(gradient);
    if (theta.length !== this.size || grad.length !== this.size)
      throw new ArgumentError(`θ and ∇θ must have ${this.size} values, got ${theta.length} and ${grad.length}`);
    const reselect = this.#t % this.#o.period === 0;
    this.#t++;
    const { beta1, beta2, lr, weightDecay } = this.#o;
    // Decoupled decay first, on every parameter (torch's AdamW: p ← p·(1 − lr·λ), then the step).
    if (weightDecay !== 0) for (let i = 0; i < theta.length; i++) theta[i] *= 1 - lr * weightDecay;
    const c1 = 1 - beta1 ** this.#t,
      c2 = 1 - beta2 ** this.#t;
    const stepSize = (lr * Math.sqrt(c2)) / c1;
    for (const p of this.#projected) await this.#stepMatrix(p, theta, grad, reselect, stepSize);
    this.#adam.stepParts(
      this.#plain.map((p) => theta.subarray(p.offset, p.offset + p.length)),
      this.#plain.map((p) => grad.subarray(p.offset, p.offset + p.length)),
    );
  }

  async #stepMatrix(
    p: Projected,
    theta: Float64Array,
    grad: Float64Array,
    reselect: boolean,
    stepSize: number,
  ): Promise<void> {
    const { be, dtype } = this;
    const { beta1, beta2, eps, rank: r } = this.#o;
    const { offset, rows, cols } = p.part;
    const slice = grad.slice(offset, offset + rows * cols);
    const gHat = p.transposed ? transposeHost(slice, rows, cols) : slice;
    if (p.feedback !== null) for (let i = 0; i < gHat.length; i++) gHat[i] += p.feedback[i];
    const release = be.track();
    try {
      const g = await be.upload(hostTensor(dtype, [p.m, p.n], gHat));
      if (reselect) await this.#reselect(p, g);
      const basis = p.subspace!.basis;
      const projected = await ops.gemm(be, g, basis);
      const low = (await be.download(projected)).data;
      const c2 = 1 - beta2 ** this.#t;
      const u = new Float64Array(p.m * r);
      for (let i = 0; i < u.length; i++) {
        p.first[i] = beta1 * p.first[i] + (1 - beta1) * low[i];
        p.second[i] = beta2 * p.second[i] + (1 - beta2) * low[i] * low[i];
        u[i] = p.first[i] / (eps * Math.sqrt(c2) + Math.sqrt(p.second[i]));
      }
      const update = await ops.gemm(be, await be.upload(hostTensor(dtype, [p.m, r], u)), basis, { transB: true });
      const delta = (await be.download(update)).data;
      for (let i = 0; i < p.m; i++)
        for (let j = 0; j < p.n; j++) {
          const at = p.transposed ? offset + j * cols + i : offset + i * cols + j;
          theta[at] -= stepSize * delta[i * p.n + j];
        }
      if (p.feedback !== null) {
        const back = (await be.download(await ops.gemm(be, projected, basis, { transB: true }))).data;
        for (let i = 0; i < gHat.length; i++) p.feedback[i] = gHat[i] - back[i];
      }
    } finally {
      release(p.subspace?.basis);
    }
  }

  /** A new subspace of Ĝ; the moments follow it by R = P_prevᵀ·P when rotating, else stay as they are. */
  async #reselect(p: Projected, g: Parameters<Backend['dispose']>[0]): Promise<void> {
    const { be } = this;
    const next =
      this.#o.projector === 'dct'
        ? await dctSubspace(be, g, this.#o.rank, this.#o.norm)
        : await svdSubspace(be, g, this.#o.rank);
    if (p.subspace !== null) {
      if (this.#o.rotate) {
        const rot = Float64Array.from((await be.download(await rotation(be, p.subspace, next))).data);
        const r = this.#o.rank;
        p.first.set(matmul(p.first, p.m, r, rot, r, r));
        p.second.set(
          matmul(
            p.second,
            p.m,
            r,
            rot.map((x) => x * x),
            r,
            r,
          ),
        );
      }
      be.dispose(p.subspace.basis);
    }
    p.subspace = next;
  }

  /** Frees the bases held on the backend. */
  dispose(): void {
    for (const p of this.#projected) if (p.subspace !== null) this.be.dispose(p.subspace.basis);
  }
}
