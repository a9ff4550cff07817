import { computeEps, defineClaim, median, pointsFrom, prose } from '@lowrank/core';
import { sparseRegression } from './l1-bcd.fixtures.ts';
import { L1_UPDATES, NonnegativeL1Bcd, type L1Update } from './l1-bcd.ts';

/** Relative error at which a run has reached x*: 1e-9, or 1000ε where that is larger (f32: rounding). */
const reachedAt = (eps: number) => Math.max(1e-9, 1000 * eps);

export const l1BcdClaim = defineClaim({
  id: 'solvers/greedy-bcd/active-set',
  paper: 'S28',
  family: 'solvers',
  title: 'Once the active set is identified, Newton-type block updates finish in finitely many iterations',
  statement: prose`
    On non-negative ℓ₁-regularized least squares, greedy BCD identifies the solution's support after finitely many
    iterations; from then on, Newton-type block updates (two-metric projection, exact block minimization) on blocks
    that hold the support converge superlinearly — here, terminate — while Lipschitz updates stay linear (Nutini,
    Laradji & Schmidt, §6 and the ℓ₁ experiment).
  `,
  paperNumbers: [
    {
      quantity: 'behaviour',
      value: 'superlinear convergence after identification with TMP / QP updates (figure; no table)',
    },
    {
      quantity: 'pass rule (catalogue S28 (c))',
      value:
        'ℓ₁-regularized LS with ~10% non-zeros, 10 seeds: support fixed after a finite iteration and the last-3 error ratios < 0.1',
    },
  ],
  primitives: ['gemv', 'axpy', 'nrm2', 'gemm', 'spmm', 'syev'],
  // f64 only: the claim is about reaching x* to 1e-9 (finite termination), below f32's resolution.
  dtypes: ['f64'],
  experiment: {
    full: { n: 200, p: 500, fraction: 0.05, small: 5, large: 100, budget: 300, seeds: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9] },
    standard: { n: 200, p: 500, fraction: 0.05, small: 5, large: 100, budget: 300, seeds: [0, 1, 2] },
    reduced: { n: 60, p: 150, fraction: 0.05, small: 0, large: 60, budget: 200, seeds: [0, 1] },
  },
  predicates: [
    {
      name: 'Newton-type updates finish',
      kind: 'empirical',
      rule: prose`
        with large blocks, every two-metric and exact run identifies the support (it stays identified) and reaches
        ‖x − x*‖ ≤ max(1e-9, 1000ε)·‖x*‖ within the budget
      `,
      holds: (m) => m['Newton-type runs'] > 0 && m['Newton-type runs reaching the tolerance'] === m['Newton-type runs'],
    },
    {
      name: 'a short local phase',
      kind: 'empirical',
      rule: 'median iterations from identifying the support to the tolerance ≤ 5 (Newton-type updates, large blocks)',
      holds: (m) => m['median iterations after identification (Newton-type)'] <= 5,
    },
    {
      name: 'Lipschitz updates stay linear',
      kind: 'mechanism',
      rule: 'with the same large blocks, Lipschitz updates have not reached that error within the budget in any seed',
      holds: (m) => m['Lipschitz runs'] > 0 && m['Lipschitz runs reaching the tolerance'] === 0,
    },
    {
      name: 'the referee solves the problem',
      kind: 'identity',
      rule: 'x* (one exact QP over all coordinates) meets the KKT conditions: worst violation ≤ max(1e-9, 1000ε)·λ',
      holds: (m) => m['x* KKT violation / λ, worst'] <= m['tolerance (max(1e-9, 1000ε))'],
    },
  ],
  bands: {
    'Newton-type runs': [3.8, 4.2],
    'Newton-type runs reaching the tolerance': [3.8, 4.2],
    'median iterations after identification (Newton-type)': [-1.25, 3.75],
    'Lipschitz runs': [1.9, 2.1],
    'Lipschitz runs reaching the tolerance': [0, 0],
    'x* KKT violation / λ, worst': [0, 1.67e-13],
    'tolerance (max(1e-9, 1000ε))': [9.52e-10, 1.06e-9],
  },
  calibration: prose`
    The authors' dataset A recipe at 200 × 500 (l1-bcd.fixtures.ts) with λ = 0.05·max(Aᵀb), which leaves about 9% of
    the coordinates non-zero (the catalogue's ~10%); their GSQ-NN selection and Lb-NN / TMP-NN / exact (cvxopt there,
    Lawson–Hanson here) updates; blocks of 100 (≥ the support: the regime where the paper's superlinear result
    applies) and of 5 (smaller than the support: recorded, no predicate; the reduced run skips them). The
    authors' GSQ rule does not always put the whole support in the block (at 40 × 80 a block of 40 missed 1–3 of 17
    support coordinates and the exact update went linear, ratio ~0.1): hence the median, not every run, for the
    local phase. x* from one exact QP over all coordinates,
    checked by its KKT conditions. Finite termination is the paper's strongest form of the claim and the predicate;
    the catalogue's "last-3 error ratios < 0.1" is recorded, not a predicate: it counts the step on which the support
    is identified, whose ratio (0.26–0.39 in the standard run) reflects the path before identification, and the
    ratios after it fall to 0 as the run terminates (worst ratio after identification recorded too).
  `,
  plot(m) {
    return {
      title: 'Iterations to ‖x − x*‖ ≤ tol·‖x*‖ (median; the budget when not reached)',
      x: { name: 'update', categories: [...L1_UPDATES] },
      y: { name: 'iterations', log: true },
      series: (['small', 'large'] as const)
        .filter((size) => Object.keys(m).some((k) => k.endsWith(`${size} blocks`)))
        .map((size) => ({
          name: `${size} blocks`,
          style: 'points' as const,
          points: pointsFrom(m, new RegExp(`^median iterations to tolerance, ([\\w-]+), ${size} blocks$`), (g) =>
            L1_UPDATES.indexOf(g[1] as L1Update),
          ),
        })),
    };
  },
  async run(be, dtype, e, ctx) {
    const tol = reachedAt(computeEps(be, dtype));
    const measured: Record<string, number> = { 'tolerance (max(1e-9, 1000ε))': tol };
    const its = new Map<string, number[]>();
    let newton = 0,
      finished = 0,
      worstRatio = 0,
      lipschitz = 0,
      lipschitzReached = 0,
      kkt = 0,
      catalogueWorst = 0;
    const supports: number[] = [],
      after: number[] = [];
    for (const seed of e.seeds) {
      await ctx.step(`seed ${seed}`);
      const { a, b, lambda } = sparseRegression(e.n, e.p, e.fraction, seed);
      const bcd = await NonnegativeL1Bcd.create(be, dtype, a, b, e.n, e.p, lambda);
      try {
        await bcd.step('exact', e.p);
        const xs = Float64Array.from(bcd.x);
        const g = (await bcd.objective(xs)).gradient;
        g.forEach((gi, j) => (kkt = Math.max(kkt, (xs[j] > 0 ? Math.abs(gi) : Math.max(0, -gi)) / lambda)));
        supports.push(xs.reduce((s, v) => s + Number(v > 0), 0));
        const xNorm = Math.hypot(...xs);
        for (const [size, k] of [
          ['small', e.small],
          ['large', e.large],
        ] as const) {
          if (k === 0) continue;
          for (const update of L1_UPDATES) {
            bcd.x = new Float64Array(e.p);
            const errors: number[] = [];
            let identified = -1,
              hit = -1;
            for (let t = 1; t <= e.budget && hit < 0; t++) {
              await bcd.step(update as L1Update, k);
              errors.push(Math.hypot(...bcd.x.map((v, j) => v - xs[j])) / xNorm);
              const same = bcd.x.every((v, j) => v > 0 === xs[j] > 0);
              identified = same ? (identified < 0 ? t : identified) : -1;
              if (errors[t - 1] <= tol) hit = t;
            }
            const name = `median iterations to tolerance, ${update}, ${size} blocks`;
            its.set(name, [...(its.get(name) ?? []), hit > 0 ? hit : e.budget]);
            if (size !== 'large') continue;
            if (update === 'lipschitz') {
              lipschitz++;
              lipschitzReached += Number(hit > 0);
              continue;
            }
            newton++;
            if (identified > 0 && hit > 0) {
              finished++;
              after.push(hit - identified);
            }
            const ratios = errors.slice(1).map((v, i) => v / errors[i]);
            if (identified > 0)
              for (let t = identified; t < errors.length; t++) worstRatio = Math.max(worstRatio, ratios[t - 1]);
            for (const r of ratios.slice(-3)) catalogueWorst = Math.max(catalogueWorst, r);
          }
        }
      } finally {
        bcd.dispose();
      }
    }
    for (const [name, v] of its) measured[name] = median(v);
    Object.assign(measured, {
      'Newton-type runs': newton,
      'Newton-type runs reaching the tolerance': finished,
      'median iterations after identification (Newton-type)': after.length ? median(after) : Infinity,
      'worst error ratio after identification (Newton-type, large blocks)': worstRatio,
      "last-3 error ratios, worst (catalogue's rule)": catalogueWorst,
      'Lipschitz runs': lipschitz,
      'Lipschitz runs reaching the tolerance': lipschitzReached,
      'x* KKT violation / λ, worst': kkt,
      'median support size of x*': median(supports),
    });
    return { measured, seeds: e.seeds };
  },
});
