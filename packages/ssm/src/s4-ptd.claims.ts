import { ArgumentError, defineClaim, fillRandom, forAll, logLogSlope, pointsFrom, prose } from '@lowrank/core';
import { hippoLegS } from './hippo.ts';
import {
  bilinearKernelDense,
  bilinearKernelDiagonal,
  diagonalForm,
  eigenbasisCondition,
  fourierModeResponses,
  imaginaryAxisGrid,
  ptdPerturbation,
  spectralNorm,
  supAbs,
  supGap,
  transferDense,
  transferDiagonal,
} from './s4-ptd.ts';

const median = (xs: readonly number[]) => {
  const s = [...xs].sort((a, b) => a - b),
    h = s.length >> 1;
  return s.length % 2 ? s[h] : (s[h - 1] + s[h]) / 2;
};
/** The values, refusing an empty list (a rule over nothing is an error, not a pass). */
const all = (xs: number[], what: string) => (forAll(xs, () => true, what), xs);
const bound = (n: number, eps: number) => (2 * Math.log(n) + 4) * eps;
const ptdKey = (n: number, eps: number) => `median sup|G_PTD − G|, N=${n}, eps=${eps}`;

/** C ~ N(0, 1/N), one draw per state size (seed 6000 + N), shared by every perturbation. */
const outputVector = (n: number) =>
  Float64Array.from(fillRandom({ seed: 6000 + n, stream: 0 }, 'normal', 'f64', n), (v) => v / Math.sqrt(n));

export const s4PtdClaim = defineClaim({
  id: 'ssm/s4-ptd/strong-convergence',
  paper: 'S06',
  family: 'ssm',
  title: "Perturb-then-diagonalize: HiPPO's transfer function uniformly to O(ε), where S4D's is not close",
  statement: prose`
    "Diagonalizing the HiPPO framework is itself an ill-posed problem … We introduce a generic, backward-stable
    perturb-then-diagonalize (PTD) methodology … the S4-PTD/S5-PTD initialization strongly converges to the HiPPO
    framework, while the S4D/S5 initialization only achieves weak convergences. As a result, our new models show
    resilience to Fourier-mode noise-perturbed inputs" (Yu et al., abstract). Checked on the initialization itself:
    the eigenbasis of HiPPO-LegS, the transfer functions of the PTD and S4D diagonal forms against HiPPO's on the
    imaginary axis, and the three systems' outputs to pure Fourier modes. The LRA accuracies need training and are
    not attempted.
  `,
  paperNumbers: [
    {
      quantity: 'behaviour',
      value: 'PTD converges strongly (uniformly on iℝ) to HiPPO; S4D/S5 only weakly (abstract)',
    },
    {
      quantity: 'bound (Theorem 2, from secondary sources)',
      value: '|G_PTD(iω) − G(iω)| ≤ (2 ln N + 4)·ε + O(√(ln N)·ε²), ε = ‖E‖₂; ablation: κ(Ṽ) ~ 1/ε',
    },
    {
      quantity: 'planning spot-check (numpy, catalogue S06)',
      value: prose`
        κ(V_HiPPO) = 8e10 / 1.5e19 / 4.5e20 for N = 16 / 32 / 64; PTD (random E) sup errors 6.6e-3, 6.1e-4, 4.7e-5
        (N = 16) and 3.4e-3, 2.4e-4, 2.9e-5 (N = 64) for ε = 1e-1, 1e-2, 1e-3; S4D sup errors 7.6 / 6.0 / 0.78
        against sup|G| 0.29 / 0.19 / 0.21
      `,
    },
    { quantity: 'LRA average (S5-PTD)', value: '87.6 % (not attempted: needs training)' },
  ],
  primitives: ['geev', 'svd', 'syev', 'gemm', 'reduce', 'lu', 'trsm', 'fft'],
  // f64 only: PTD's Ṽ has κ up to ~1e6 at ε = 1e-3, so its diagonal form in f32 carries κ·ε₃₂ ≈ 0.06 of rounding,
  // above the (2 ln N + 4)·ε being checked; the paper's computation of the initialization is in f64 too.
  dtypes: ['f64'],
  experiment: {
    full: {
      ns: [16, 32, 64],
      epsilons: [1e-1, 1e-2, 1e-3],
      seeds: [0, 1, 2, 3, 4],
      candidates: 8,
      iterations: 60,
      frequencies: 400,
      modes: 64,
      length: 4096,
      dt: 0.01,
      fourierEpsilon: 1e-2,
    },
    standard: {
      ns: [16, 32, 64],
      epsilons: [1e-1, 1e-2, 1e-3],
      seeds: [0, 1, 2],
      candidates: 8,
      iterations: 20,
      frequencies: 200,
      modes: 32,
      length: 4096,
      dt: 0.01,
      fourierEpsilon: 1e-2,
    },
    reduced: {
      ns: [8, 16],
      epsilons: [1e-1, 1e-2, 1e-3],
      seeds: [0, 1],
      candidates: 3,
      iterations: 4,
      frequencies: 40,
      modes: 8,
      length: 512,
      dt: 0.01,
      fourierEpsilon: 1e-2,
    },
  },
  predicates: [
    {
      name: 'diagonalizing HiPPO-LegS is ill-posed',
      kind: 'identity',
      rule: "κ₂(V) of HiPPO-LegS's computed eigenvectors ≥ 1e10 at every N (the paper's premise, and its regime)",
      holds: (m) => m['runs'] > 0 && m['smallest κ(V) of HiPPO'] >= 1e10,
    },
    {
      name: "PTD's transfer function within the bound",
      kind: 'identity',
      rule: 'at every N and ε, the median over draws of sup_ω |G_PTD(iω) − G(iω)| ≤ (2 ln N + 4)·ε',
      holds: (m) => m['largest PTD error over the bound'] <= 1,
    },
    {
      name: 'strong convergence: the error is O(ε)',
      kind: 'mechanism',
      rule: 'at every N, the log-log slope of the median sup error against ε over the ε grid in [0.8, 1.3]',
      holds: (m) => m['smallest PTD error slope'] >= 0.8 && m['largest PTD error slope'] <= 1.3,
    },
    {
      name: 'κ(Ṽ) ~ 1/ε',
      kind: 'mechanism',
      rule: "at every N, the log-log slope of the median κ₂(Ṽ) against ε in [−1.3, −0.7] (the paper's ablation)",
      holds: (m) => m['smallest κ(Ṽ) slope'] >= -1.3 && m['largest κ(Ṽ) slope'] <= -0.7,
    },
    {
      name: 'S4D does not converge uniformly',
      kind: 'identity',
      rule: 'at every N, sup_ω |G_S4D(iω) − G(iω)| ≥ sup_ω |G(iω)|',
      holds: (m) => m['smallest S4D error over sup|G|'] >= 1,
    },
    {
      name: "PTD follows HiPPO's output on every Fourier mode",
      kind: 'empirical',
      rule: prose`
        at every N, with ε = 1e-2, the median over draws of the largest deviation of PTD's output from HiPPO's over
        the modes ≤ 0.1 × HiPPO's largest output amplitude over the modes
      `,
      holds: (m) => m['largest PTD mode deviation over amplitude'] <= 0.1,
    },
    {
      name: "S4D's output departs from HiPPO's on some Fourier mode",
      kind: 'empirical',
      rule: "at every N, S4D's largest deviation from HiPPO's output over the modes ≥ HiPPO's largest output amplitude",
      holds: (m) => m['smallest S4D mode deviation over amplitude'] >= 1,
    },
  ],
  bands: {
    runs: [11.4, 12.7],
    'smallest κ(V) of HiPPO': [73300, 80900],
    'largest PTD error over the bound': [0.0135, 0.0475],
    'smallest PTD error slope': [0.91, 1.06],
    'largest PTD error slope': [0.961, 1.12],
    'smallest κ(Ṽ) slope': [-0.975, -0.821],
    'largest κ(Ṽ) slope': [-0.889, -0.764],
    'smallest S4D error over sup|G|': [1.36, 1.51],
    'largest PTD mode deviation over amplitude': [0.00142, 0.0103],
    'smallest S4D mode deviation over amplitude': [1.01, 1.12],
  },
  calibration: prose`
    The catalogue's setting: HiPPO-LegS with N ∈ {16, 32, 64} in f64, B_n = √(2n+1), C ~ N(0, 1/N) (one draw per N,
    seed 6000 + N), G on ω = ±logspace(−2, 4) by one dense LU solve per frequency (the referee, no eigenbasis), ε ∈
    {1e-1, 1e-2, 1e-3} and one perturbation search per seed. The optimizer is declared in s4-ptd.ts: κ₂(Ṽ) minimized
    on the sphere ‖E‖₂ = ε by a (1+1) evolution strategy from the best of k Gaussian draws (the paper's gradient
    descent on κ(Ṽ) + γ‖E‖ and its γ could not be read offline; at fixed ε the γ term is constant). The random
    baseline (the first draw alone, and the best of k) is recorded beside it. Regime: ε/‖A‖₂ is recorded per N;
    κ(V_HiPPO) ≥ 1e10 is the first predicate. The Fourier-mode test: bilinear discretization with Δ = 0.01, kernels of
    length L = 4096, modes u_k = sin(θk) with θ = 2·atan(ωΔ/2) for ω log-spaced in [1, 1e4] (the continuous
    frequency each mode samples exactly under the bilinear map), outputs by FFT convolution on the backend; PTD with
    ε = 1e-2. 0.1 of the amplitude is the PTD threshold: (2 ln N + 4)·1e-2 is 0.11–0.12, below HiPPO's amplitude
    0.17–0.31 — the bound itself allows ≈ half the amplitude, so the rule asks for the O(ε) error, not the bound.
  `,
  plot(m) {
    const series = [16, 32, 64, 8].flatMap((n) => {
      const points = pointsFrom(m, new RegExp(`^median sup\\|G_PTD − G\\|, N=${n}, eps=([0-9.e-]+)$`));
      return points.length === 0
        ? []
        : [
            { name: `PTD, N = ${n}`, points },
            {
              name: `(2 ln N + 4)ε, N = ${n}`,
              points: points.map(([x]): [number, number] => [x, bound(n, x)]),
              style: 'reference' as const,
            },
          ];
    });
    return {
      title: 'sup over the imaginary axis of |G_PTD − G_HiPPO|',
      x: { name: 'ε = ‖E‖₂', log: true },
      y: { name: 'sup error', log: true },
      series,
    };
  },
  async run(be, dtype, e, ctx) {
    if (!e.epsilons.includes(e.fourierEpsilon))
      throw new ArgumentError(`s4-ptd: the Fourier test's ε ${e.fourierEpsilon} is not among the ε searched`);
    const measured: Record<string, number> = {};
    const omegas = imaginaryAxisGrid(-2, 4, e.frequencies);
    const thetas = Float64Array.from(
      imaginaryAxisGrid(0, 4, e.modes).slice(e.modes),
      (w) => 2 * Math.atan((w * e.dt) / 2),
    );
    let runs = 0;
    const hippoKappa: number[] = [],
      overBound: number[] = [],
      errSlopes: number[] = [],
      kappaSlopes: number[] = [],
      s4dRatio: number[] = [],
      ptdModes: number[] = [],
      s4dModes: number[] = [];
    for (const n of e.ns) {
      const h = hippoLegS(n),
        c = outputVector(n);
      await ctx.step(`N = ${n}: HiPPO's eigenbasis and transfer function`);
      const kH = await eigenbasisCondition(be, dtype, h.a, n);
      measured[`κ(V), HiPPO, N=${n}`] = kH;
      hippoKappa.push(kH);
      const normA = await spectralNorm(be, dtype, h.a, n);
      measured[`‖A‖₂, N=${n}`] = normA;
      const g = await transferDense(be, dtype, h.a, n, h.b, c, omegas);
      const supG = supAbs(g);
      measured[`sup|G|, N=${n}`] = supG;
      const s4d = await diagonalForm(be, dtype, h.normal, n, h.b, c);
      measured[`κ(V), S4D, N=${n}`] = s4d.kappa;
      const s4dGap = supGap(transferDiagonal(s4d, omegas), g);
      measured[`sup|G_S4D − G|, N=${n}`] = s4dGap;
      s4dRatio.push(s4dGap / supG);

      const errs: number[] = [],
        kappas: number[] = [];
      let fourierForms: Awaited<ReturnType<typeof diagonalForm>>[] = [];
      for (const eps of e.epsilons) {
        const opt: number[] = [],
          first: number[] = [],
          best: number[] = [],
          kOpt: number[] = [],
          kFirst: number[] = [],
          kBest: number[] = [];
        const forms = [];
        for (const seed of e.seeds) {
          await ctx.step(`N = ${n}, ε = ${eps}, draw ${seed}: searching E`);
          const p = await ptdPerturbation(be, dtype, h.a, n, {
            epsilon: eps,
            candidates: e.candidates,
            iterations: e.iterations,
            seed: 100 * n + seed,
          });
          const gapOf = async (pert: Float64Array) => {
            const d = await diagonalForm(
              be,
              dtype,
              h.a.map((v, i) => v + pert[i]),
              n,
              h.b,
              c,
            );
            return { d, gap: supGap(transferDiagonal(d, omegas), g) };
          };
          const o = await gapOf(p.e);
          forms.push(o.d);
          opt.push(o.gap);
          first.push((await gapOf(p.firstDraw.e)).gap);
          best.push((await gapOf(p.bestDraw.e)).gap);
          kOpt.push(p.kappa);
          kFirst.push(p.firstDraw.kappa);
          kBest.push(p.bestDraw.kappa);
          runs++;
        }
        if (eps === e.fourierEpsilon) fourierForms = forms;
        measured[ptdKey(n, eps)] = median(opt);
        measured[`median sup|G_random − G|, first draw, N=${n}, eps=${eps}`] = median(first);
        measured[`median sup|G_best-of-k − G|, N=${n}, eps=${eps}`] = median(best);
        measured[`median κ(Ṽ), PTD, N=${n}, eps=${eps}`] = median(kOpt);
        measured[`median κ(Ṽ), first random draw, N=${n}, eps=${eps}`] = median(kFirst);
        measured[`median κ(Ṽ), best of k, N=${n}, eps=${eps}`] = median(kBest);
        measured[`ε/‖A‖₂, N=${n}, eps=${eps}`] = eps / normA;
        overBound.push(median(opt) / bound(n, eps));
        errs.push(median(opt));
        kappas.push(median(kOpt));
      }
      const errSlope = logLogSlope([...e.epsilons], errs),
        kappaSlope = logLogSlope([...e.epsilons], kappas);
      measured[`PTD error slope, N=${n}`] = errSlope;
      measured[`κ(Ṽ) slope, N=${n}`] = kappaSlope;
      errSlopes.push(errSlope);
      kappaSlopes.push(kappaSlope);

      await ctx.step(`N = ${n}: Fourier-mode outputs by FFT convolution`);
      const kh = await bilinearKernelDense(be, dtype, h.a, n, h.b, c, e.dt, e.length);
      const diff = (d: (typeof fourierForms)[number]) =>
        bilinearKernelDiagonal(d, e.dt, e.length).map((v, k) => v - kh[k]);
      const [amp, s4dDev, ...ptdDev] = await fourierModeResponses(
        be,
        dtype,
        [kh, diff(s4d), ...fourierForms.map(diff)],
        thetas,
        e.length,
      );
      const amplitude = Math.max(...amp);
      const ptdWorst = median(ptdDev.map((d) => Math.max(...d)));
      const s4dWorst = Math.max(...s4dDev);
      measured[`HiPPO output amplitude, N=${n}`] = amplitude;
      measured[`PTD worst mode deviation, N=${n}`] = ptdWorst;
      measured[`S4D worst mode deviation, N=${n}`] = s4dWorst;
      measured[`S4D modes deviating more than the amplitude, N=${n}`] = s4dDev.filter((d) => d >= amplitude).length;
      ptdModes.push(ptdWorst / amplitude);
      s4dModes.push(s4dWorst / amplitude);
    }
    measured['runs'] = runs;
    measured['smallest κ(V) of HiPPO'] = Math.min(...all(hippoKappa, 'state sizes'));
    measured['largest PTD error over the bound'] = Math.max(...all(overBound, 'PTD errors'));
    measured['smallest PTD error slope'] = Math.min(...all(errSlopes, 'error slopes'));
    measured['largest PTD error slope'] = Math.max(...errSlopes);
    measured['smallest κ(Ṽ) slope'] = Math.min(...all(kappaSlopes, 'κ slopes'));
    measured['largest κ(Ṽ) slope'] = Math.max(...kappaSlopes);
    measured['smallest S4D error over sup|G|'] = Math.min(...all(s4dRatio, 'S4D errors'));
    measured['largest PTD mode deviation over amplitude'] = Math.max(...all(ptdModes, 'Fourier tests'));
    measured['smallest S4D mode deviation over amplitude'] = Math.min(...all(s4dModes, 'Fourier tests'));
    return { measured, seeds: [...e.seeds] };
  },
});
