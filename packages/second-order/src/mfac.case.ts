import { BYTES_PER_ELEMENT, computeEps, defineCase, fillRandom, getF64, hostTensor, prose, putAs } from '@lowrank/core';
import { damping, gradients, relativeError, WoodburyReference } from './mfac.fixtures.ts';
import { mfacIhvp, mfacInverseDiagonal, staticMfac } from './mfac.ts';

/**
 * The static M-FAC product F⁻¹x (S41). Verified against a dense LAPACK solve of F (numpy, golden
 * second-order/mfac); benchmarked as two passes over the m×d gradients, so time should grow
 * linearly in d (the paper's O(dm)): the slope of time against d is read off this benchmark.
 */
export const mfacIhvpCase = defineCase({
  id: 'second-order/mfac-ihvp',
  family: 'second-order',
  paper: 'S41',
  title: 'M-FAC inverse-Hessian-vector product (static, m gradients of dimension d)',
  primitives: ['gemm', 'gemv', 'axpy', 'reduce'],
  dtypes: ['f32', 'f64'],
  verify: {
    golden: 'second-order/mfac',
    reads: {
      params: { m: 'integer', lambda: 'number' },
      inputs: ['g', 'x'],
      outputs: ['diag', 'kappa', 'y'],
      conventions:
        'g holds the m gradients as rows (m×d); F = λI + GᵀG/m, y = F⁻¹·x, diag = diag(F⁻¹), kappa = [κ₂(F)]',
    },
    thresholds: {
      ihvp: {
        value: 30,
        why: prose`
          LAPACK's LIN threshold on ‖ŷ − y‖/‖y‖ / (m·κ(F)·ε): each of the m Sherman–Morrison steps is a rank-one
          update solved to κ·ε
        `,
      },
      diagonal: { value: 30, why: 'the same bound for max_q |d̂_q − d_q|/|d_q| over the diagonal of F⁻¹' },
    },
    async check(be, dtype, entry) {
      const { m, lambda } = entry.params as { m: number; lambda: number };
      const g = await putAs(be, dtype, entry.inputs.g);
      const f = await staticMfac(be, g, lambda);
      const y = await getF64(be, await mfacIhvp(be, f, await putAs(be, dtype, entry.inputs.x)));
      const diag = await mfacInverseDiagonal(be, f);
      const expected = entry.outputs.diag.data;
      let worst = 0;
      for (let q = 0; q < expected.length; q++)
        worst = Math.max(worst, Math.abs(diag[q] - expected[q]) / Math.abs(expected[q]));
      const unit = m * entry.outputs.kappa.data[0] * computeEps(be, dtype);
      return { ihvp: relativeError(entry.outputs.y.data, y) / unit, diagonal: worst / unit };
    },
  },
  bench: {
    params: (sizes) => (sizes ?? [10_000, 40_000, 160_000]).map((d) => ({ d, m: 32 })),
    cost: ({ d, m }, dtype) => ({
      flops: 4 * m * d + 4 * m * m + 3 * d,
      bytes: (2 * m * d + 3 * d) * BYTES_PER_ELEMENT[dtype],
    }),
    async setup(be, dtype, { d, m }) {
      const g = gradients(m, d, 0);
      const lambda = damping(g, m);
      const xh = fillRandom({ seed: 0, stream: 9 }, 'normal', 'f64', d) as Float64Array;
      const gd = await be.upload(hostTensor(dtype, [m, d], g));
      const x = await be.upload(hostTensor(dtype, [d], xh));
      const f = await staticMfac(be, gd, lambda);
      let last = await mfacIhvp(be, f, x);
      return {
        async run() {
          be.dispose(last);
          last = await mfacIhvp(be, f, x);
        },
        async accuracy() {
          const y = Float64Array.from((await be.download(last)).data);
          return {
            metric: 'relative error against Woodbury (f64 host)',
            value: relativeError(new WoodburyReference(g, m, d, lambda).ihvp(xh), y),
          };
        },
        dispose() {
          for (const t of [gd, x, f.b, last]) be.dispose(t);
        },
      };
    },
  },
});
