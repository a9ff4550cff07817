import { computeEps, defineCase, getF64, luCost, ops, prose, putAs, scaledRatio } from '@lowrank/core';
import { expm } from './expm.ts';
import { diffNorm, frobenius } from './host.ts';

/** ‖A‖₁ of the benchmark matrices: degree 13 (f64) or 7 (f32) with a few squarings, the common case. */
const BENCH_NORM = 10;

export const expmCase = defineCase({
  id: 'linalg/expm',
  family: 'linalg',
  title: 'Matrix exponential by scaling and squaring with Padé approximants',
  primitives: ['gemm', 'axpy', 'scal', 'unary', 'reduce', 'lu', 'trsm', 'random'],
  dtypes: ['f32', 'f64'],
  verify: {
    golden: 'linalg/expm',
    reads: {
      params: { cond: 'number' },
      inputs: ['a'],
      outputs: ['x'],
      conventions: 'x = scipy.linalg.expm(a); cond = expm_cond(a), the relative condition number in the Frobenius norm',
    },
    thresholds: {
      relative: {
        value: 30,
        why: prose`
          LAPACK's LIN threshold on ‖X̂ − X‖_F / ((κ_exp + n·(1 + s))·ε·‖X‖_F): Padé's backward error is ≤ u by the choice
          of θ_m, so the forward error is κ_exp·u, plus the s squarings' rounding (≲ n·u each, relative)
        `,
      },
    },
    async check(be, dtype, entry) {
      const a = entry.inputs.a;
      const n = a.shape[0];
      const r = await expm(be, await putAs(be, dtype, a));
      const want = entry.outputs.x.data;
      const bound = (entry.params.cond as number) + n * (1 + r.squarings);
      return {
        relative: scaledRatio(diffNorm(await getF64(be, r.x), want), bound * computeEps(be, dtype) * frobenius(want)),
      };
    },
  },
  bench: {
    params: (sizes) => (sizes ?? [16, 64, 256]).map((n) => ({ n })),
    // A model: about eight n×n products (the powers, U, V and the squarings) and one LU solve.
    cost: ({ n }, dtype) => ({ flops: 8 * 2 * n ** 3 + luCost(n, n, dtype).flops + 2 * n ** 3, bytes: 8 * n * n * 10 }),
    async setup(be, dtype, { n }) {
      const g = await ops.random(be, dtype, [n, n], { dist: 'normal', seed: 21, stream: 0 });
      // Scaled to ‖A‖₁ ≈ BENCH_NORM (a Gaussian column sum is about n·√(2/π)).
      const a = await ops.scal(be, BENCH_NORM / (n * Math.sqrt(2 / Math.PI)), g);
      return { run: async () => be.dispose((await expm(be, a)).x), dispose: () => be.dispose(a) };
    },
  },
});
