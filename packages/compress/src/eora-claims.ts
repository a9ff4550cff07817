import { defineClaim, hostTensor, median, ops } from '@lowrank/core';
import { anisotropicSamples, matrixWithSpectrum, svd } from '@lowrank/linalg';
import { activationEigenspace, eoraCompensation, outputError } from './eora.ts';
import { svdTerms } from './low-rank-term.ts';
import { prune24, quantizeRows } from './weight-compression.ts';

/** The compressions of the experiment: per-row 3-bit quantization, 2:4 pruning, and both (pruned, then quantized). */
export const COMPRESSIONS: Record<string, (w: Float64Array, m: number, n: number) => Float64Array> = {
  '3-bit': (w, m, n) => quantizeRows(w, m, n, 3),
  '2:4': (w, m, n) => prune24(w, m, n),
  '2:4 + 3-bit': (w, m, n) => quantizeRows(prune24(w, m, n), m, n, 3),
};

/** S45 (H4): EoRA is the exact rank-r optimum of the output error and never loses to plain SVD compensation. */
export const eoraOptimalityClaim = defineClaim({
  id: 'compress/eora/optimal-compensation',
  paper: 'S45',
  family: 'compress',
  title: 'EoRA reaches the rank-r optimum of the output error ‖(ΔW − BA)X‖ and beats SVD compensation of quantization/pruning error',
  statement: 'EoRA projects compression errors into the eigenspace of input activations, leveraging eigenvalues to prioritize '
    + 'the reconstruction of high-importance error components; it beats SVD-based compensation (e.g. +31.31%/+12.88% ARC-E/ARC-C '
    + 'for LLaMA3-8B at 4-bit with 2:4 sparsity) and needs only minutes and a small calibration set (abstract).',
  paperNumbers: [
    { quantity: 'LLaMA3-8B, 4-bit + 2:4 (not reproducible here)', value: '+31.31% ARC-E, +12.88% ARC-C, +9.69% MathQA over SVD compensation' },
    { quantity: 'optimality (derivable, headline H4)', value: '‖(ΔW − BA)X‖_F = (Σ_{i>r} σ_i(ΔW·X)²)^{1/2} to 1e-10 in f64; err_EoRA ≤ err_SVD always' },
    { quantity: 'pass rule (plan)', value: 'err_EoRA ≤ err_SVD for every (r, compression, seed); optimal to 1e-10 (f64); downstream-loss improvement over SVD ≥ 20% at r = 16 in ≥ 8/10 seeds' },
  ],
  primitives: ['gemm', 'qr', 'svd', 'syev', 'random', 'binary', 'nrm2'],
  dtypes: ['f64', 'f32'],
  experiment: {
    full: { m: 256, n: 512, samples: 2048, ranks: [8, 16, 32], improvementRank: 16, powerLaw: 0.5, seeds: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9] },
    standard: { m: 256, n: 512, samples: 2048, ranks: [8, 16, 32], improvementRank: 16, powerLaw: 0.5, seeds: [0, 1, 2] },
    reduced: { m: 32, n: 64, samples: 256, ranks: [2, 4, 8], improvementRank: 4, powerLaw: 0.5, seeds: [0, 1] },
  },
  predicates: [
    {
      name: 'EoRA never loses to SVD compensation',
      kind: 'identity',
      rule: 'err_EoRA ≤ err_SVD·(1 + 1e-12) for every rank, compression and seed (output error on the calibration set)',
      holds: (m) => m['runs where EoRA ≤ SVD (fraction)'] === 1,
    },
    {
      name: 'EoRA is the rank-r optimum',
      kind: 'identity',
      rule: '|err_EoRA − (Σ_{i>r} σ_i(ΔW·X)²)^{1/2}| / optimum ≤ 1e-10 in f64 (1e-4 in f32, whose ε is 2^-23)',
      holds: (m) => m['worst relative gap to the optimum'] <= m['optimality tolerance'],
    },
    {
      name: 'EoRA helps downstream',
      kind: 'empirical',
      rule: 'output MSE on fresh inputs at r = 16 improves on SVD compensation by ≥ 20% (relative) in ≥ 80% of (seed, compression) runs',
      holds: (m) => m['runs improving ≥ 20% downstream (fraction)'] >= 0.8,
    },
  ],
  expected: 'not reproduced',
  expectedFailing: ['EoRA helps downstream'],
  calibration: 'The mechanism reproduces exactly; the plan\'s (uncalibrated) 20% downstream bar does not. Full run (WASM f64, '
    + '31 s): EoRA ≤ SVD in all 90 (seed, compression, rank) runs, gap to the optimum ≤ 3.4e-14; err_EoRA/err_SVD on the calibration '
    + 'set 0.97 / 0.95 / 0.90 at r = 8 / 16 / 32 (seed 0); downstream MSE improvement at r = 16: median 7.6% (3-bit), 7.2% (2:4), '
    + '7.4% (both), worst seed 6.3–6.5%. The quantization and pruning errors are nearly white (flat spectrum over 256 directions), so '
    + 'a rank-16 term removes a small share of either error, and eig(Σ) spanning two decades gives EoRA\'s weighting a modest edge. '
    + 'Thresholds as planned.',
  async run(be, dtype, e, ctx) {
    const measured: Record<string, number> = {};
    let wins = 0, runs = 0, worstGap = 0, improved = 0, improvementRuns = 0;
    const improvement: Record<string, number[]> = {};
    for (const seed of e.seeds) {
      await ctx.step(`seed ${seed}`);
      const release = be.track();
      try {
        const sigma = Array.from({ length: e.m }, (_, i) => (i + 1) ** -e.powerLaw);
        const w = Float64Array.from((await be.download(await matrixWithSpectrum(be, dtype, e.m, e.n, sigma, seed))).data);
        const x = await anisotropicSamples(be, dtype, e.n, e.samples, -2, 0, seed, 74);
        const fresh = await anisotropicSamples(be, dtype, e.n, e.samples, -2, 0, seed, 75);
        const space = await activationEigenspace(be, x);
        for (const [name, compress] of Object.entries(COMPRESSIONS)) {
          const wc = compress(w, e.m, e.n);
          const dw = await be.upload(hostTensor(dtype, [e.m, e.n], w.map((v, i) => v - wc[i])));
          const eora = await eoraCompensation(be, dw, space, e.ranks);
          const plain = await svdTerms(be, dw, e.ranks);
          const optimum = (await be.download((await svd(be, await ops.gemm(be, dw, x), { valuesOnly: true })).s)).data;
          for (let t = 0; t < e.ranks.length; t++) {
            const r = e.ranks[t];
            const errEora = await outputError(be, dw, eora.terms[t], x);
            const errSvd = await outputError(be, dw, plain[t], x);
            let tail = 0;
            for (let i = r; i < optimum.length; i++) tail += optimum[i] ** 2;
            runs++;
            if (errEora <= errSvd * (1 + 1e-12)) wins++;
            worstGap = Math.max(worstGap, Math.abs(errEora - Math.sqrt(tail)) / Math.sqrt(tail));
            if (r === e.improvementRank) {
              const [withEora, withSvd] = [await outputError(be, dw, eora.terms[t], fresh), await outputError(be, dw, plain[t], fresh)];
              const gain = 1 - withEora ** 2 / withSvd ** 2;
              (improvement[name] ??= []).push(gain);
              improvementRuns++;
              if (gain >= 0.2) improved++;
            }
            if (seed === e.seeds[0]) measured[`${name} r=${r} seed ${seed}: err EoRA / err SVD`] = errEora / errSvd;
          }
        }
      } finally {
        release();
      }
    }
    for (const [name, gains] of Object.entries(improvement)) {
      measured[`${name}: downstream improvement at r=${e.improvementRank}, median`] = median(gains);
      measured[`${name}: downstream improvement at r=${e.improvementRank}, worst seed`] = Math.min(...gains);
    }
    measured['runs where EoRA ≤ SVD (fraction)'] = wins / runs;
    measured['worst relative gap to the optimum'] = worstGap;
    measured['optimality tolerance'] = dtype === 'f64' ? 1e-10 : 1e-4;
    measured['runs improving ≥ 20% downstream (fraction)'] = improved / improvementRuns;
    return { measured, seeds: e.seeds };
  },
});
