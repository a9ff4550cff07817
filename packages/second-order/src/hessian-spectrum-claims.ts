import { defineClaim } from '@lowrank/core';
import { outlierCount, topCurvature, trainClassifier } from './hessian-spectrum.ts';

/** S39: the Hessian's top spectrum is about one outlier per class above a bulk, shared with the Gauss–Newton matrix. */
export const hessianOutliersClaim = defineClaim({
  id: 'second-order/hessian-spectrum/outliers',
  paper: 'S39',
  family: 'second-order',
  title: 'MLP Hessian on a k-cluster mixture: about k outliers above the bulk, unchanged by width, matching the Gauss–Newton outliers',
  statement: 'The spectrum of the Hessian of the training loss is composed of a bulk concentrated around zero and outliers away '
    + 'from it; adding parameters with the data fixed only scales the bulk, while changing the data (more clusters) moves the '
    + 'outliers, whose number relates to the number of classes; the outliers relate to the covariance of the output gradients '
    + '(abstract and introduction).',
  paperNumbers: [
    { quantity: 'outliers', value: 'about one per class (the plan accepts k − 1, k or k + 1), unchanged when the hidden width doubles' },
    { quantity: 'pass rule (plan)', value: '#eigenvalues above the largest gap of the sorted log-spectrum ∈ {k−1, k, k+1} for each k; doubling h leaves the count unchanged; top-k eigenvalues of H within 10% of those of G' },
  ],
  primitives: ['gemm', 'unary', 'binary', 'reduce', 'axpy', 'dot', 'nrm2', 'svd', 'syev'],
  dtypes: ['f64', 'f32'],
  experiment: {
    full: { n: 500, d: 10, classes: [2, 5, 10], hidden: [16, 32], separation: 5, steps: 2000, lr: 1e-3, top: 30, lanczos: 60, seeds: [0, 1, 2] },
    standard: { n: 500, d: 10, classes: [2, 5, 10], hidden: [16, 32], separation: 5, steps: 2000, lr: 1e-3, top: 30, lanczos: 60, seeds: [0] },
    reduced: { n: 200, d: 10, classes: [2, 5], hidden: [8, 16], separation: 5, steps: 300, lr: 1e-3, top: 20, lanczos: 40, seeds: [0] },
  },
  predicates: [
    {
      name: 'about one outlier per class',
      kind: 'empirical',
      rule: 'Hessian outliers (above the largest gap of the log top-spectrum) ∈ {k − 1, k, k + 1} for every k, width and seed',
      holds: (m) => m['runs with k ± 1 outliers (fraction)'] === 1,
    },
    {
      name: 'width leaves the outliers alone',
      kind: 'empirical',
      rule: 'the Hessian outlier count is the same at h and 2h for every k and seed',
      holds: (m) => m['width pairs with equal counts (fraction)'] === 1,
    },
    {
      name: 'the outliers are the Gauss–Newton outliers',
      kind: 'empirical',
      rule: 'the top-k eigenvalues of H are within 10% of those of G (worst relative difference ≤ 0.1)',
      holds: (m) => m['top-k |λ_H/λ_G − 1|, worst'] <= 0.1,
    },
  ],
  expected: 'not reproduced',
  expectedFailing: ['about one outlier per class', 'width leaves the outliers alone', 'the outliers are the Gauss–Newton outliers'],
  calibration: 'Not reproduced, thresholds as planned. Full run (WASM f64, 38 s): the Hessian shows one outlier above the largest '
    + 'log-gap in most runs, not k: runs with k ± 1 outliers 0.33, width pairs with equal counts 0.44, top-k |λ_H/λ_G − 1| up to 2.3 '
    + '(final losses 3e-5 to 5e-3 after 2000 Adam steps). The Gauss–Newton matrix alone comes closer at h = 32 (k = 5: 4, 5, 7 '
    + 'outliers; k = 10: 10 in one seed of three). Also tried, same picture: Adam lr 1e-2 (loss ≤ 1e-4) and 100–300 steps with '
    + 'separation 3 or 10. The curvature products match numpy\'s complex-step Hessian to 0.2 of the LAPACK threshold (mlp/curvature). '
    + 'Likely cause: P ≈ 0.5–1.7k is not ≫ N(k − 1), so there is little of the paper\'s zero bulk, and near zero loss the residual '
    + 'term of H = G + Σ(p − y)·∇²f is as large as G.',
  async run(be, dtype, e, ctx) {
    const measured: Record<string, number> = {};
    let withinOne = 0, runs = 0, equalPairs = 0, pairs = 0, worstRatio = 0;
    for (const classes of e.classes) {
      for (const seed of e.seeds) {
        await ctx.step(`seed ${seed}`);
        const counts: number[] = [];
        for (const hidden of e.hidden) {
          const { net, loss } = await trainClassifier(be, dtype, { n: e.n, d: e.d, classes, hidden, separation: e.separation, steps: e.steps, lr: e.lr, seed });
          try {
            const h = await topCurvature(net, 'hessian', e.top, e.lanczos, seed);
            const g = await topCurvature(net, 'gauss-newton', e.top, e.lanczos, seed);
            const count = outlierCount(h);
            counts.push(count);
            runs++;
            if (Math.abs(count - classes) <= 1) withinOne++;
            for (let i = 0; i < classes; i++) worstRatio = Math.max(worstRatio, Math.abs(h[i] / g[i] - 1));
            const key = `k=${classes} h=${hidden} seed ${seed}`;
            measured[`${key}: outliers H`] = count;
            measured[`${key}: outliers G`] = outlierCount(g);
            measured[`${key}: λ₁(H)`] = h[0];
            measured[`${key}: final loss`] = loss;
          } finally {
            net.dispose();
          }
        }
        for (let i = 1; i < counts.length; i++, pairs++) if (counts[i] === counts[i - 1]) equalPairs++;
      }
    }
    measured['runs with k ± 1 outliers (fraction)'] = withinOne / runs;
    measured['width pairs with equal counts (fraction)'] = equalPairs / pairs;
    measured['top-k |λ_H/λ_G − 1|, worst'] = worstRatio;
    return { measured, seeds: e.seeds };
  },
});
