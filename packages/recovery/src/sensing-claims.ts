import { defineClaim, logLogSlope, median, forAll } from '@lowrank/core';
import { asymmetricGd, fullObservation, gaussianInit, gaussianSensing, linearRate, lowRankTarget, symmetricGd, type SensingOperator } from './sensing.ts';

/** Error samples every 10 steps: the fastest rate (≈ 0.03) crosses a decade in about 80 steps, the whole f32 window. */
const EVERY = 10;
/** Measured keys carry the operator first ('identity: sym slope α=0.1'); predicates read every operator's. */
const keysWith = (m: Readonly<Record<string, number>>, part: string) => Object.entries(m).filter(([k]) => k.includes(part));

/** Headline H2 (docs/papers.md): over-parameterization makes symmetric GD sublinear and asymmetric GD linear at a rate ∝ α². */
export const overparamRatesClaim = defineClaim({
  id: 'recovery/overparam-sensing/rates',
  paper: 'S30',
  family: 'recovery',
  title: 'Over-parameterized symmetric GD converges as 1/T; asymmetric GD linearly, at a rate growing as α²',
  statement: 'For symmetric matrix sensing, over-parameterized GD has a lower bound Ω(1/T²) on the squared error, versus exp(−Ω(T)) in the exact case; '
    + 'for asymmetric matrix sensing, over-parameterized GD converges globally at exp(−Ω(α²T)), α the initialization scale (Xiong, Ding & Du, abstract, Thm 1–2).',
  paperNumbers: [
    { quantity: 'symmetric k=4: log-log slope of ‖XXᵀ − M*‖_F, T ∈ [2e3, 3.2e4] (planning check)', value: '−0.983 (α=0.05), −0.995 (α=0.1); pass in [−1.2, −0.8]' },
    { quantity: 'symmetric k=2 (exact)', value: 'error 1e-15 by T = 1000' },
    { quantity: 'experiment', value: '(a) full observation (A = I) and (b) Gaussian sensing with m = 8nk = 640' },
    { quantity: 'asymmetric k=4, imbalanced init: median linear rates', value: '0.0021, 0.0087, 0.031 for α = 0.05, 0.1, 0.2; ratio rate(2α)/rate(α) in [2.5, 5]' },
  ],
  primitives: ['gemm', 'binary', 'axpy', 'nrm2'],
  dtypes: ['f64', 'f32'],
  experiment: {
    full: {
      n: 20, k: 4, eta: 0.1, symAlphas: [0.05, 0.1], asymAlphas: [0.05, 0.1, 0.2], symAt: [2000, 4000, 8000, 16000, 32000], exactAt: 2000, asymSteps: 30_000, seeds: [0, 1, 2, 3, 4],
      // (b) Gaussian sensing, m = 8nk = 640 measurements: two matrix–vector products of 640×400 per step, so
      // fewer seeds and steps keep the claim within its minute (rates at α = 0.1 and 0.2 converge well before).
      gaussian: true, measurements: 640, gaussianSeeds: [0, 1, 2], gaussianSymAlphas: [0.1], gaussianAsymAlphas: [0.1, 0.2], gaussianSymAt: [1000, 2000, 4000, 8000, 16000], gaussianAsymSteps: 12_000,
    },
    standard: {
      n: 20, k: 4, eta: 0.1, symAlphas: [0.05, 0.1], asymAlphas: [0.05, 0.1, 0.2], symAt: [2000, 4000, 8000, 16000, 32000], exactAt: 2000, asymSteps: 30_000, seeds: [0, 1],
      gaussian: true, measurements: 640, gaussianSeeds: [0], gaussianSymAlphas: [0.1], gaussianAsymAlphas: [0.1, 0.2], gaussianSymAt: [1000, 2000, 4000, 8000, 16000], gaussianAsymSteps: 12_000,
    },
    // Fewer seeds and shorter runs: the 1/T regime is already clear from T = 1000, and α = 0.05 needs
    // 3·10⁴ steps to converge, so the reduced form keeps the larger α.
    reduced: {
      n: 20, k: 4, eta: 0.1, symAlphas: [0.1], asymAlphas: [0.1, 0.2], symAt: [1000, 2000, 4000, 8000], exactAt: 1000, asymSteps: 8000, seeds: [0, 1, 2],
      gaussian: false, measurements: 640, gaussianSeeds: [], gaussianSymAlphas: [], gaussianAsymAlphas: [], gaussianSymAt: [], gaussianAsymSteps: 0,
    },
  },
  predicates: [
    {
      name: 'symmetric over-parameterized GD is sublinear, error ∝ 1/T',
      kind: 'identity',
      rule: 'median over seeds of the log-log slope of ‖X_TX_Tᵀ − M*‖_F against T in [−1.2, −0.8], for every α',
      holds: (m) => forAll(keysWith(m, 'sym slope'), ([, v]) => v >= -1.2 && v <= -0.8),
    },
    {
      name: 'exact-rank symmetric GD converges linearly',
      kind: 'identity',
      rule: 'k = r = 2: largest error over seeds at the given T ≤ tolerance (1e-12 f64, 1e-4 f32)',
      holds: (m) => forAll(keysWith(m, 'exact error'), ([, v]) => v <= m['exact tolerance']),
    },
    {
      name: 'asymmetric over-parameterized GD converges linearly',
      kind: 'identity',
      rule: 'for every α, at least 4 in 5 seeds (all but a fifth) below tolerance (1e-10 f64, 1e-4 f32) at the last step',
      holds: (m) => forAll(keysWith(m, 'asym converged fraction'), ([, v]) => v >= 0.8),
    },
    {
      name: 'the asymmetric rate grows as α²',
      kind: 'identity',
      rule: 'median rate(2α) / median rate(α) in [2.5, 5] for each doubling of α',
      holds: (m) => forAll(keysWith(m, 'asym rate ratio'), ([, v]) => v >= 2.5 && v <= 5),
    },
  ],
  expected: 'not reproduced',
  expectedFailing: ['the asymmetric rate grows as α²'],
  calibration: 'Measured with this implementation (full experiment, 5 seeds, WASM f64, 2026-11-26): median rates 0.0031, 0.0126, 0.0304 '
    + 'for α = 0.05, 0.1, 0.2, so rate(2α)/rate(α) = 4.05 for the first doubling (α² predicts 4) but 2.42 for the second, under the '
    + "plan's 2.5 (its planning check had 0.0087 → 0.031, 3.5, with other draws). At α = 0.2 the rate nears that of exact-rank GD "
    + '(about η·σ_r = 0.05), where the α² lower bound no longer binds. The threshold is kept as planned and the claim reported as not '
    + 'reproduced in full; the other three predicates hold (slopes −0.977 and −0.994, exact error 1.6e-15, every seed below 1e-10). '
    + 'Gaussian sensing (m = 640, 3 seeds) shows the same: slope −0.945, exact error 2.0e-15, all converged, median rates 0.0069 and '
    + '0.0142 for α = 0.1 and 0.2, ratio 2.06.',
  async run(be, dtype, e, ctx) {
    const measured: Record<string, number> = {};
    const eps = dtype === 'f64' ? 2 ** -52 : 2 ** -23;
    measured['exact tolerance'] = dtype === 'f64' ? 1e-12 : 1e-4;
    const asymTolerance = dtype === 'f64' ? 1e-10 : 1e-4;
    const operator = (name: string, target: Float64Array, seed: number, symmetric: boolean): Promise<SensingOperator> =>
      name === 'identity' ? fullObservation(be, dtype, target, e.n) : gaussianSensing(be, dtype, target, e.n, e.measurements, seed, symmetric);
    const runs = [{ name: 'identity', seeds: e.seeds, symAlphas: e.symAlphas, asymAlphas: e.asymAlphas, symAt: e.symAt, asymSteps: e.asymSteps }];
    if (e.gaussian) runs.push({ name: 'gaussian', seeds: e.gaussianSeeds, symAlphas: e.gaussianSymAlphas, asymAlphas: e.gaussianAsymAlphas, symAt: e.gaussianSymAt, asymSteps: e.gaussianAsymSteps });
    for (const { name, seeds, symAlphas, asymAlphas, symAt, asymSteps } of runs) {
      const slopes = new Map<number, number[]>(), rates = new Map<number, number[]>(), converged = new Map<number, number>();
      let exact = 0;
      for (const seed of seeds) {
        await ctx.step(`${name}, seed ${seed}`);
        const sym = lowRankTarget(e.n, [1, 0.5], seed, true);
        const symOp = await operator(name, sym, seed, true);
        for (const alpha of symAlphas) {
          const errors = await symmetricGd(be, symOp, sym, gaussianInit(e.n, e.k, alpha, seed, 2), e.n, e.k, e.eta, symAt);
          slopes.set(alpha, [...(slopes.get(alpha) ?? []), logLogSlope(symAt, errors)]);
        }
        const [exactError] = await symmetricGd(be, symOp, sym, gaussianInit(e.n, 2, symAlphas[0], seed, 2), e.n, 2, e.eta, [e.exactAt]);
        exact = Math.max(exact, exactError);
        symOp.dispose();
        const asym = lowRankTarget(e.n, [1, 0.5], seed, false);
        const asymOp = await operator(name, asym, seed, false);
        for (const alpha of asymAlphas) {
          // Imbalanced initialization (F₀ = α·N, G₀ = (α/3)·N), as planning found necessary.
          const errors = await asymmetricGd(be, asymOp, asym, gaussianInit(e.n, e.k, alpha, seed, 3), gaussianInit(e.n, e.k, alpha / 3, seed, 4), e.n, e.k, e.eta, asymSteps, EVERY);
          // The linear phase: below 1e-3 and above the rounding floor of the dtype.
          rates.set(alpha, [...(rates.get(alpha) ?? []), linearRate(errors, EVERY, Math.max(1e3 * eps, asymTolerance / 10), 1e-3)]);
          if (errors[errors.length - 1] <= asymTolerance) converged.set(alpha, (converged.get(alpha) ?? 0) + 1);
        }
        asymOp.dispose();
      }
      for (const [alpha, s] of slopes) measured[`${name}: sym slope α=${alpha}`] = median(s);
      measured[`${name}: exact error`] = exact;
      for (const alpha of asymAlphas) {
        measured[`${name}: asym converged fraction α=${alpha}`] = (converged.get(alpha) ?? 0) / seeds.length;
        measured[`${name}: asym median rate α=${alpha}`] = median(rates.get(alpha)!.filter((r) => Number.isFinite(r)));
      }
      for (let i = 1; i < asymAlphas.length; i++) {
        const [a0, a1] = [asymAlphas[i - 1], asymAlphas[i]];
        measured[`${name}: asym rate ratio α=${a1}/${a0}`] = measured[`${name}: asym median rate α=${a1}`] / measured[`${name}: asym median rate α=${a0}`];
      }
    }
    return { measured, seeds: e.seeds };
  },
});
