import { defineClaim, fillRandom, logLogSlope, msPerCall, pointsFrom, prose } from '@lowrank/core';
import { denseGp, maternSmooth } from './matern-gp.ts';
import { MATERN_NUS, maternSde, type MaternNu } from './matern.ts';

const timeKey = (method: 'state-space' | 'dense', n: number) => `ms per posterior, ${method}, n=${n}`;

/** n irregular coordinates in [0, n/20] (unsorted), y = sin + noise, every fourth coordinate a test point (w = 0). */
function problem(n: number, seed: number, batch = 1) {
  const x = Float64Array.from(fillRandom({ seed, stream: 0 }, 'uniform', 'f64', n), (u) => (u * n) / 20);
  const e = fillRandom({ seed, stream: 1 }, 'normal', 'f64', batch * n);
  const y = Float64Array.from(e, (v, i) => Math.sin(x[i % n]) + 0.1 * v);
  const w = Float64Array.from({ length: batch * n }, (_, i) => (i % 4 === 3 ? 0 : 100));
  return { x, y, w };
}

/** max |a − b| / max |b| over the entries. */
function relativeGap(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let gap = 0,
    scale = 0;
  for (let i = 0; i < b.length; i++) {
    gap = Math.max(gap, Math.abs(a[i] - b[i]));
    scale = Math.max(scale, Math.abs(b[i]));
  }
  return gap / scale;
}

export const maternGpClaim = defineClaim({
  id: 'ssm/funbat/state-space-gp',
  paper: 'S24',
  family: 'ssm',
  title: "A Matérn GP's posterior by Kalman + RTS smoothing of its SDE: the dense posterior, in linear time",
  statement: prose`
    FunBaT's latent functions are Gaussian processes with Matérn kernels; written as linear SDEs between sorted
    coordinates (Hartikainen & Särkkä), their posteriors come from a Kalman filter and RTS smoother in O(n) per mode
    instead of the O(n³) of the dense posterior — "the state-space conversion makes inference scalable" (Fang et al.,
    abstract). This claim checks the conversion (exactness and scaling); FunBaT's accuracy against discretized Tucker
    is a separate claim.
  `,
  paperNumbers: [
    { quantity: 'behaviour', value: 'state-space inference scalable (abstract); O(N) per mode (method)' },
    {
      quantity: 'pass rule (catalogue S24, C0)',
      value: prose`
        1-D Matérn-3/2 GP regression, n = 200 irregular points: Kalman + RTS posterior mean and variance equal the
        dense posterior K(K + σ²I)⁻¹y to 1e-8; runtime linear in n ∈ {10³, 10⁴, 10⁵} (log-log slope 0.9–1.1)
      `,
    },
  ],
  primitives: ['kalman', 'cholesky', 'trsm', 'gemm'],
  // f64 only: the identity asks for agreement to 1e-8, below f32's resolution.
  dtypes: ['f64'],
  experiment: {
    full: {
      n: 200,
      seeds: [0, 1, 2, 3, 4],
      sizes: [1000, 10_000, 100_000],
      denseSizes: [250, 500, 1000, 2000],
      minMs: 300,
    },
    standard: { n: 200, seeds: [0, 1, 2], sizes: [1000, 10_000, 100_000], denseSizes: [250, 500, 1000], minMs: 200 },
    reduced: { n: 40, seeds: [0], sizes: [200, 800, 3200], denseSizes: [50, 100], minMs: 5 },
  },
  predicates: [
    {
      name: 'the smoother is the dense posterior',
      kind: 'identity',
      rule: prose`
        for ν = ½, 3/2, 5/2 and every seed, posterior means, variances (relative to their largest) and the log marginal
        likelihood (relative) of the state-space route within 1e-8 of the dense posterior's
      `,
      holds: (m) => m['runs'] > 0 && m['largest relative gap to the dense posterior'] <= 1e-8,
    },
    {
      name: 'linear time in n',
      kind: 'mechanism',
      rule: 'log-log slope of the state-space posterior time against n over the sizes in [0.9, 1.1]',
      holds: (m) => m['state-space time slope'] >= 0.9 && m['state-space time slope'] <= 1.1,
    },
  ],
  bands: {
    runs: [2.85, 3.16],
    'largest relative gap to the dense posterior': [0, 1.85e-12],
    'state-space time slope': 'timed',
  },
  calibration: prose`
    n irregular coordinates uniform on [0, n/20] (unsorted; the smoother sorts them), y = sin x + N(0, 0.01), every
    fourth coordinate a test point with no observation (precision 0), Matérn lengthscale 1.2 and variance 1.3 for
    each ν. The dense posterior (Cholesky of K_oo + σ²I, triangular solves, GEMM on the backend) is the referee; it is
    also timed at a few sizes to show what the conversion removes (recorded, no predicate). Times are the fastest of
    three batches of calls (≥ minMs each) of the whole route — the SDE's discretization on the host and the smoother on
    the backend — on Matérn-3/2.
  `,
  plot(m) {
    return {
      title: 'Time per posterior (Matérn-3/2, one sequence)',
      x: { name: 'n', log: true },
      y: { name: 'ms', log: true },
      series: [
        { name: 'Kalman + RTS', points: pointsFrom(m, /^ms per posterior, state-space, n=(\d+)$/) },
        { name: 'dense (Cholesky)', points: pointsFrom(m, /^ms per posterior, dense, n=(\d+)$/) },
      ],
    };
  },
  async run(be, dtype, e, ctx) {
    const measured: Record<string, number> = {};
    let runs = 0,
      worst = 0;
    for (const nu of MATERN_NUS) {
      const sde = maternSde(nu as MaternNu, 1.2, 1.3);
      for (const seed of e.seeds) {
        await ctx.step(`ν = ${nu}, seed ${seed}`);
        const { x, y, w } = problem(e.n, seed);
        const ss = await maternSmooth(be, dtype, sde, x, y, w, 1);
        const dense = await denseGp(be, dtype, sde, x, y, w);
        const gap = Math.max(
          relativeGap(ss.mean, dense.mean),
          relativeGap(ss.variance, dense.variance),
          relativeGap(ss.logLik, dense.logLik),
        );
        measured[`relative gap, ν=${nu}, seed ${seed}`] = gap;
        worst = Math.max(worst, gap);
        runs++;
      }
    }
    measured['runs'] = runs;
    measured['largest relative gap to the dense posterior'] = worst;
    const sde = maternSde(1.5, 1.2, 1.3);
    const best = async (run: () => Promise<unknown>) => {
      const times: number[] = [];
      for (let r = 0; r < 3; r++) times.push(await msPerCall(be, run, e.minMs));
      return Math.min(...times);
    };
    const times: number[] = [];
    for (const n of e.sizes) {
      await ctx.step(`timing the state-space posterior, n = ${n}`);
      const { x, y, w } = problem(n, 7);
      const t = await best(() => maternSmooth(be, dtype, sde, x, y, w, 1));
      measured[timeKey('state-space', n)] = t;
      times.push(t);
    }
    measured['state-space time slope'] = logLogSlope([...e.sizes], times);
    const dense: number[] = [];
    for (const n of e.denseSizes) {
      await ctx.step(`timing the dense posterior, n = ${n}`);
      const { x, y, w } = problem(n, 7);
      const t = await best(() => denseGp(be, dtype, sde, x, y, w));
      measured[timeKey('dense', n)] = t;
      dense.push(t);
    }
    measured['dense time slope (recorded)'] = logLogSlope([...e.denseSizes], dense);
    return { measured, seeds: e.seeds };
  },
});
