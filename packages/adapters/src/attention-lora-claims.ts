import { defineClaim, fillRandom, hostTensor, forAll } from '@lowrank/core';
import { attentionLoraGradient, taylorAttentionError, type AttentionLora } from './attention-lora.ts';

/** S11: a norm bound decides whether LoRA's attention gradient admits a low-rank (nearly linear-time) approximation. */
export const loraComplexityClaim = defineClaim({
  id: 'adapters/lora-complexity/norm-threshold',
  paper: 'S11',
  family: 'adapters',
  title: 'LoRA attention gradients: exact as a chain of products; exp(QKᵀ) low-rank by polynomial features below a norm bound, not above',
  statement: 'There is a sharp efficiency phase transition in a norm bound on the inputs, the pretrained weights and the adapter: '
    + 'below it, nearly linear-time approximation algorithms for the LoRA gradient exist (through low-rank approximations of the '
    + 'attention matrix chained through the gradient), above it no sub-quadratic algorithm exists under SETH (abstract).',
  paperNumbers: [
    { quantity: 'threshold', value: 'entries of S = QKᵀ bounded by B = o(√log L) (≈ 2.6 at L = 1024): polynomial features of low degree suffice' },
    { quantity: 'pass rule (plan)', value: '(C1) degree-6 features (rank 210): error < 1e-4 at B ≤ 1; at B = 8 even the optimal rank-210 error > 1e-2; (C2) the chained gradient equals dense differentiation to 1e-8 (f64) at L = 16, d = 4, r = 2' },
  ],
  primitives: ['gemm', 'unary', 'binary', 'reduce', 'axpy', 'scal', 'nrm2', 'svd', 'syev'],
  // f64 only: the 1e-8 comparison with finite differences and the 1e-4 polynomial error need more than f32's 2^-23.
  dtypes: ['f64'],
  experiment: {
    // L = 512 rather than the plan's 1024: the Jacobi SVD of exp(QKᵀ) (numerically low rank) needs ~45 sweeps at 512, and 8× per sweep at 1024.
    full: { l: 512, d: 4, degree: 6, bounds: [0.5, 1, 2, 4, 8], gradL: 16, gradRank: 2, seeds: [0] },
    standard: { l: 256, d: 4, degree: 6, bounds: [0.5, 1, 2, 4, 8], gradL: 16, gradRank: 2, seeds: [0] },
    reduced: { l: 256, d: 4, degree: 6, bounds: [1, 8], gradL: 8, gradRank: 2, seeds: [0] },
  },
  predicates: [
    {
      name: 'polynomial features suffice below the bound',
      kind: 'empirical',
      rule: 'degree-6 Taylor features (rank 210): relative Frobenius error of exp(QKᵀ) < 1e-4 for every B ≤ 1',
      holds: (m) => forAll(Object.entries(m).filter(([k]) => /^B=(0\.5|1): polynomial/.test(k)), ([, v]) => v < 1e-4),
    },
    {
      name: 'no low rank suffices above it',
      kind: 'empirical',
      rule: 'at B = 8 even the optimal rank-210 approximation (Eckart–Young, from the SVD) has relative error > 1e-2',
      holds: (m) => m['B=8: optimal rank-210 error'] > 1e-2,
    },
    {
      name: 'the chained LoRA gradient is exact',
      kind: 'identity',
      rule: 'max |∂ − ∂_FD| / max |∂_FD| ≤ 1e-8 for ∂A_Q, ∂B_Q against central differences (h = 1e-5)',
      holds: (m) => m['gradient vs central differences (relative)'] <= 1e-8,
    },
  ],
  expected: 'not reproduced',
  expectedFailing: ['no low rank suffices above it'],
  calibration: 'Full run (WASM f64, L = 512, d = 4, random Gaussian Q, K scaled to max |q·k| = B): polynomial error 3.1e-9, 3.8e-7, 4.3e-5, '
    + '4.2e-3, 0.21 at B = 0.5, 1, 2, 4, 8 — the transition is there for the features — but the optimal rank-210 error stays tiny: '
    + '6.7e-13, 8.5e-11, 1.0e-8, 9.8e-7, 3.8e-5; the chained gradient matches central differences to 2.5e-9 (7 s). exp(QKᵀ) of 4-dimensional random rows is numerically low-rank at every B tried; '
    + 'the paper\'s lower bound is a worst case under SETH, which random inputs do not reach. Thresholds as planned.',
  async run(be, dtype, e, ctx) {
    const measured: Record<string, number> = {};
    for (const seed of e.seeds) {
      await ctx.step(`seed ${seed}`);
      const q = fillRandom({ seed, stream: 200 }, 'normal', 'f64', e.l * e.d) as Float64Array, k = fillRandom({ seed, stream: 201 }, 'normal', 'f64', e.l * e.d) as Float64Array;
      for (const bound of e.bounds) {
        const r = await taylorAttentionError(be, dtype, q, k, e.l, e.d, bound, e.degree);
        measured[`B=${bound}: polynomial (rank ${r.rank}) error`] = r.polynomial;
        measured[`B=${bound}: optimal rank-${r.rank} error`] = r.optimal;
      }
      // (C2): the chained gradient against central differences of the loss.
      const release = be.track();
      try {
        const up = async (rows: number, cols: number, stream: number, scale: number) =>
          be.upload(hostTensor(dtype, [rows, cols], (fillRandom({ seed, stream }, 'normal', 'f64', rows * cols) as Float64Array).map((v) => v * scale)));
        const p: AttentionLora = {
          x: await up(e.gradL, e.d, 210, 1), wq: await up(e.d, e.d, 211, 0.5), wk: await up(e.d, e.d, 212, 0.5),
          wv: await up(e.d, e.d, 213, 0.5), y: await up(e.gradL, e.d, 214, 1), rank: e.gradRank, scale: 2,
        };
        const a = fillRandom({ seed, stream: 215 }, 'normal', 'f64', e.gradRank * e.d) as Float64Array;
        const b = (fillRandom({ seed, stream: 216 }, 'normal', 'f64', e.d * e.gradRank) as Float64Array).map((v) => 0.3 * v);
        const g = await attentionLoraGradient(be, dtype, p, a, b);
        let err = 0, scale = 0;
        for (const [params, grad] of [[a, g.da], [b, g.db]] as const) {
          for (let i = 0; i < params.length; i++) {
            const t = params[i], h = 1e-5;
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
