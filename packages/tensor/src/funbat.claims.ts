import { defineClaim, median, prose } from '@lowrank/core';
import { maternSde } from '@lowrank/ssm';
import { binnedTucker, funbatLite } from './funbat.ts';
import { twoModeSample, type Target } from './funbat.fixtures.ts';

const rmse = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let s = 0;
  for (let i = 0; i < b.length; i++) s += (a[i] - b[i]) ** 2;
  return Math.sqrt(s / b.length);
};

export const funbatClaim = defineClaim({
  id: 'tensor/funbat/continuous-vs-binned',
  paper: 'S24',
  family: 'tensor',
  title: 'Continuous-index Tucker with GP latent functions predicts better than Tucker on binned indices',
  statement: prose`
    FunBaT keeps tensor indices continuous — each mode's latent factors are functions with Gaussian-process priors,
    inferred through their state-space forms — and predicts more accurately than discretized Tucker baselines on
    synthetic and real continuous-indexed data (Fang et al., abstract). The paper's conditional-EP schedule was not
    available offline: FunBaT-lite here is the catalogue's alternating Gaussian updates (backfitting each latent
    function through its Kalman smoother, the core by its Gaussian posterior), the closest standard method.
  `,
  paperNumbers: [
    {
      quantity: 'behaviour',
      value: 'better accuracy than discretized Tucker on synthetic and real data (abstract; no table)',
    },
    {
      quantity: 'pass rule (catalogue S24, C1)',
      value: prose`
        f(x, y) = Σ_{r,s} W_rs u_r(x) v_s(y), u = (sin 2πx, cos 3πx), v = (e^{−y}, sin 5y), 500 noisy observations
        (σ = 0.05) on [0, 1]²; FunBaT-lite (30 sweeps) against Tucker-ALS on 20 × 20 bins; RMSE on 2000 fresh points;
        5 seeds: RMSE_FunBaT ≤ 0.7 × RMSE_binned in ≥ 4/5 seeds
      `,
    },
  ],
  primitives: ['kalman'],
  // f64 only: the backfitting's pseudo-observation precisions c²/σ² span several decades.
  dtypes: ['f64'],
  experiment: {
    full: { n: 500, q: 2000, sigma: 0.05, sweeps: 30, bins: 20, seeds: [0, 1, 2, 3, 4], longSweeps: 100 },
    standard: { n: 500, q: 2000, sigma: 0.05, sweeps: 30, bins: 20, seeds: [0, 1, 2, 3, 4], longSweeps: 0 },
    reduced: { n: 300, q: 200, sigma: 0.05, sweeps: 20, bins: 10, seeds: [0], longSweeps: 0 },
  },
  predicates: [
    {
      name: 'ahead on its own model class',
      kind: 'mechanism',
      rule: prose`
        on the catalogue's separable target (a rank-(2, 2) continuous Tucker, FunBaT's own class), RMSE_FunBaT ≤ 0.7 ×
        RMSE_binned in at least 4/5 of the seeds (the catalogue's rule)
      `,
      holds: (m) => m['separable: runs'] > 0 && m['separable: seeds with FunBaT ≤ 0.7 × binned (fraction)'] >= 0.8,
    },
    {
      name: 'ahead on a smooth target outside it',
      kind: 'empirical',
      rule: prose`
        on e^{−3(x−y)²} + ½cos(3πxy), not separable at any finite rank, both at ranks (3, 3): RMSE_FunBaT ≤ 0.7 ×
        RMSE_binned in at least 4/5 of the seeds
      `,
      holds: (m) =>
        m['non-separable: runs'] > 0 && m['non-separable: seeds with FunBaT ≤ 0.7 × binned (fraction)'] >= 0.8,
    },
  ],
  bands: {
    'separable: runs': [0.952, 1.05],
    'separable: seeds with FunBaT ≤ 0.7 × binned (fraction)': [0.952, 1.05],
    'non-separable: runs': [0.952, 1.05],
    'non-separable: seeds with FunBaT ≤ 0.7 × binned (fraction)': [0.952, 1.05],
  },
  calibration: prose`
    Both methods see the same observations (uniform on [0, 1]², noise σ = 0.05) and are scored on the same fresh
    noiseless queries. FunBaT-lite: Matérn-3/2 latent functions with lengthscale 0.2 and variance 1 (fixed, not
    tuned; the target's shortest feature, cos 3πx, has half-period 0.33), the true noise variance, core prior
    variance 10, 30 sweeps from a deterministic smooth start (v_s(y) = cos(sπy), W = I, u from its first update; in
    a trial, starts of white noise at the coordinates stalled in poor optima on some seeds). Binned: cell means on the catalogue's 20 × 20 grid,
    rank-R weighted ALS with 30 sweeps and a ridge of 0.1 × the largest cell count, the same ranks as FunBaT. The
    ridge was chosen for the baseline in a trial on these seeds: the smallest of {10⁻³, 10⁻², 0.1, 0.3, 1} with no
    blow-up (10⁻³ and 10⁻² diverged on one seed at rank 3; at 10⁻² the other seeds' RMSE is within 0.02 of 0.1's). The binned method's own floor — its grid's discretization error — is what continuous indices remove; the
    fraction of empty cells is recorded, and (full run) FunBaT-lite on the off-class target after 100 sweeps.
  `,
  plot(m) {
    return {
      title: 'RMSE on fresh points (median over seeds)',
      x: { name: 'target (1 separable, 2 non-separable)' },
      y: { name: 'RMSE', log: true },
      series: [
        {
          name: 'FunBaT-lite',
          points: [
            [1, m['separable: median RMSE, FunBaT']],
            [2, m['non-separable: median RMSE, FunBaT']],
          ],
        },
        {
          name: 'Tucker on 20×20 bins',
          points: [
            [1, m['separable: median RMSE, binned']],
            [2, m['non-separable: median RMSE, binned']],
          ],
        },
      ],
    };
  },
  async run(be, dtype, e, ctx) {
    const measured: Record<string, number> = {};
    const cases: readonly [Target, number][] = [
      ['separable', 2],
      ['non-separable', 3],
    ];
    for (const [target, rank] of cases) {
      const fb: number[] = [],
        bt: number[] = [];
      let wins = 0,
        empty = 0;
      for (const seed of e.seeds) {
        await ctx.step(`${target}, seed ${seed}`);
        const { data, query } = twoModeSample(target, e.n, e.q, e.sigma, seed);
        const f = await funbatLite(be, dtype, data, query, {
          ranks: [rank, rank],
          sde: maternSde(1.5, 0.2, 1),
          noiseVariance: e.sigma ** 2,
          sweeps: e.sweeps,
          coreVariance: 10,
        });
        const b = binnedTucker(data, query, { bins: e.bins, rank, sweeps: e.sweeps, ridge: 0.1, seed });
        const rf = rmse(f, query.f),
          rb = rmse(b, query.f);
        measured[`${target}: seed ${seed}: RMSE FunBaT`] = rf;
        measured[`${target}: seed ${seed}: RMSE binned`] = rb;
        fb.push(rf);
        bt.push(rb);
        if (rf <= 0.7 * rb) wins++;
        const cells = new Set(
          Array.from(data.x, (x, i) => `${Math.floor(x * e.bins)},${Math.floor(data.y[i] * e.bins)}`),
        );
        empty = Math.max(empty, 1 - cells.size / e.bins ** 2);
      }
      measured[`${target}: runs`] = e.seeds.length;
      measured[`${target}: median RMSE, FunBaT`] = median(fb);
      measured[`${target}: median RMSE, binned`] = median(bt);
      measured[`${target}: seeds with FunBaT ≤ 0.7 × binned (fraction)`] = wins / e.seeds.length;
      measured[`${target}: empty cells, largest fraction`] = empty;
    }
    if (e.longSweeps > 0) {
      // Recorded, read by no predicate: FunBaT-lite on the off-class target with more sweeps than the budget.
      const long: number[] = [];
      for (const seed of e.seeds) {
        await ctx.step(`non-separable, seed ${seed}, ${e.longSweeps} sweeps`);
        const { data, query } = twoModeSample('non-separable', e.n, e.q, e.sigma, seed);
        const f = await funbatLite(be, dtype, data, query, {
          ranks: [3, 3],
          sde: maternSde(1.5, 0.2, 1),
          noiseVariance: e.sigma ** 2,
          sweeps: e.longSweeps,
          coreVariance: 10,
        });
        long.push(rmse(f, query.f));
      }
      measured[`non-separable: median RMSE, FunBaT after ${e.longSweeps} sweeps`] = median(long);
    }
    return { measured, seeds: e.seeds };
  },
});
