import {
  computeEps,
  defineCase,
  fillRandom,
  getF64,
  hostTensor,
  prose,
  putAs,
  svdCost,
  type Backend,
} from '@lowrank/core';
import { freshOutputs } from './bench-output.ts';
import { frobenius, matmul, orthogonalityError } from './host.ts';
import { randomizedSvd, svd, truncatedSvd, type TruncatedSvd } from './svd.ts';

/** LAPACK's threshold for its SVD tests (TESTING/svd.in). */
const SVD_THRESHOLD = 50;
const eps = computeEps;
const put = putAs;
const get = getF64;

/** ‖A − U·diag(s)·Vᵀ‖_F with U m×k, V n×k. */
function residual(
  a: ArrayLike<number>,
  m: number,
  n: number,
  u: Float64Array,
  s: Float64Array,
  v: Float64Array,
): number {
  const k = s.length;
  const us = u.map((x, i) => x * s[i % k]);
  const usv = matmul(us, m, k, v, n, k, false, true);
  return frobenius(usv.map((x, i) => x - a[i]));
}

/** ‖sin Θ‖_F between the column spaces of two m×k orthonormal bases: ‖Û − U·(Uᵀ·Û)‖_F. */
function sinTheta(uHat: Float64Array, u: ArrayLike<number>, m: number, k: number): number {
  const proj = matmul(u, m, k, matmul(u, m, k, uHat, m, k, true), k, k);
  return frobenius(uHat.map((x, i) => x - proj[i]));
}

/** √(Σ_{i>k} σ_i²): the optimal rank-k error in the Frobenius norm (Eckart–Young–Mirsky). */
function optimalTail(s: ArrayLike<number>, k: number): number {
  let t = 0;
  for (let i = k; i < s.length; i++) t += s[i] * s[i];
  return Math.sqrt(t);
}

async function factors(be: Backend, f: TruncatedSvd) {
  return { u: await get(be, f.u), s: await get(be, f.s), v: await get(be, f.v) };
}

export const svdCase = defineCase({
  id: 'linalg/svd',
  family: 'linalg',
  title: 'Thin SVD by one-sided Jacobi on A·Z, Z the eigenvectors of AᵀA (after a QR when tall), A = U·diag(s)·Vᵀ',
  primitives: ['gemm', 'reduce', 'transpose', 'qr', 'svd', 'syev'],
  dtypes: ['f32', 'f64'],
  verify: {
    golden: 'linalg/svd',
    reads: {
      params: { m: 'integer', n: 'integer' },
      inputs: ['a'],
      outputs: ['s'],
      conventions: 'singular values descending (dgesdd)',
    },
    thresholds: {
      reconstruction: {
        value: SVD_THRESHOLD,
        why: "LAPACK ddrvbd test 1: ‖A − U·S·Vᵀ‖ / (‖A‖·max(m, n)·ε); LAPACK's SVD threshold 50 (svd.in)",
      },
      orthogonalityU: { value: SVD_THRESHOLD, why: 'LAPACK ddrvbd test 2: ‖I − UᵀU‖ / (m·ε); threshold 50' },
      orthogonalityV: { value: SVD_THRESHOLD, why: 'LAPACK ddrvbd test 3: ‖I − VᵀV‖ / (n·ε); threshold 50' },
      order: {
        value: 0,
        why: 'LAPACK ddrvbd test 4: singular values non-negative and sorted descending (0, else a failure)',
      },
      values: {
        value: SVD_THRESHOLD,
        why: prose`
          max |ŝᵢ − sᵢ| / (ε·s₁·max(m, n)) against dgesdd: Weyl’s bound |Δsᵢ| ≤ ‖ΔA‖ for a backward-stable SVD;
          threshold 50
        `,
      },
    },
    async check(be, dtype, entry) {
      const { m, n } = entry.params as { m: number; n: number };
      const a = entry.inputs.a;
      const k = Math.min(m, n);
      const f = await factors(be, await svd(be, await put(be, dtype, a)));
      const e = eps(be, dtype),
        an = frobenius(a.data),
        big = Math.max(m, n, 1);
      const golden = entry.outputs.s.data;
      let order = 0,
        worst = 0;
      for (let i = 0; i < k; i++) {
        if (f.s[i] < 0 || (i > 0 && f.s[i] > f.s[i - 1])) order = Infinity;
        worst = Math.max(worst, Math.abs(f.s[i] - golden[i]));
      }
      const s1 = golden[0] ?? 0;
      return {
        reconstruction:
          an === 0 ? residual(a.data, m, n, f.u, f.s, f.v) : residual(a.data, m, n, f.u, f.s, f.v) / (an * big * e),
        orthogonalityU: orthogonalityError(f.u, m, k) / (Math.max(m, 1) * e),
        orthogonalityV: orthogonalityError(f.v, n, k) / (Math.max(n, 1) * e),
        order,
        values: s1 === 0 ? worst : worst / (e * s1 * big),
      };
    },
  },
  bench: {
    // The sizes the LAPACK anchors are timed at (npm run bench:linalg): 512×512 and 1000×100.
    params: (sizes) =>
      (sizes ?? [128, 512]).map((n) => ({ m: n, n })).concat(sizes === undefined ? [{ m: 1000, n: 100 }] : []),
    cost: ({ m, n }, dtype) => svdCost(m, n, dtype),
    async setup(be, dtype, { m, n }) {
      const a = await be.upload(hostTensor(dtype, [m, n], fillRandom({ seed: 11, stream: 0 }, 'normal', dtype, m * n)));
      return freshOutputs(
        be,
        [a],
        () => svd(be, a),
        (f) => [f.u, f.s, f.v],
      );
    },
  },
});

export const truncatedSvdCase = defineCase({
  id: 'linalg/truncatedSvd',
  family: 'linalg',
  title: 'Truncated SVD: the best rank-k approximation',
  primitives: ['gemm', 'reduce', 'transpose', 'qr', 'svd', 'syev'],
  dtypes: ['f32', 'f64'],
  verify: {
    golden: 'linalg/low-rank',
    reads: {
      params: { m: 'integer', n: 'integer', k: 'integer' },
      inputs: ['a'],
      outputs: ['s', 'uk'],
      conventions: prose`
          one folder serves linalg/truncatedSvd and linalg/randomizedSvd; s all singular values descending, uk the
          leading k left singular vectors (m×k, any signs)
        `,
    },
    thresholds: {
      optimality: {
        value: SVD_THRESHOLD,
        why: prose`
          |‖A − A_k‖_F − (Σ_{i>k} σᵢ²)^½| / (ε·‖A‖·max(m, n)): Eckart–Young says the truncated SVD is optimal;
          threshold 50 as LAPACK svd.in
        `,
      },
      subspace: {
        value: SVD_THRESHOLD,
        why: prose`
          ‖sin Θ(Û_k, U_k)‖_F against dgesdd’s U_k, over Wedin’s bound ε·‖A‖·max(m, n)/(σ_k − σ_{k+1}): the error of a
          subspace scales with its gap; threshold 50
        `,
      },
    },
    async check(be, dtype, entry) {
      const { m, n, k } = entry.params as { m: number; n: number; k: number };
      const a = entry.inputs.a;
      const f = await factors(be, await truncatedSvd(be, await put(be, dtype, a), k));
      const err = residual(a.data, m, n, f.u, f.s, f.v);
      const s = entry.outputs.s.data,
        uk = entry.outputs.uk.data;
      const scale = eps(be, dtype) * frobenius(a.data) * Math.max(m, n);
      return {
        optimality: Math.abs(err - optimalTail(s, k)) / scale,
        subspace: sinTheta(f.u, uk, m, k) / (scale / (s[k - 1] - s[k])),
      };
    },
  },
});

const OVERSAMPLING = 10;

export const randomizedSvdCase = defineCase({
  id: 'linalg/randomizedSvd',
  family: 'linalg',
  title: 'Randomized SVD (Halko–Martinsson–Tropp) with oversampling and power iterations',
  primitives: ['gemm', 'reduce', 'transpose', 'random', 'qr', 'svd', 'syev'],
  dtypes: ['f32', 'f64'],
  verify: {
    golden: 'linalg/low-rank',
    reads: {
      params: { m: 'integer', n: 'integer', k: 'integer' },
      inputs: ['a'],
      outputs: ['s'],
      conventions: 'one folder serves linalg/truncatedSvd and linalg/randomizedSvd; s all singular values descending',
    },
    thresholds: {
      errorFactor: {
        value: 1,
        why: prose`
          ‖A − Â_k‖_F / (Σ_{i>k} σᵢ²)^½ divided by HMT Thm 10.5’s factor (1 + k/(p − 1))^½ (p = 10 oversampling; the
          bound is for q = 0, two power iterations only tighten it): at most 1
        `,
      },
    },
    async check(be, dtype, entry) {
      const { m, n, k } = entry.params as { m: number; n: number; k: number };
      const a = entry.inputs.a;
      const f = await factors(
        be,
        await randomizedSvd(be, await put(be, dtype, a), k, {
          oversampling: OVERSAMPLING,
          powerIterations: 2,
          seed: 5,
        }),
      );
      const factor = residual(a.data, m, n, f.u, f.s, f.v) / optimalTail(entry.outputs.s.data, k);
      return { errorFactor: factor / Math.sqrt(1 + k / (OVERSAMPLING - 1)) };
    },
  },
  bench: {
    params: (sizes) => (sizes ?? [500, 1000]).map((n) => ({ n, k: 32 })),
    cost: ({ n, k }, dtype) => ({
      flops: 2 * n * n * (k + OVERSAMPLING) * 6,
      bytes: (dtype === 'f64' ? 8 : 4) * n * n,
    }),
    async setup(be, dtype, { n, k }) {
      const a = await be.upload(hostTensor(dtype, [n, n], fillRandom({ seed: 12, stream: 0 }, 'normal', dtype, n * n)));
      return freshOutputs(
        be,
        [a],
        () => randomizedSvd(be, a, k),
        (f) => [f.u, f.s, f.v],
      );
    },
  },
});
