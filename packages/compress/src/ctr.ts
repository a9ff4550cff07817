/**
 * A toy click-through-rate model for S33 (AFM): F categorical fields, each looked up in its own
 * embedding table E_f (V×d), concatenated (F·d) into a tanh MLP with a two-class softmax head (the
 * logistic output of a CTR DNN). The lookups and their gradient scatter are data movement on the host
 * (B·F·d values per step, like gathering a minibatch); every product is the MLP's GEMMs on the backend.
 */
import { fillRandom, rocAuc, type Backend, type DType } from '@lowrank/core';
import { Adam, initialParameters, layerOffsets, Mlp } from '@lowrank/mlp';
import { factorGradients, reconstructOnBackend, type LowRankTerm } from './low-rank-term.ts';

export interface CtrData {
  readonly fields: number;
  readonly vocab: number;
  /** N×F ids in [0, V). */
  readonly ids: Int32Array;
  /** N clicks (0 or 1). */
  readonly clicks: Int32Array;
}

export interface CtrShape {
  fields: number;
  vocab: number;
  dim: number;
  hidden: number;
}

/**
 * Clicks from a ground-truth logistic model with first-order weights and rank-k field interactions (a
 * factorization machine): logit = b₀ + Σ_f w_f[v_f] + Σ_{f<g} ⟨u_f[v_f], u_g[v_g]⟩, ids drawn with Zipf
 * frequencies p(v) ∝ (v + 1)^−1.1 as categorical CTR features are. One truth per seed; train and test
 * are independent draws from it.
 */
export function syntheticCtr(
  fields: number,
  vocab: number,
  k: number,
  sizes: { train: number; test: number },
  seed: number,
): { train: CtrData; test: CtrData } {
  const w = fillRandom({ seed, stream: 300 }, 'normal', 'f64', fields * vocab).map((x) => 0.3 * x);
  const scale = (1 / (((fields * (fields - 1)) / 2) * k)) ** 0.25; // Σ_{f<g} ⟨u, u⟩ has unit variance
  const u = fillRandom({ seed, stream: 301 }, 'normal', 'f64', fields * vocab * k).map((x) => scale * x);
  const cdf = new Float64Array(vocab);
  for (let v = 0, acc = 0; v < vocab; v++) cdf[v] = acc += (v + 1) ** -1.1;
  const draw = (n: number, stream: number): CtrData => {
    const pick = fillRandom({ seed, stream }, 'uniform', 'f64', n * fields);
    const coin = fillRandom({ seed, stream: stream + 1 }, 'uniform', 'f64', n);
    const ids = new Int32Array(n * fields),
      clicks = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      let logit = -1;
      for (let f = 0; f < fields; f++) {
        const target = pick[i * fields + f] * cdf[vocab - 1];
        let lo = 0,
          hi = vocab - 1;
        while (lo < hi) {
          const mid = (lo + hi) >> 1;
          if (cdf[mid] < target) lo = mid + 1;
          else hi = mid;
        }
        ids[i * fields + f] = lo;
        logit += w[f * vocab + lo];
      }
      for (let f = 0; f < fields; f++)
        for (let g = f + 1; g < fields; g++) {
          const a = (f * vocab + ids[i * fields + f]) * k,
            b = (g * vocab + ids[i * fields + g]) * k;
          for (let t = 0; t < k; t++) logit += u[a + t] * u[b + t];
        }
      clicks[i] = coin[i] < 1 / (1 + Math.exp(-logit)) ? 1 : 0;
    }
    return { fields, vocab, ids, clicks };
  };
  return { train: draw(sizes.train, 302), test: draw(sizes.test, 304) };
}

/** The model's parameters on the host: F tables (V×d, row-major) and the MLP's flat θ (widths [F·d, h, 2]). */
export interface CtrParameters {
  readonly shape: CtrShape;
  readonly tables: Float64Array[];
  readonly theta: Float64Array;
}

export function mlpWidths(s: CtrShape): number[] {
  return [s.fields * s.dim, s.hidden, 2];
}

export function initialCtr(s: CtrShape, seed: number): CtrParameters {
  const tables = Array.from({ length: s.fields }, (_, f) =>
    Float64Array.from(fillRandom({ seed, stream: 310 + f }, 'normal', 'f64', s.vocab * s.dim), (x) => 0.1 * x),
  );
  return { shape: s, tables, theta: initialParameters(mlpWidths(s), seed) };
}

/** The concatenated embeddings of the samples `rows` (rows×F·d). */
function lookup(p: CtrParameters, data: CtrData, rows: ArrayLike<number>): Float64Array {
  const { fields, dim } = p.shape;
  const x = new Float64Array(rows.length * fields * dim);
  for (let i = 0; i < rows.length; i++)
    for (let f = 0; f < fields; f++) {
      const v = data.ids[rows[i] * fields + f];
      x.set(p.tables[f].subarray(v * dim, (v + 1) * dim), (i * fields + f) * dim);
    }
  return x;
}

/**
 * How the dense parameters are produced from what is trained: by default the tables and θ themselves;
 * a compressed model trains factors of some tables (`tables[f]`) and of the first weight (`firstWeight`),
 * multiplies them out each step on the backend and takes ∂P = ∂W·Rᵀ, ∂R = Pᵀ·∂W from the dense gradient.
 */
export interface Factorization {
  readonly tables: (LowRankTerm | null)[];
  readonly firstWeight: LowRankTerm | null;
}

/** Writes the factorized parameters' products into p (dense tables and first weight). */
export async function materialize(be: Backend, dtype: DType, p: CtrParameters, fz: Factorization): Promise<void> {
  for (const [f, t] of fz.tables.entries()) if (t !== null) p.tables[f].set(await reconstructOnBackend(be, dtype, t));
  if (fz.firstWeight !== null) p.theta.set(await reconstructOnBackend(be, dtype, fz.firstWeight), 0);
}

export interface TrainOptions {
  epochs: number;
  batch: number;
  lr: number;
  seed: number;
}

/**
 * Adam on the cross-entropy of the clicks, minibatches drawn without replacement per epoch; with a
 * factorization, the factors (and every unfactorized parameter) are what Adam updates.
 */
export async function trainCtr(
  be: Backend,
  dtype: DType,
  p: CtrParameters,
  data: CtrData,
  o: TrainOptions,
  fz: Factorization | null = null,
): Promise<void> {
  const { fields, vocab, dim } = p.shape;
  const widths = mlpWidths(p.shape);
  const n = data.clicks.length,
    steps = Math.floor(n / o.batch);
  const factors = fz === null ? [] : [...fz.tables, fz.firstWeight].filter((t): t is LowRankTerm => t !== null);
  const firstSize = widths[0] * widths[1];
  // What Adam updates, and the gradients in the same order: the factors (B then A), the unfactorized
  // tables, θ (its first weight left out when factorized). Views, so the step writes the live values.
  const parts = (pairs: { b: Float64Array; a: Float64Array }[], tables: Float64Array[], theta: Float64Array) => [
    ...pairs.flatMap((t) => [t.b, t.a]),
    ...tables.filter((_, f) => fz?.tables[f] == null),
    fz?.firstWeight ? theta.subarray(firstSize) : theta,
  ];
  const trained = parts(factors, p.tables, p.theta);
  const adam = new Adam(
    trained.reduce((s, x) => s + x.length, 0),
    o.lr,
  );
  const net = await Mlp.create(be, dtype, widths, new Float64Array(o.batch * widths[0]), new Int32Array(o.batch));
  try {
    for (let epoch = 0; epoch < o.epochs; epoch++) {
      const order = shuffled(n, o.seed * 1000 + epoch);
      for (let s = 0; s < steps; s++) {
        if (fz !== null) await materialize(be, dtype, p, fz);
        const rows = order.subarray(s * o.batch, (s + 1) * o.batch);
        await net.setBatch(
          lookup(p, data, rows),
          Int32Array.from(rows, (i) => data.clicks[i]),
        );
        await net.setParameters(p.theta);
        const g = await net.gradientWithInput();
        const tableGrads = p.tables.map(() => new Float64Array(vocab * dim));
        for (let i = 0; i < rows.length; i++)
          for (let f = 0; f < fields; f++) {
            const v = data.ids[rows[i] * fields + f],
              row = tableGrads[f].subarray(v * dim, (v + 1) * dim);
            for (let c = 0; c < dim; c++) row[c] += g.dx[(i * fields + f) * dim + c];
          }
        const factorGrads = [];
        for (const [f, t] of (fz?.tables ?? []).entries())
          if (t !== null) factorGrads.push(await factorGradients(be, dtype, t, tableGrads[f]));
        if (fz?.firstWeight)
          factorGrads.push(await factorGradients(be, dtype, fz.firstWeight, g.grad.subarray(0, firstSize)));
        adam.stepParts(trained, parts(factorGrads, tableGrads, g.grad));
      }
    }
    if (fz !== null) await materialize(be, dtype, p, fz);
  } finally {
    net.dispose();
  }
}

/** ROC AUC of the click probabilities on a data set, evaluated in chunks. */
export async function ctrAuc(
  be: Backend,
  dtype: DType,
  p: CtrParameters,
  data: CtrData,
  chunk = 5000,
): Promise<number> {
  const n = data.clicks.length,
    size = Math.min(chunk, n);
  const scores = new Float64Array(n);
  const net = await Mlp.create(
    be,
    dtype,
    mlpWidths(p.shape),
    new Float64Array(size * p.shape.fields * p.shape.dim),
    new Int32Array(size),
  );
  try {
    await net.setParameters(p.theta);
    for (let from = 0; from < n; from += size) {
      const rows = Int32Array.from({ length: size }, (_, i) => Math.min(from + i, n - 1)); // the last chunk repeats its final row
      await net.setBatch(
        lookup(p, data, rows),
        Int32Array.from(rows, (i) => data.clicks[i]),
      );
      const probs = await net.probabilities();
      for (let i = 0; i < size && from + i < n; i++) scores[from + i] = probs[2 * i + 1];
    }
  } finally {
    net.dispose();
  }
  return rocAuc(scores, data.clicks);
}

/** The first layer's input activations (C×F·d concatenated embeddings) of samples [0, C). */
export function embeddingOutputs(p: CtrParameters, data: CtrData, count: number, field: number | null): Float64Array {
  const rows = Int32Array.from({ length: count }, (_, i) => i);
  const x = lookup(p, data, rows);
  if (field === null) return x;
  const { fields, dim } = p.shape,
    out = new Float64Array(count * dim);
  for (let i = 0; i < count; i++)
    out.set(x.subarray((i * fields + field) * dim, (i * fields + field + 1) * dim), i * dim);
  return out;
}

/** Where the first layer's bias sits in θ. */
export function firstBiasOffset(s: CtrShape): number {
  const w = mlpWidths(s);
  return layerOffsets(w)[0] + w[0] * w[1];
}

function shuffled(n: number, seed: number): Int32Array {
  const u = fillRandom({ seed, stream: 320 }, 'uniform', 'f64', n);
  const order = Int32Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(u[i] * (i + 1));
    [order[i], order[j]] = [order[j], order[i]];
  }
  return order;
}
