/**
 * Weight matrices trained through factors, the parameterizations S26's claim compares (all rows×cols,
 * the mlp.ts layout, trained from ∂L/∂W by their own Adam on the host):
 *
 * - Sparse spectral training (S26, Zhao et al.; the paper confirms σ-weighted multinomial sampling, all
 *   singular values trained and periodic re-SVD; the rest is FORMULAS.md's secondary reading, declared
 *   in the claim): W = U·diag(s)·Vᵀ from an SVD; every round of T steps draws r indices without
 *   replacement with p(i) = ½(1/k + s_i/Σs); each step trains every s_i by ∂s_i = u_iᵀ·G·v_i (s ≥ 0)
 *   and the drawn pairs by the "enhanced" gradients G·v_i and Gᵀ·u_i (no s_i factor), renormalizing
 *   them after the step; at the round's end W is re-factored by an SVD, which restores orthonormal
 *   U and V, and the optimizer state restarts.
 * - LoRA from scratch (the memory-reduced pre-training baseline): W = W₀ + B·A with W₀ the frozen
 *   initialization, B = 0, A ~ N(0, 1/cols), α/r = 1.
 * - ReLoRA (Lialin et al. 2023): LoRA whose product is merged into W₀ every `mergeEvery` steps, A
 *   redrawn, B = 0 and the optimizer state reset (the closest standard form: no jagged schedule, a
 *   full reset rather than 99% pruning).
 */
import {
  ArgumentError,
  fillRandom,
  hostTensor,
  ops,
  sampleWithoutReplacement,
  type Backend,
  type DType,
} from '@lowrank/core';
import { svd } from '@lowrank/linalg';
import { Adam } from '@lowrank/mlp';

export interface FactoredMatrix {
  readonly rows: number;
  readonly cols: number;
  /** W (rows×cols, host). */
  weight(): Promise<Float64Array>;
  /** One optimizer step from G = ∂L/∂W (rows×cols, host) at step t (0-based). */
  step(g: Float64Array, t: number): Promise<void>;
  /** Values the optimizer trains at a step. */
  readonly trainable: number;
}

async function product(
  be: Backend,
  dtype: DType,
  a: Float64Array,
  ar: number,
  ac: number,
  b: Float64Array,
  br: number,
  bc: number,
  o: { transA?: boolean; transB?: boolean } = {},
): Promise<Float64Array> {
  const release = be.track();
  try {
    const c = await ops.gemm(
      be,
      await be.upload(hostTensor(dtype, [ar, ac], a)),
      await be.upload(hostTensor(dtype, [br, bc], b)),
      o,
    );
    return Float64Array.from((await be.download(c)).data);
  } finally {
    release();
  }
}

/** max |XᵀX − I| over a rows×k matrix X with (nominally) orthonormal columns, on the backend. */
export async function orthonormalityError(
  be: Backend,
  dtype: DType,
  x: Float64Array,
  rows: number,
  k: number,
): Promise<number> {
  const gram = await product(be, dtype, x, rows, k, x, rows, k, { transA: true });
  let worst = 0;
  for (let i = 0; i < k; i++)
    for (let j = 0; j < k; j++) worst = Math.max(worst, Math.abs(gram[i * k + j] - (i === j ? 1 : 0)));
  return worst;
}

export interface SstOptions {
  rank: number;
  /** Steps per round (T): indices drawn at its start, W re-factored at its end. */
  round: number;
  lr: number;
  seed: number;
}

export class SpectralMatrix implements FactoredMatrix {
  #u = new Float64Array(0);
  #s = new Float64Array(0);
  #v = new Float64Array(0);
  #active: Int32Array = new Int32Array(0);
  #adam: Adam | null = null;
  /** max |UᵀU − I|, |VᵀV − I| after each re-SVD. */
  readonly orthonormality: number[] = [];
  readonly k: number;

  private constructor(
    readonly be: Backend,
    readonly dtype: DType,
    readonly rows: number,
    readonly cols: number,
    readonly o: SstOptions,
  ) {
    this.k = Math.min(rows, cols);
    if (!Number.isInteger(o.rank) || o.rank < 1 || o.rank > this.k)
      throw new ArgumentError(`SST rank must be an integer in [1, ${this.k}], got ${o.rank}`);
    if (!Number.isInteger(o.round) || o.round < 1)
      throw new ArgumentError(`SST round must be a positive integer, got ${o.round}`);
  }

  /** SST of the weight w (rows×cols, host), factored by an SVD. */
  static async create(
    be: Backend,
    dtype: DType,
    w: Float64Array,
    rows: number,
    cols: number,
    o: SstOptions,
  ): Promise<SpectralMatrix> {
    const m = new SpectralMatrix(be, dtype, rows, cols, o);
    await m.#factor(w);
    return m;
  }

  get trainable(): number {
    return this.k + this.o.rank * (this.rows + this.cols);
  }

  /** Copies of U (rows×k), s (k) and V (cols×k). */
  factors(): { u: Float64Array; s: Float64Array; v: Float64Array } {
    return { u: Float64Array.from(this.#u), s: Float64Array.from(this.#s), v: Float64Array.from(this.#v) };
  }

  async #factor(w: Float64Array): Promise<void> {
    const release = this.be.track();
    try {
      const f = await svd(this.be, await this.be.upload(hostTensor(this.dtype, [this.rows, this.cols], w)));
      this.#u = Float64Array.from((await this.be.download(f.u)).data);
      this.#s = Float64Array.from((await this.be.download(f.s)).data);
      this.#v = Float64Array.from((await this.be.download(f.v)).data);
    } finally {
      release();
    }
  }

  async weight(): Promise<Float64Array> {
    const { rows, cols, k } = this;
    const us = this.#u.map((x, i) => x * this.#s[i % k]);
    return product(this.be, this.dtype, us, rows, k, this.#v, cols, k, { transB: true });
  }

  /** p(i) = ½(1/k + s_i/Σs): half uniform, half in proportion to the singular values. */
  #draw(t: number): void {
    const total = this.#s.reduce((a, b) => a + b, 0);
    const p = Array.from(this.#s, (s) => 0.5 * (1 / this.k + (total > 0 ? s / total : 1 / this.k)));
    this.#active = sampleWithoutReplacement(p, this.o.rank, { seed: this.o.seed, stream: 900 + t / this.o.round });
    this.#adam = new Adam(this.k + this.o.rank * (this.rows + this.cols), this.o.lr);
  }

  /** Columns `idx` of a rows×k matrix, as rows×|idx|. */
  #columns(x: Float64Array, rows: number, idx: Int32Array): Float64Array {
    const r = idx.length,
      out = new Float64Array(rows * r);
    for (let i = 0; i < rows; i++) for (let c = 0; c < r; c++) out[i * r + c] = x[i * this.k + idx[c]];
    return out;
  }

  async step(g: Float64Array, t: number): Promise<void> {
    const { rows, cols, k } = this;
    if (t > 0 && t % this.o.round === 0) {
      await this.#factor(await this.weight());
      this.orthonormality.push(
        Math.max(
          await orthonormalityError(this.be, this.dtype, this.#u, rows, k),
          await orthonormalityError(this.be, this.dtype, this.#v, cols, k),
        ),
      );
    }
    if (t % this.o.round === 0) this.#draw(t);
    const r = this.o.rank,
      idx = this.#active;
    const u = this.#columns(this.#u, rows, idx),
      v = this.#columns(this.#v, cols, idx);
    const gv = await product(this.be, this.dtype, g, rows, cols, this.#v, cols, k); // G·V, rows×k
    const gtu = await product(this.be, this.dtype, g, rows, cols, u, rows, r, { transA: true }); // Gᵀ·U_I
    const ds = new Float64Array(k);
    for (let i = 0; i < rows; i++) for (let j = 0; j < k; j++) ds[j] += this.#u[i * k + j] * gv[i * k + j];
    const du = this.#columns(gv, rows, idx);
    const s = this.#s;
    this.#adam!.stepParts([s, u, v], [ds, du, gtu]);
    for (let i = 0; i < k; i++) s[i] = Math.max(0, s[i]);
    for (let c = 0; c < r; c++) {
      for (const [x, n] of [
        [u, rows],
        [v, cols],
      ] as const) {
        let norm = 0;
        for (let i = 0; i < n; i++) norm += x[i * r + c] ** 2;
        norm = Math.sqrt(norm);
        if (norm > 0) for (let i = 0; i < n; i++) x[i * r + c] /= norm;
      }
      for (let i = 0; i < rows; i++) this.#u[i * k + idx[c]] = u[i * r + c];
      for (let i = 0; i < cols; i++) this.#v[i * k + idx[c]] = v[i * r + c];
    }
  }
}

export interface LoraOptions {
  rank: number;
  lr: number;
  seed: number;
  /** ReLoRA: merge B·A into W₀ every this many steps (Infinity: plain LoRA). */
  mergeEvery: number;
}

export class LoraMatrix implements FactoredMatrix {
  #a = new Float64Array(0);
  #b = new Float64Array(0);
  #adam: Adam | null = null;
  #restarts = 0;

  constructor(
    readonly be: Backend,
    readonly dtype: DType,
    readonly w0: Float64Array,
    readonly rows: number,
    readonly cols: number,
    readonly o: LoraOptions,
  ) {
    if (!Number.isInteger(o.rank) || o.rank < 1)
      throw new ArgumentError(`LoRA rank must be a positive integer, got ${o.rank}`);
    this.#restart();
  }

  get trainable(): number {
    return this.o.rank * (this.rows + this.cols);
  }

  /** B = 0, A ~ N(0, 1/cols) from a fresh stream, a new optimizer state. */
  #restart(): void {
    const { rank, seed } = this.o;
    this.#a = Float64Array.from(
      fillRandom({ seed, stream: 950 + this.#restarts++ }, 'normal', 'f64', rank * this.cols),
      (x) => x / Math.sqrt(this.cols),
    );
    this.#b = new Float64Array(this.rows * rank);
    this.#adam = new Adam(this.trainable, this.o.lr);
  }

  async #delta(): Promise<Float64Array> {
    return product(this.be, this.dtype, this.#b, this.rows, this.o.rank, this.#a, this.o.rank, this.cols);
  }

  async weight(): Promise<Float64Array> {
    const d = await this.#delta();
    return d.map((x, i) => x + this.w0[i]);
  }

  async step(g: Float64Array, t: number): Promise<void> {
    const { rows, cols } = this,
      r = this.o.rank;
    if (t > 0 && t % this.o.mergeEvery === 0) {
      const d = await this.#delta();
      for (let i = 0; i < d.length; i++) this.w0[i] += d[i];
      this.#restart();
    }
    const db = await product(this.be, this.dtype, g, rows, cols, this.#a, r, cols, { transB: true }); // G·Aᵀ
    const da = await product(this.be, this.dtype, this.#b, rows, r, g, rows, cols, { transA: true }); // Bᵀ·G
    this.#adam!.stepParts([this.#a, this.#b], [da, db]);
  }
}
