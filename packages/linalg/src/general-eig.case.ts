import {
  computeEps,
  defineCase,
  fillRandom,
  geevCost,
  hostTensor,
  ops,
  prose,
  putAs,
  scaledRatio,
} from '@lowrank/core';
import { freshOutputs } from './bench-output.ts';
import { eigenResidual } from './general-eig.ts';
import { frobenius } from './host.ts';

/**
 * The general eigensolver against LAPACK dgeev (golden linalg/eig). Eigenvectors are not unique (scale, phase, and
 * any basis of a multiple eigenvalue), so they are judged by the residual, as LAPACK's dget22 does; eigenvalues by
 * their distance to the reference in units of their condition, where that condition leaves them determined.
 */
export const geevCase = defineCase({
  id: 'linalg/generalEig',
  family: 'linalg',
  paper: 'S06',
  title: 'Eigenvalues and eigenvectors of general real matrices (Hessenberg + Francis QR), split complex',
  primitives: ['geev'],
  dtypes: ['f32', 'f64'],
  verify: {
    golden: 'linalg/eig',
    reads: {
      params: {},
      inputs: ['a'],
      outputs: ['valuesRe', 'valuesIm', 'condition'],
      conventions: prose`
        a general n×n; eigenvalues by scipy.linalg.eig sorted by real then imaginary part; condition = 1/|yᴴx| of
        each, from unit left and right eigenvectors (1e300 for a defective one)
      `,
    },
    thresholds: {
      residual: {
        value: 30,
        why: prose`
          ‖AV − VΛ‖_F / (n·ε·‖A‖_F·‖V‖_F) with unit columns (‖V‖_F = √n): LAPACK's dget22 ratio; the Hessenberg
          reduction and the QR sweeps are backward stable, so each eigenpair is exact for a matrix within O(n·ε·‖A‖)
        `,
      },
      values: {
        value: 30,
        why: prose`
          |λ̂ − λ| / (n·ε·‖A‖_F·κ_λ) after matching each reference eigenvalue to the nearest computed one, for those with
          n·ε·κ_λ < 0.01 (the others — a defective or nearly defective cluster — are not determined to two digits and
          are judged by the trace)
        `,
      },
      trace: { value: 30, why: '|Σλ̂ − tr A| / (n·ε·‖A‖_F): the sum of the eigenvalues is perfectly conditioned' },
    },
    async check(be, dtype, entry) {
      const a = entry.inputs.a;
      const n = a.shape[0];
      const eps = computeEps(be, dtype);
      const r = await ops.geev(be, await putAs(be, dtype, a));
      const [wr, wi, vr, vi] = await Promise.all(
        [r.valuesRe, r.valuesIm, r.vectorsRe, r.vectorsIm].map(async (t) =>
          Float64Array.from((await be.download(t)).data),
        ),
      );
      const A = a.data,
        anorm = frobenius(A);
      const unit = Math.max(1, n) * eps * anorm;
      const residual = scaledRatio(eigenResidual(A, n, wr, wi, vr, vi), Math.max(1, n) * eps * Math.sqrt(n));
      // Eigenvalues matched greedily to the nearest unused computed one.
      const o = entry.outputs;
      const used = new Uint8Array(n);
      let values = 0;
      for (let i = 0; i < n; i++) {
        let best = -1,
          dist = Infinity;
        for (let j = 0; j < n; j++) {
          const dd = Math.hypot(wr[j] - o.valuesRe.data[i], wi[j] - o.valuesIm.data[i]);
          if (!used[j] && dd < dist) [best, dist] = [j, dd];
        }
        used[best] = 1;
        const cond = o.condition.data[i];
        if (n * eps * cond < 0.01) values = Math.max(values, anorm === 0 ? dist : scaledRatio(dist, unit * cond));
      }
      let tr = 0,
        sum = 0;
      for (let i = 0; i < n; i++) {
        tr += A[i * n + i];
        sum += wr[i];
      }
      const trace = anorm === 0 ? Math.abs(sum) : scaledRatio(Math.abs(sum - tr), unit);
      for (const t of [r.valuesRe, r.valuesIm, r.vectorsRe, r.vectorsIm]) be.dispose(t);
      return { residual, values, trace };
    },
  },
  bench: {
    // Gaussian matrices (complex pairs throughout the spectrum): S06's sizes and beyond (HiPPO N = 16…64); n = 512
    // is timed by npm run bench:statespace.
    params: (sizes) => (sizes ?? [16, 64, 256]).map((n) => ({ n })),
    cost: ({ n }, dtype) => geevCost(n, dtype),
    async setup(be, dtype, { n }) {
      const a = await be.upload(hostTensor(dtype, [n, n], fillRandom({ seed: 13, stream: 0 }, 'normal', 'f64', n * n)));
      return freshOutputs(
        be,
        [a],
        () => ops.geev(be, a),
        (r) => [r.valuesRe, r.valuesIm, r.vectorsRe, r.vectorsIm],
      );
    },
  },
});
