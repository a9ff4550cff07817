import { defineClaim, forAll, prose } from '@lowrank/core';
import { disposeProblem, gdErrorRatio, hessianSpectrum, sgdErrorRatio, stabilityProblem } from './stability.ts';

/**
 * Measured keys carry the step size as a multiple of a threshold: 'sgd η·TrH/2=0.9' (η = 0.9·2/Tr H)
 * and 'gd η·λmax/2=0.9', each seed's η set from that seed's measured spectrum.
 */
const SGD = 'sgd η·TrH/2=',
  GD = 'gd η·λmax/2=';
const entries = (m: Readonly<Record<string, number>>, prefix: string) =>
  Object.keys(m)
    .filter((k) => k.startsWith(prefix))
    .map((k) => ({ c: Number(k.slice(prefix.length)), ratio: m[k] }));

/** Headline H1 (docs/papers.md): the stability threshold of SGD is η·Tr(H) = 2, that of GD η·λ_max(H) = 2. */
export const traceThresholdClaim = defineClaim({
  id: 'second-order/dyn-stability-sgd/trace-threshold',
  paper: 'S27',
  family: 'second-order',
  title: 'SGD-stable minima have Tr(H) ≤ 2/η; GD-stable ones only λ_max(H) ≤ 2/η',
  statement: prose`
    If a global minimum is linearly stable for SGD, then the trace of its Hessian must be less than or equal to 2/η,
    whereas for GD only the largest eigenvalue needs to be (Wu & Su, abstract and Thm 3.3).
  `,
  paperNumbers: [
    { quantity: 'SGD threshold', value: 'η·Tr H ≤ 2 is necessary (Thm 3.3); GD needs only η·λ_max ≤ 2' },
    {
      quantity: 'SGD ‖e_T‖/‖e₀‖, rows of unit norm (planning check, 10⁴ steps)',
      value: '5e-16 (η=1.8), 6e-5 (1.95), 2.7e4 (2.05), 7e18 (2.2), overflow (10)',
    },
  ],
  primitives: ['gemm', 'gemv', 'dot', 'axpy', 'nrm2', 'reduce', 'syev'],
  dtypes: ['f64', 'f32'],
  experiment: {
    // Row norms uniform in [0.5, 1.5] (spread 0.5): Tr H ≈ 1.08 and max‖x_i‖² ≈ 2.2, so the sufficient
    // per-step bound 2/max‖x_i‖² sits near 0.5 of the trace bound and the grid between them is measured.
    full: {
      n: 50,
      d: 200,
      spread: 0.5,
      steps: 10_000,
      sgdFactors: [0.3, 0.45, 0.7, 0.9, 1.05, 1.2, 5],
      gdFactors: [0.5, 0.9, 1.1],
      seeds: [0, 1, 2],
    },
    standard: {
      n: 50,
      d: 200,
      spread: 0.5,
      steps: 10_000,
      sgdFactors: [0.3, 0.45, 0.7, 0.9, 1.05, 1.2, 5],
      gdFactors: [0.5, 0.9, 1.1],
      seeds: [0],
    },
    reduced: { n: 50, d: 200, spread: 0.5, steps: 2000, sgdFactors: [0.3, 1.2], gdFactors: [0.9], seeds: [0] },
  },
  predicates: [
    {
      name: 'SGD blows up above the trace threshold',
      kind: 'identity',
      rule: 'Thm 3.3 (necessary condition): ‖e_T‖/‖e₀‖ ≥ 1e3 for every η with η·Tr H > 2 (best seed)',
      holds: (m) =>
        forAll(
          entries(m, SGD).filter((e) => e.c > 1),
          (e) => e.ratio >= 1e3,
          'step sizes above 2/Tr H',
        ),
    },
    {
      name: 'SGD contracts where no step expands',
      kind: 'identity',
      rule: '‖e_T‖/‖e₀‖ ≤ 1e-2 for every η with η·max‖x_i‖² < 2 (worst seed)',
      holds: (m) =>
        forAll(
          entries(m, SGD).filter((e) => e.c < m['row bound, in units of 2/Tr H']),
          (e) => e.ratio <= 1e-2,
          'step sizes below 2/max‖x_i‖²',
        ),
    },
    {
      name: 'GD needs only λ_max(H) ≤ 2/η',
      kind: 'identity',
      rule: '‖e_T‖/‖e₀‖ ≤ 1e-2 for every η < 2/λ_max, each far above the SGD bound 2/Tr H (worst seed)',
      holds: (m) =>
        forAll(
          entries(m, GD).filter((e) => e.c < 1),
          (e) => e.ratio <= 1e-2 && e.c * m['Tr H/λ_max'] > 1,
          'GD step sizes below 2/λ_max',
        ),
    },
  ],
  bands: {
    'sgd η·TrH/2=0.3': [6.01e-4, 0.0165],
    'sgd η·TrH/2=1.2': [1.67e11, 2.84e14],
    'row bound, in units of 2/Tr H': [0.484, 0.619],
    'gd η·λmax/2=0.9': { f64: [0, 4.95e-15], f32: [0, 2.17e-6] },
    'Tr H/λ_max': [16, 21.1],
  },
  calibration: prose`
    Mechanism verified: all three predicates are the theorem and two elementary bounds checked numerically. Where SGD's
    threshold falls between 2/max‖x_i‖² and 2/Tr H is measured (the grid's entries between the two bounds), not judged: with
    nearly orthogonal rows (n = 50 ≪ d = 200) each row's component evolves alone, so the widest row decides.
  `,
  plot(m) {
    // GD's step sizes, given in units of 2/λ_max, are drawn in units of 2/Tr H: c·Tr H/λ_max.
    const toTrace = m['Tr H/λ_max'];
    return {
      title: 'Error growth ‖e_T‖/‖e₀‖ against the step size, in units of 2/Tr H (worst seed)',
      x: { name: 'η·Tr H / 2', log: true },
      y: { name: '‖e_T‖ / ‖e₀‖', log: true },
      series: [
        { name: 'SGD', points: entries(m, SGD).map((p): [number, number] => [p.c, p.ratio]) },
        { name: 'GD', points: entries(m, GD).map((p): [number, number] => [p.c * toTrace, p.ratio]) },
      ],
      marks: [
        { axis: 'x', at: 1, label: 'η = 2/Tr H (Thm 3.3)' },
        { axis: 'x', at: m['row bound, in units of 2/Tr H'], label: 'η = 2/max‖x_i‖²' },
        { axis: 'x', at: toTrace, label: 'η = 2/λ_max (GD)' },
        { axis: 'y', at: 1, label: 'no growth' },
      ],
    };
  },
  async run(be, dtype, e, ctx) {
    const measured: Record<string, number> = {};
    /** Per key, the seed least favourable to the expectation: the largest ratio where it should contract, the smallest where it should blow up. */
    const worse = (key: string, v: number, contracting: boolean) => {
      measured[key] =
        measured[key] === undefined ? v : contracting ? Math.max(measured[key], v) : Math.min(measured[key], v);
    };
    for (const seed of e.seeds) {
      await ctx.step(`seed ${seed}`);
      const p = await stabilityProblem(be, dtype, e.n, e.d, e.spread, seed);
      const { trace, lambdaMax } = await hessianSpectrum(be, p);
      worse('Tr H', trace, true);
      worse('Tr H/λ_max', trace / lambdaMax, false);
      worse('row bound, in units of 2/Tr H', trace / p.maxRowNorm2, false);
      for (const c of e.sgdFactors)
        worse(`${SGD}${c}`, await sgdErrorRatio(be, p, (2 * c) / trace, e.steps, seed), c < 1);
      for (const c of e.gdFactors) worse(`${GD}${c}`, await gdErrorRatio(be, p, (2 * c) / lambdaMax, e.steps), c < 1);
      disposeProblem(be, p);
    }
    return { measured, seeds: e.seeds };
  },
});
