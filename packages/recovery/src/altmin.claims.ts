import { defineClaim, fastestInterleaved, forAll, logLogSlope, measuredWhere, median, prose } from '@lowrank/core';
import { altMin, completionProblem } from './altmin.ts';

/** S03: approximate row solves keep AltMin's convergence while the cost per observed entry drops from k² to k. */
export const robustAltMinClaim = defineClaim({
  id: 'recovery/robust-altmin/cost-scaling',
  paper: 'S03',
  family: 'recovery',
  title: prose`
      Robust AltMin (sketch-preconditioned CG rows) converges like exact AltMin with a cost per entry linear, not
      quadratic, in k
    `,
  statement: prose`
    Alternating minimization tolerates moderate errors from approximate updates and keeps its sample complexity; with a
    sketching-based preconditioner and a high-accuracy regression solver it runs in Õ(|Ω|k) time instead of Õ(|Ω|k²) for prior
    AltMin (abstract).
  `,
  paperNumbers: [
    { quantity: 'running time', value: 'Õ(|Ω|k) (robust) vs Õ(|Ω|k²) (exact AltMin): the ratio grows linearly in k' },
    {
      quantity: 'pass rule (plan, not yet calibrated there)',
      value: prose`
          both reach ‖M̂ − M‖_F/‖M‖_F < 1e-6 within 20 outer iterations in every seed; robust ≤ 1.2× the outer
          iterations of exact; log-log slope of the flop ratio exact/robust against k in [0.7, 1.3]
        `,
    },
  ],
  primitives: ['gemm', 'batchedGemm', 'axpy', 'nrm2', 'binary', 'qr', 'sddmm', 'spmm'],
  // f64 only: the pass rule asks for 1e-6, which f32 sums over |Ω_j| ≈ 500 terms cannot certify.
  dtypes: ['f64'],
  experiment: {
    // The plan asks for 10 seeds; 5 keep the full run to about 3 minutes (each solver runs twice a seed, for the timing).
    full: { n: 1000, ranks: [4, 8, 16, 24], outer: 20, tolerance: 1e-6, seeds: [0, 1, 2, 3, 4], timingRounds: 2 },
    standard: { n: 1000, ranks: [4, 8, 16, 24], outer: 20, tolerance: 1e-6, seeds: [0], timingRounds: 2 },
    // Reduced keeps n: the slope depends on |Ω_j|/k (at n = 300 the k³ terms already flatten it to 0.68 for k = 3, 6).
    reduced: { n: 1000, ranks: [8, 24], outer: 20, tolerance: 1e-6, seeds: [0], timingRounds: 2 },
  },
  predicates: [
    {
      name: 'both solvers reach the tolerance',
      kind: 'mechanism',
      rule: 'relative error < 1e-6 within 20 outer iterations for every k and seed, exact and robust',
      holds: (m) =>
        forAll(
          measuredWhere(m, (key) => key.includes('worst iterations')),
          ([, v]) => v <= 20,
        ),
    },
    {
      name: 'approximate solves cost few outer iterations',
      kind: 'mechanism',
      rule: 'robust needs at most 1.2× the outer iterations of exact (worst k and seed)',
      holds: (m) => m['iteration ratio robust/exact, worst'] <= 1.2,
    },
    {
      name: 'the cost ratio grows linearly in k',
      kind: 'identity',
      rule: 'log-log slope of the flop ratio exact/robust (median over seeds) against k in [0.7, 1.3]',
      holds: (m) => m['flop ratio slope'] >= 0.7 && m['flop ratio slope'] <= 1.3,
    },
    {
      name: 'the wall-clock ratio grows linearly in k',
      kind: 'empirical',
      rule: prose`
        log-log slope of the wall-clock ratio exact/robust on the backend (each solver the fastest of two runs in ABBA
        order; median over seeds) against k in [0.7, 1.3]
      `,
      holds: (m) => m['wall-clock ratio slope'] >= 0.7 && m['wall-clock ratio slope'] <= 1.3,
    },
  ],
  bands: {
    'k=8 exact worst iterations': [4.76, 5.25],
    'k=8 robust worst iterations': [5.71, 6.31],
    'k=24 exact worst iterations': [5.71, 6.31],
    'k=24 robust worst iterations': [5.71, 6.31],
    'iteration ratio robust/exact, worst': [1.14, 1.26],
    'flop ratio slope': [0.766, 0.882],
    'wall-clock ratio slope': 'timed',
  },
  calibration: prose`
    Inner solves: CountSketch to s = 4k rows, CG warm started from the previous iterate and stopped at a tenfold residual
    reduction (4–5 iterations). Measured (full, WASM f64, 2 threads, 32 s): worst outer iterations exact/robust 7/7, 5/6, 5/6, 6/6
    and median flop ratios 0.34, 0.57, 0.93, 1.37 for k = 4, 8, 16, 24 (slope 0.76; robust cheaper from k ≈ 20). The slope stays
    under 1 at these sizes because the per-row k³ terms (sketch Gram 8k³, Cholesky k³/3) are not negligible beside |Ω_j|k² when
    |Ω_j| = 6k·ln n ≈ 41k, and p = min(0.5, 6k ln n/n) caps at 0.5 from k = 16 (|Ω_j| ≈ 500). Thresholds as planned.
    Wall-clock (full, WASM f64, 5 seeds, each solver the fastest of two runs in ABBA order; two runs, one beside a test run):
    exact/robust 0.17–0.25, 0.19–0.26, 0.32–0.38, 0.50–0.57 for k = 4, 8, 16, 24 (slope 0.45–0.60). Timed once each, one
    after the other, the reduced run's k = 8 ratio had moved between 0.15 and 0.32; the reduced run's two ranks now give
    0.65–0.74 (four runs), at the band's edge. The robust row solves are many small kernel calls (sketch, 4–5 CG steps),
    slower than one batched Cholesky at these k. Regime: k = 48 was tried (ratio 1.32, wall-clock slope 0.76 over 4–48),
    but at n = 1000 p caps at 0.5, |Ω_j|/k falls to 10 and the flop slope itself drops to 0.63; the paper's Õ(|Ω|k) regime needs |Ω_j| ≫ k, so k stops at 24.
  `,
  plot(m, e) {
    const at = (what: string) => e.ranks.map((k): [number, number] => [k, m[`k=${k} ${what}`]]);
    return {
      title: 'Exact over robust alternating minimization: cost ratio against the rank k',
      x: { name: 'rank k', log: true },
      y: { name: 'exact / robust', log: true },
      series: [
        { name: `flops (fitted slope ${m['flop ratio slope'].toFixed(2)})`, points: at('flop ratio exact/robust') },
        {
          name: `wall clock (fitted slope ${m['wall-clock ratio slope'].toFixed(2)})`,
          points: at('wall-clock ratio exact/robust'),
        },
      ],
      marks: [{ axis: 'y', at: 1, label: 'equal cost' }],
    };
  },
  async run(be, dtype, e, ctx) {
    const measured: Record<string, number> = {};
    const ratios: number[] = [],
      clockRatios: number[] = [];
    let worstIterationRatio = 0;
    for (const k of e.ranks) {
      const flopRatios: number[] = [],
        clock: number[] = [];
      for (const seed of e.seeds) {
        await ctx.step(`seed ${seed}`);
        const problem = completionProblem(e.n, k, seed);
        const results: Partial<Record<'exact' | 'robust', Awaited<ReturnType<typeof altMin>>>> = {};
        /** One synced run of a solver on the backend, in ms; the runs repeat the same work, so any one's result serves. */
        const run = (solver: 'exact' | 'robust') => async () => {
          await be.sync();
          const t0 = performance.now();
          results[solver] = await altMin(be, dtype, problem, { solver, outer: e.outer, tolerance: e.tolerance, seed });
          await be.sync();
          return performance.now() - t0;
        };
        const [tExact, tRobust] = await fastestInterleaved([run('exact'), run('robust')], e.timingRounds);
        const { exact, robust } = results as Required<typeof results>;
        clock.push(tExact / tRobust); // whole runs, as the flop ratio counts them
        for (const [name, r] of [
          ['exact', exact],
          ['robust', robust],
        ] as const) {
          const key = `k=${k} ${name} worst iterations`;
          measured[key] = Math.max(measured[key] ?? 0, r.iterations);
          measured[`k=${k} ${name} final error (worst)`] = Math.max(
            measured[`k=${k} ${name} final error (worst)`] ?? 0,
            r.errors[r.errors.length - 1],
          );
        }
        worstIterationRatio = Math.max(worstIterationRatio, robust.iterations / exact.iterations);
        flopRatios.push(exact.flops / robust.flops);
        measured[`k=${k} robust CG iterations per half-step (max)`] = Math.max(
          measured[`k=${k} robust CG iterations per half-step (max)`] ?? 0,
          ...robust.inner,
        );
      }
      measured[`k=${k} flop ratio exact/robust`] = median(flopRatios);
      measured[`k=${k} wall-clock ratio exact/robust`] = median(clock);
      ratios.push(median(flopRatios));
      clockRatios.push(median(clock));
    }
    measured['wall-clock ratio slope'] = logLogSlope(e.ranks, clockRatios);
    measured['iteration ratio robust/exact, worst'] = worstIterationRatio;
    measured['flop ratio slope'] = logLogSlope(e.ranks, ratios);
    return { measured, seeds: e.seeds };
  },
});
