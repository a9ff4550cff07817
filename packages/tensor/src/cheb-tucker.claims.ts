import { defineClaim, fillRandom, hostTensor, pointsFrom, prose } from '@lowrank/core';
import { chebCoefficients, chebTuckerEval, sampleOnGrid } from './cheb-tucker.ts';
import { latticeCharges, newtonLongRange } from './cheb-tucker.fixtures.ts';
import { hooi, modeSpectraQr, ranksForTolerance } from './hooi.ts';

const configKey = (np: number, beta: number, eps: number) => `N_p=${np}, β=${beta}, ε=${eps}`;

export const chebTuckerClaim = defineClaim({
  id: 'tensor/cheb-tucker/near-optimal-ranks',
  paper: 'S31',
  family: 'tensor',
  title: "Tucker ranks of the small Chebyshev coefficient tensor match the large grid tensor's, at controlled accuracy",
  statement: prose`
    Interpolating a function on the Chebyshev–Gauss–Lobatto grid and compressing its (n+1)³ coefficient tensor by
    Tucker (HOSVD then ALS) gives ranks close to those of the Tucker decomposition of the function on a large uniform
    grid and much smaller than the polynomial degree, with accuracy controlled by the truncation tolerance; shown on
    the long-range part of the Newton kernel summed over charges (Khoromskaia & Khoromskij, abstract).
  `,
  paperNumbers: [
    {
      quantity: 'behaviour',
      value: 'nearly optimal Tucker ranks from the coefficient tensor; controllable accuracy (abstract; no table)',
    },
    {
      quantity: 'pass rule (catalogue S31)',
      value: prose`
        f_lr = Σ_ν q_ν erf(β‖x − x_ν‖)/‖x − x_ν‖ on [−1, 1]³, N_p ∈ {1, 8, 27}, β ∈ {2, 4}, n = 32, ε ∈ {1e-3, 1e-5,
        1e-7}; reference: HOSVD ranks of the 128³ uniform-grid tensor: per-mode |rank_coef − rank_grid| ≤ 2,
        rank_coef ≤ n/2, max error at 10⁴ random points ≤ 10ε‖f‖∞ + e_interp
      `,
    },
  ],
  primitives: ['dct', 'transpose', 'batchedGemm', 'gemm', 'syev', 'binary', 'reduce', 'axpy', 'qr', 'svd'],
  // f64 only: ε reaches 1e-7, below f32's resolution of the coefficients' tail.
  dtypes: ['f64'],
  experiment: {
    full: {
      charges: [1, 8, 27],
      betas: [2, 4],
      n: 32,
      tolerances: [1e-3, 1e-5, 1e-7],
      grid: 128,
      points: 10_000,
      sweeps: 3,
      seeds: [31],
    },
    standard: {
      charges: [1, 8, 27],
      betas: [2, 4],
      n: 32,
      tolerances: [1e-3, 1e-5, 1e-7],
      grid: 64,
      points: 2000,
      sweeps: 3,
      seeds: [31],
    },
    reduced: { charges: [1, 8], betas: [2], n: 8, tolerances: [1e-3], grid: 24, points: 200, sweeps: 2, seeds: [31] },
  },
  predicates: [
    {
      name: 'coefficient ranks match the grid ranks',
      kind: 'empirical',
      rule: 'per-mode |rank of the coefficient tensor − rank of the uniform-grid tensor| ≤ 2 at every (N_p, β, ε)',
      holds: (m) => m['configurations'] > 0 && m['largest rank gap, coefficients vs grid'] <= 2,
    },
    {
      name: 'ranks well below the degree',
      kind: 'empirical',
      rule: 'every coefficient-tensor rank ≤ n/2',
      holds: (m) => m['largest coefficient rank / n'] <= 0.5,
    },
    {
      name: 'accuracy controlled by ε',
      kind: 'mechanism',
      rule: prose`
        at every configuration the largest error of the Tucker-format function at the random points ≤ 10ε‖f‖∞ plus
        the untruncated interpolant's own largest error there
      `,
      holds: (m) => m['largest error / (10ε‖f‖∞ + e_interp)'] <= 1,
    },
    {
      name: 'HOOI sweeps do not increase the error',
      kind: 'identity',
      rule: prose`
        the squared relative error after each HOOI sweep ≤ the one before, to 1e-14 (‖X − X̂‖² = ‖X‖² − ‖G‖² is
        resolved to ~ε·‖X‖²), at every configuration
      `,
      holds: (m) => m['largest HOOI increase of the squared error'] <= 1e-14,
    },
  ],
  bands: {
    configurations: [1.9, 2.1],
    'largest rank gap, coefficients vs grid': [0, 0],
    'largest coefficient rank / n': [0.357, 0.394],
    'largest error / (10ε‖f‖∞ + e_interp)': [0.119, 0.166],
    'largest HOOI increase of the squared error': [0, 1.11e-14],
  },
  calibration: prose`
    Charges on a lattice at spacing ½ with checkerboard signs (cheb-tucker.fixtures.ts): one at the origin, 2×2×2 or
    3×3×3. The coefficient tensor from the (n+1)³ CGL samples by the DCT primitive; ranks by the same rule on both
    tensors — the least r_k with Σ_{i≥r_k} σ²_{k,i} ≤ ε²‖X‖²/3 (so the HOSVD error is ≤ ε‖X‖) — from each mode's
    singular values by Householder QR of the unfolding and the SVD of R (the Gram's eigenvalues resolve only
    ~n·ε·‖X‖², above ε²‖X‖²/3 at ε = 1e-7, and would inflate the ranks there); the reference tensor samples f on the uniform grid of the given size per axis (the catalogue's 128 in the
    full run, 64 in the standard one). The Tucker format is the HOSVD at the coefficient ranks refined by HOOI, then
    evaluated mesh-free at random points of [−1, 1]³ and compared with f itself; ‖f‖∞ is the largest |f| on the CGL
    grid, e_interp the untruncated interpolant's largest error at the same points.
  `,
  plot(m) {
    return {
      title: 'Largest Tucker rank over the configurations against ε',
      x: { name: 'ε', log: true },
      y: { name: 'rank' },
      series: [
        {
          name: 'coefficient tensor',
          points: pointsFrom(m, /^largest rank over configurations, coefficients, ε=(.+)$/),
        },
        { name: 'uniform-grid tensor', points: pointsFrom(m, /^largest rank over configurations, grid, ε=(.+)$/) },
      ],
    };
  },
  async run(be, dtype, e, ctx) {
    const measured: Record<string, number> = {};
    const m = e.n + 1;
    let configs = 0,
      gap = 0,
      rankOverN = 0,
      errorRatio = 0,
      increase = 0;
    const pts = [0, 1, 2].map((k) =>
      Float64Array.from(fillRandom({ seed: e.seeds[0], stream: k }, 'uniform', 'f64', e.points), (u) => 2 * u - 1),
    ) as [Float64Array, Float64Array, Float64Array];
    const uniform = Float64Array.from({ length: e.grid }, (_, i) => -1 + (2 * i) / (e.grid - 1));
    for (const np of e.charges)
      for (const beta of e.betas) {
        await ctx.step(`N_p = ${np}, β = ${beta}: sampling`);
        const f = newtonLongRange(latticeCharges(np as 1 | 8 | 27), beta);
        const values = sampleOnGrid(f, e.n);
        const fInf = Math.max(...Array.from(values, Math.abs));
        const c = await chebCoefficients(be, dtype, values, e.n);
        const ct = await be.upload(hostTensor(dtype, [m * m * m], c));
        const specC = await modeSpectraQr(be, ct, [m, m, m]);
        const g = e.grid,
          grid = new Float64Array(g * g * g);
        for (let i = 0; i < g; i++)
          for (let j = 0; j < g; j++)
            for (let k = 0; k < g; k++) grid[(i * g + j) * g + k] = f(uniform[i], uniform[j], uniform[k]);
        const gt = await be.upload(hostTensor(dtype, [g * g * g], grid));
        const specG = await modeSpectraQr(be, gt, [g, g, g]);
        be.dispose(gt);
        const exact = Float64Array.from({ length: e.points }, (_, p) => f(pts[0][p], pts[1][p], pts[2][p]));
        const eye = await be.upload(
          hostTensor(
            dtype,
            [m, m],
            Float64Array.from({ length: m * m }, (_, i) => (i % (m + 1) === 0 ? 1 : 0)),
          ),
        );
        const interp = await chebTuckerEval(
          be,
          dtype,
          { core: ct, coreShape: [m, m, m], factors: [eye, eye, eye] },
          pts,
          e.n,
        );
        const eInterp = Math.max(...Array.from(interp, (v, p) => Math.abs(v - exact[p])));
        measured[`N_p=${np}, β=${beta}: interpolation error`] = eInterp;
        for (const eps of e.tolerances) {
          await ctx.step(`N_p = ${np}, β = ${beta}, ε = ${eps}`);
          const rc = ranksForTolerance(specC, eps),
            rg = ranksForTolerance(specG, eps);
          const fit = await hooi(be, ct, [m, m, m], rc, e.sweeps);
          const approx = await chebTuckerEval(be, dtype, fit, pts, e.n);
          const err = Math.max(...Array.from(approx, (v, p) => Math.abs(v - exact[p])));
          const key = configKey(np, beta, eps);
          measured[`${key}: largest rank, coefficients`] = Math.max(...rc);
          measured[`${key}: largest rank, grid`] = Math.max(...rg);
          measured[`${key}: error / ‖f‖∞`] = err / fInf;
          const over = (kind: string) => `largest rank over configurations, ${kind}, ε=${eps}`;
          measured[over('coefficients')] = Math.max(measured[over('coefficients')] ?? 0, ...rc);
          measured[over('grid')] = Math.max(measured[over('grid')] ?? 0, ...rg);
          gap = Math.max(gap, ...rc.map((r, k) => Math.abs(r - rg[k])));
          rankOverN = Math.max(rankOverN, ...rc.map((r) => r / e.n));
          errorRatio = Math.max(errorRatio, err / (10 * eps * fInf + eInterp));
          for (let s = 1; s < fit.errors.length; s++)
            increase = Math.max(increase, fit.errors[s] ** 2 - fit.errors[s - 1] ** 2);
          be.dispose(fit.core);
          fit.factors.forEach((t) => be.dispose(t));
          configs++;
        }
        be.dispose(ct);
      }
    measured['configurations'] = configs;
    measured['largest rank gap, coefficients vs grid'] = gap;
    measured['largest coefficient rank / n'] = rankOverN;
    measured['largest error / (10ε‖f‖∞ + e_interp)'] = errorRatio;
    measured['largest HOOI increase of the squared error'] = increase;
    return { measured, seeds: e.seeds };
  },
});
