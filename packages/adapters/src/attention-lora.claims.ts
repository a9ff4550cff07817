import {
  defineClaim,
  fillRandom,
  forAll,
  hostTensor,
  measuredWhere,
  pointsFrom,
  prose,
  type Backend,
  type ClaimDef,
  type DType,
} from '@lowrank/core';
import { attentionLoraGradient, taylorAttentionError, type AttentionLora } from './attention-lora.ts';

const STATEMENT = prose`
  There is a sharp efficiency phase transition in a norm bound on the inputs, the pretrained weights and the adapter:
  below it, nearly linear-time approximation algorithms for the LoRA gradient exist (through low-rank approximations of the
  attention matrix chained through the gradient), above it no sub-quadratic algorithm exists under SETH (abstract).
`;
const THRESHOLD = {
  quantity: 'threshold',
  value: 'entries of S = QKᵀ bounded by B = o(√log L) (≈ 2.5 at L = 512), with d = O(log L)',
};

/** What both halves of S11 share. f64 only: the 1e-8 comparison with finite differences and the 1e-4 polynomial error need more than f32's 2^-23. */
const S11 = {
  paper: 'S11',
  family: 'adapters',
  statement: STATEMENT,
  primitives: ['gemm', 'unary', 'binary', 'reduce', 'axpy', 'scal', 'nrm2', 'svd', 'syev'],
  dtypes: ['f64'],
} as const satisfies Partial<ClaimDef>;

/** Random Gaussian Q, K (L×d) scaled to max |q·k| = B: per B, the degree-g polynomial's error and the optimal rank-r error. */
async function transition(
  be: Backend,
  dtype: DType,
  l: number,
  d: number,
  bounds: readonly number[],
  degree: number,
  rank: number | undefined,
  seed: number,
  measured: Record<string, number>,
): Promise<void> {
  const q = fillRandom({ seed, stream: 200 }, 'normal', 'f64', l * d) as Float64Array,
    k = fillRandom({ seed, stream: 201 }, 'normal', 'f64', l * d) as Float64Array;
  for (const bound of bounds) {
    const r = await taylorAttentionError(be, dtype, q, k, l, d, bound, degree, rank);
    measured[`B=${bound}: polynomial (rank ${r.featureRank}) error`] = r.polynomial;
    measured[`B=${bound}: optimal rank-${r.rank} error`] = r.optimal;
  }
}

/**
 * S11, the upper half at d = 4: below the bound, degree-6 Taylor features (rank C(10, 6) = 210 < L) approximate
 * exp(QKᵀ) and the LoRA gradient chains through products exactly. The lower half needs another dimension:
 * exp(QKᵀ) of 4-dimensional random rows stays numerically low rank at every B (see the claim below).
 */
/** Error against the entry bound B, log-log, one series per measured quantity family (keys 'B=…: what'). */
const errorAgainstBound = (title: string, series: Array<{ name: string; points: Array<[number, number]> }>) => ({
  title,
  x: { name: 'entry bound B', log: true },
  y: { name: 'relative error ‖exp(QKᵀ) − approximation‖_F / ‖exp(QKᵀ)‖_F', log: true },
  series,
});

export const loraPolynomialClaim = defineClaim({
  ...S11,
  id: 'adapters/lora-complexity/polynomial-below-bound',
  title: prose`
      LoRA attention gradients: exact as a chain of products; exp(QKᵀ) low rank by polynomial features below the norm
      bound (d = 4)
    `,
  paperNumbers: [
    THRESHOLD,
    {
      quantity: 'pass rule (plan)',
      value: prose`
          degree-6 features (rank 210): error < 1e-4 at B ≤ 1; the chained gradient equals dense differentiation to
          1e-8 (f64) at L = 16, d = 4, r = 2
        `,
    },
  ],
  experiment: {
    // L = 512 rather than the plan's 1024: the Jacobi SVD of exp(QKᵀ) (numerically low rank) needs ~45 sweeps at 512, and 8× per sweep at 1024.
    full: { l: 512, d: 4, degree: 6, bounds: [0.5, 1, 2, 4, 8], gradL: 16, gradRank: 2, seeds: [0] },
    standard: { l: 256, d: 4, degree: 6, bounds: [0.5, 1, 2, 4, 8], gradL: 16, gradRank: 2, seeds: [0] },
    reduced: { l: 256, d: 4, degree: 6, bounds: [1, 8], gradL: 8, gradRank: 2, seeds: [0] },
  },
  predicates: [
    {
      name: 'polynomial features suffice below the bound',
      kind: 'identity',
      rule: prose`
        degree-6 Taylor features (rank 210): relative Frobenius error of exp(QKᵀ) < 1e-4 for every B ≤ 1 (the Taylor
        remainder, checked)
      `,
      holds: (m) =>
        forAll(
          measuredWhere(m, (k) => /^B=(0\.5|1): polynomial/.test(k)),
          ([, v]) => v < 1e-4,
        ),
    },
    {
      name: 'the chained LoRA gradient is exact',
      kind: 'identity',
      rule: 'max |∂ − ∂_FD| / max |∂_FD| ≤ 1e-8 for ∂A_Q, ∂B_Q against central differences (h = 1e-5)',
      holds: (m) => m['gradient vs central differences (relative)'] <= 1e-8,
    },
  ],
  bands: {
    'B=1: polynomial (rank 210) error': [3.5e-7, 5.59e-6],
    'gradient vs central differences (relative)': [5.34e-11, 1.34e-8],
  },
  calibration: prose`
    Both predicates are checks of algebra (a Taylor remainder, a chain rule), so the claim reads mechanism verified at
    best. The lower half (no low rank above the bound) cannot be shown at d = 4: the optimal rank-210 error stays below 1e-4
    at every B tried (reported here as the optimal rank-210 errors); it is the next claim, at d = 16.
  `,
  plot(m) {
    return errorAgainstBound('Degree-6 Taylor features against the optimal approximation of the same rank', [
      { name: 'polynomial (Taylor) features', points: pointsFrom(m, /^B=([\d.]+): polynomial \(rank \d+\) error$/) },
      { name: 'optimal (SVD) at that rank', points: pointsFrom(m, /^B=([\d.]+): optimal rank-\d+ error$/) },
    ]);
  },
  async run(be, dtype, e, ctx) {
    const measured: Record<string, number> = {};
    for (const seed of e.seeds) {
      await ctx.step(`seed ${seed}`);
      await transition(be, dtype, e.l, e.d, e.bounds, e.degree, undefined, seed, measured);
      // (C2): the chained gradient against central differences of the loss.
      const release = be.track();
      try {
        const up = async (rows: number, cols: number, stream: number, scale: number) =>
          be.upload(
            hostTensor(
              dtype,
              [rows, cols],
              (fillRandom({ seed, stream }, 'normal', 'f64', rows * cols) as Float64Array).map((v) => v * scale),
            ),
          );
        const p: AttentionLora = {
          x: await up(e.gradL, e.d, 210, 1),
          wq: await up(e.d, e.d, 211, 0.5),
          wk: await up(e.d, e.d, 212, 0.5),
          wv: await up(e.d, e.d, 213, 0.5),
          y: await up(e.gradL, e.d, 214, 1),
          rank: e.gradRank,
          scale: 2,
        };
        const a = fillRandom({ seed, stream: 215 }, 'normal', 'f64', e.gradRank * e.d) as Float64Array;
        const b = (fillRandom({ seed, stream: 216 }, 'normal', 'f64', e.d * e.gradRank) as Float64Array).map(
          (v) => 0.3 * v,
        );
        const g = await attentionLoraGradient(be, dtype, p, a, b);
        let err = 0,
          scale = 0;
        for (const [params, grad] of [
          [a, g.da],
          [b, g.db],
        ] as const) {
          for (let i = 0; i < params.length; i++) {
            const t = params[i],
              h = 1e-5;
            params[i] = t + h;
            const lossUp = (await attentionLoraGradient(be, dtype, p, a, b)).loss;
            params[i] = t - h;
            const lossDown = (await attentionLoraGradient(be, dtype, p, a, b)).loss;
            params[i] = t;
            const fd = (lossUp - lossDown) / (2 * h);
            err = Math.max(err, Math.abs(grad[i] - fd));
            scale = Math.max(scale, Math.abs(fd));
          }
        }
        measured['gradient vs central differences (relative)'] = err / scale;
        measured['attention LoRA loss'] = g.loss;
      } finally {
        release();
      }
    }
    return { measured, seeds: e.seeds };
  },
});

/**
 * S11, the lower half at d = 16 (still O(log L) at L = 512): above the bound no rank-210 approximation of
 * exp(QKᵀ) exists, below it the optimal one is accurate: the transition in B. Degree-6 features have rank
 * C(22, 6) = 74613 > L here, so the polynomial method itself gives nothing low rank at this d.
 */
export const loraNoLowRankClaim = defineClaim({
  ...S11,
  id: 'adapters/lora-complexity/no-low-rank-above-bound',
  title: 'exp(QKᵀ) of random 16-dimensional rows: no rank-210 approximation above the norm bound, a sharp rise in B',
  paperNumbers: [
    THRESHOLD,
    { quantity: 'pass rule (plan)', value: 'at B = 8 even the optimal rank-210 approximation has error > 1e-2' },
  ],
  experiment: {
    // r = 210, the rank of degree-6 features at d = 4: the same budget as the upper half.
    full: { l: 512, d: 16, rank: 210, bounds: [0.5, 1, 2, 4, 8], seeds: [0, 1, 2] },
    standard: { l: 512, d: 16, rank: 210, bounds: [0.5, 1, 2, 4, 8], seeds: [0] },
    reduced: { l: 256, d: 16, rank: 210, bounds: [1, 8], seeds: [0] },
  },
  predicates: [
    {
      name: 'no low rank suffices above the bound',
      kind: 'empirical',
      rule: 'at B = 8 the optimal rank-210 approximation (Eckart–Young) has relative error > 1e-2, in every seed',
      holds: (m) => m['B=8: optimal rank-r error, best seed'] > 1e-2,
    },
    {
      name: 'the error rises sharply across the bound',
      kind: 'empirical',
      rule: 'optimal rank-210 error at B = 8 ≥ 10× that at B = 1, in every seed',
      holds: (m) => m['rise from B=1 to B=8, lowest seed'] >= 10,
    },
  ],
  bands: {
    'B=8: optimal rank-r error, best seed': [0.00407, 0.0082],
    'rise from B=1 to B=8, lowest seed': [26.4, 64.8],
  },
  calibration: prose`
    Split from the d = 4 claim: at d = 4 the optimal rank-210 error stays below 1e-4 at every B (random 4-dimensional rows
    keep exp(QKᵀ) numerically low rank), so "no low rank above the bound" could not hold there; the paper's lower bound is a
    worst case under SETH, which random inputs approach only as d grows. Regime: B from 0.5 to 8 brackets √log L ≈ 2.5.
  `,
  plot(m, e) {
    return errorAgainstBound(
      `The best rank-${e.rank} approximation of exp(QKᵀ) against the entry bound B, per seed`,
      e.seeds.map((s) => ({
        name: `seed ${s}`,
        points: e.bounds.map((b): [number, number] => [b, m[`seed ${s}, B=${b}: optimal rank-${e.rank} error`]]),
      })),
    );
  },
  async run(be, dtype, e, ctx) {
    const measured: Record<string, number> = {};
    let best8 = Infinity,
      rise = Infinity;
    for (const seed of e.seeds) {
      await ctx.step(`seed ${seed}`);
      const m: Record<string, number> = {};
      await transition(be, dtype, e.l, e.d, e.bounds, 6, e.rank, seed, m);
      for (const bound of e.bounds)
        measured[`seed ${seed}, B=${bound}: optimal rank-${e.rank} error`] =
          m[`B=${bound}: optimal rank-${e.rank} error`];
      best8 = Math.min(best8, m[`B=8: optimal rank-${e.rank} error`]);
      rise = Math.min(rise, m[`B=8: optimal rank-${e.rank} error`] / m[`B=1: optimal rank-${e.rank} error`]);
    }
    measured['B=8: optimal rank-r error, best seed'] = best8;
    measured['rise from B=1 to B=8, lowest seed'] = rise;
    return { measured, seeds: e.seeds };
  },
});
