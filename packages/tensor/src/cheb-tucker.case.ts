import { EPSILON, computeEps, defineCase, hostTensor, prose, scaledRatio } from '@lowrank/core';
import { diffNorm, frobenius } from '@lowrank/linalg';
import { chebCoefficients, chebTuckerEval } from './cheb-tucker.ts';
import { latticeCharges, newtonLongRange } from './cheb-tucker.fixtures.ts';
import { modeSpectra } from './hooi.ts';

/** The identity (m×m), the untruncated interpolant's factors. */
const identity = (m: number) => Float64Array.from({ length: m * m }, (_, i) => (i % (m + 1) === 0 ? 1 : 0));

export const chebTuckerCase = defineCase({
  id: 'tensor/cheb-tucker',
  family: 'tensor',
  paper: 'S31',
  title: 'Chebyshev coefficients by DCT-I on the CGL grid, their mode spectra, f_lr and the interpolant at points',
  primitives: ['dct', 'transpose', 'batchedGemm', 'gemm', 'syev', 'binary', 'reduce', 'axpy'],
  dtypes: ['f32', 'f64'],
  verify: {
    golden: 'tensor/cheb-tucker',
    reads: {
      params: { n: 'integer', charges: 'integer', beta: 'number' },
      inputs: ['values', 'points'],
      outputs: ['coefficients', 'spectrum0', 'spectrum1', 'spectrum2', 'pointValues', 'interpolant'],
      conventions: prose`
        values on the (n+1)³ grid x_j = cos(πj/n), C order; coefficients a_abc of p = Σ a_abc T_a T_b T_c by dense
        cosine sums; spectrum_k the singular values of their mode-k unfolding; pointValues = f_lr (scipy erf, charges
        on the lattice, 0: T₃(x)T₂(y)) and interpolant = p at the points (chebval3d)
      `,
    },
    thresholds: {
      coefficients: {
        value: 30,
        why: '‖Ĉ − C‖_F / (3·log₂(2n)·ε·‖C‖_F): three DCT-I passes, each an FFT of length 2n (Higham, Thm 24.2)',
      },
      spectra: {
        value: 30,
        why: '|σ̂² − σ²| / ((n + 1)·ε·σ₁²): the spectra come from the mode Grams, whose eigenvalues are backward stable to (n+1)·ε·σ₁² — below √ε·σ₁ a singular value is not resolved this way',
      },
      pointValues: {
        value: 30,
        why: prose`
          |f̂ − f| / (8·ε₆₄·Σ_ν|q_ν|·2β/√π), in f64 on the host: erf to a few ulps, each term at most 2β/√π, the sum's
          rounding
        `,
      },
      interpolant: {
        value: 30,
        why: prose`
          |p̂ − p| / ((n + 1)·ε·‖C‖₁): |T_k| ≤ 1 on [−1, 1] and the recurrence's error grows at most linearly in k, so
          each point is the sum of (n + 1)³ terms bounded by |a_abc|
        `,
      },
    },
    async check(be, dtype, entry) {
      const p = entry.params as Record<string, number>;
      const n = p.n,
        m = n + 1;
      const eps = computeEps(be, dtype);
      const o = entry.outputs;
      const c = await chebCoefficients(be, dtype, entry.inputs.values.data, n);
      const coefficients = scaledRatio(
        diffNorm(c, o.coefficients.data),
        3 * Math.log2(2 * n) * eps * frobenius(o.coefficients.data),
      );
      const shape = [m, m, m];
      const spectra = await modeSpectra(be, await be.upload(hostTensor(dtype, [m * m * m], c)), shape);
      let sv = 0;
      for (let k = 0; k < 3; k++) {
        const want = o[`spectrum${k}`].data;
        for (let i = 0; i < want.length; i++)
          sv = Math.max(sv, scaledRatio(Math.abs(spectra[k][i] - want[i] ** 2), m * eps * want[0] ** 2));
      }
      const pts = entry.inputs.points.data,
        P = pts.length / 3;
      const cols = [0, 1, 2].map((k) => Float64Array.from({ length: P }, (_, i) => pts[3 * i + k]));
      let pointValues = 0;
      if (p.charges > 0) {
        const f = newtonLongRange(latticeCharges(p.charges as 1 | 8 | 27), p.beta);
        const scale = 8 * EPSILON.f64 * p.charges * ((2 * p.beta) / Math.sqrt(Math.PI));
        for (let i = 0; i < P; i++)
          pointValues = Math.max(
            pointValues,
            scaledRatio(Math.abs(f(cols[0][i], cols[1][i], cols[2][i]) - o.pointValues.data[i]), scale),
          );
      }
      const eye = await be.upload(hostTensor(dtype, [m, m], identity(m)));
      const values = await chebTuckerEval(
        be,
        dtype,
        { core: await be.upload(hostTensor(dtype, [m * m * m], c)), coreShape: shape, factors: [eye, eye, eye] },
        [cols[0], cols[1], cols[2]],
        n,
      );
      const l1 = Array.from(o.coefficients.data, Math.abs).reduce((s, v) => s + v, 0);
      const interpolant = Math.max(
        ...Array.from(values, (v, i) => scaledRatio(Math.abs(v - o.interpolant.data[i]), m * eps * l1)),
      );
      return { coefficients, spectra: sv, pointValues, interpolant };
    },
  },
});
