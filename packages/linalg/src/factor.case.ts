import {
  choleskyCost,
  computeEps,
  defineCase,
  fillRandom,
  getF64,
  hostTensor,
  luCost,
  NumericalError,
  ops,
  prose,
  putAs,
  qrCost,
  scaledRatio,
  trsmCost,
  type Backend,
  type DeviceTensor,
  type DType,
  type HostTensor,
} from '@lowrank/core';
import { tsqr } from './tsqr.ts';
import { choleskyQr2, leastSquares } from './factor.ts';
import { freshOutputs } from './bench-output.ts';
import { diagonalMatrix, diffNorm, frobenius, matmul, orthogonalityError, permuteRows, unpackLu } from './host.ts';

/** LAPACK's threshold for its linear-equation tests (TESTING/dtest.in). */
const LIN = { value: 30, why: "LAPACK's LIN threshold (dtest.in); the backward-error bounds give ratios of order 1" };

const eps = computeEps;
const put = putAs;
const get = getF64;

/** A random symmetric positive definite matrix G·Gᵀ + n·I for benchmarks. */
function spd(dtype: DType, n: number): HostTensor {
  const g = fillRandom({ seed: 7, stream: 0 }, 'normal', 'f64', n * n);
  const a = matmul(g, n, n, g, n, n, false, true);
  for (let i = 0; i < n; i++) a[i * n + i] += n;
  return hostTensor(dtype, [n, n], a);
}

export const choleskyCase = defineCase({
  id: 'linalg/cholesky',
  family: 'linalg',
  title: 'Cholesky factorization A = L·Lᵀ',
  primitives: ['cholesky'],
  dtypes: ['f32', 'f64'],
  verify: {
    golden: 'linalg/cholesky',
    reads: {
      params: { n: 'integer', failAt: 'integer' },
      inputs: ['a'],
      outputs: [],
      conventions:
        'failAt is the 1-based leading minor at which dpotrf reports A not positive definite, 0 when it succeeds',
    },
    thresholds: {
      reconstruction: {
        ...LIN,
        why: "LAPACK dpot01: ‖A − L·Lᵀ‖ / (n·‖A‖·ε) (Frobenius norms); LAPACK's LIN threshold 30",
      },
      upperNonzeros: { value: 0, why: 'L is lower triangular: its strict upper triangle must be exactly zero' },
      failedPivot: {
        value: 0,
        why: prose`
          an indefinite A must raise NumericalError at the leading minor LAPACK dpotrf reports (|difference| of pivot
          indices)
        `,
      },
    },
    async check(be, dtype, entry): Promise<Record<string, number>> {
      const { n, failAt } = entry.params as { n: number; failAt: number };
      const a = entry.inputs.a;
      if (failAt >= 0) {
        const err = await ops.cholesky(be, await put(be, dtype, a)).then(
          () => null,
          (e: unknown) => e,
        );
        const got = err instanceof NumericalError ? Number(/pivot (\d+)/.exec(err.message)?.[1] ?? Infinity) : Infinity;
        return { failedPivot: Math.abs(got - failAt) };
      }
      const l = await get(be, await ops.cholesky(be, await put(be, dtype, a)));
      let upper = 0;
      for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) if (l[i * n + j] !== 0) upper++;
      const llt = matmul(l, n, n, l, n, n, false, true);
      return {
        reconstruction: scaledRatio(diffNorm(a.data, llt), Math.max(n, 1) * frobenius(a.data) * eps(be, dtype)),
        upperNonzeros: upper,
      };
    },
  },
  bench: {
    params: (sizes) => (sizes ?? [128, 256, 512]).map((n) => ({ n })),
    cost: ({ n }, dtype) => choleskyCost(n, dtype),
    async setup(be, dtype, { n }) {
      const a = await be.upload(spd(dtype, n));
      return freshOutputs(
        be,
        [a],
        () => ops.cholesky(be, a),
        (l) => [l],
      );
    },
  },
});

export const luCase = defineCase({
  id: 'linalg/lu',
  family: 'linalg',
  title: 'LU factorization with partial pivoting, P·A = L·U',
  primitives: ['lu'],
  dtypes: ['f32', 'f64'],
  verify: {
    golden: 'linalg/lu',
    reads: {
      params: { m: 'integer', n: 'integer', singularAt: 'integer' },
      inputs: ['a'],
      outputs: ['lu', 'piv'],
      conventions: prose`
          lu holds L (unit, below the diagonal) and U as dgetrf; piv the 0-based row interchanges (scipy's ipiv);
          singularAt dgetrf's info (0: no zero pivot)
        `,
    },
    thresholds: {
      reconstruction: {
        ...LIN,
        why: "LAPACK dget01: ‖P·A − L·U‖ / (n·‖A‖·ε) (Frobenius norms); LAPACK's LIN threshold 30",
      },
      pivots: {
        value: 0,
        why: prose`
          partial pivoting picks the largest |entry| (first on ties), as dgetrf: the pivot rows must match LAPACK’s
          while the pivot is above rounding noise (see check)
        `,
      },
      singular: {
        value: 0,
        why: 'the first exactly zero pivot must be the one dgetrf reports (|difference|, 0 when both find none)',
      },
    },
    async check(be, dtype, entry) {
      const { m, n, singularAt } = entry.params as { m: number; n: number; singularAt: number };
      const a = entry.inputs.a;
      const f = await ops.lu(be, await put(be, dtype, a));
      const { l, u, k } = unpackLu(await get(be, f.lu), m, n);
      const pa = permuteRows(Float64Array.from(a.data), n, f.pivots);
      const residual = scaledRatio(
        diffNorm(pa, matmul(l, m, k, u, k, n)),
        Math.max(m, n, 1) * frobenius(a.data) * eps(be, dtype),
      );
      // Once LAPACK's pivot |u_jj| is at rounding level (≤ max(m, n)·ε·‖A‖ in the dtype the backend
      // computes in: a rank-deficient or, in f32, ill-conditioned A), the trailing block is noise and any
      // row is as good: LAPACK's order and ours may differ there.
      const golden = entry.outputs.lu.data,
        noise = Math.max(m, n) * eps(be, dtype) * frobenius(a.data);
      let pivots = 0;
      for (let j = 0; j < f.pivots.length && Math.abs(golden[j * n + j]) > noise; j++) {
        if (f.pivots[j] !== entry.outputs.piv.data[j]) pivots++;
      }
      return { reconstruction: residual, pivots, singular: Math.abs((f.singularAt ?? -1) - singularAt) };
    },
  },
  bench: {
    params: (sizes) => (sizes ?? [128, 256, 512]).map((n) => ({ n })),
    cost: ({ n }, dtype) => luCost(n, n, dtype),
    async setup(be, dtype, { n }) {
      const a = await be.upload(hostTensor(dtype, [n, n], fillRandom({ seed: 8, stream: 0 }, 'normal', dtype, n * n)));
      return freshOutputs(
        be,
        [a],
        () => ops.lu(be, a),
        (f) => [f.lu],
      );
    },
  },
});

export const trsmCase = defineCase({
  id: 'linalg/trsm',
  family: 'linalg',
  title: 'Triangular solve with many right-hand sides, op(T)·X = α·B',
  primitives: ['trsm'],
  dtypes: ['f32', 'f64'],
  verify: {
    golden: 'linalg/trsm',
    reads: {
      params: { n: 'integer', m: 'integer', lower: 'boolean', trans: 'boolean', unitDiag: 'boolean', alpha: 'number' },
      inputs: ['t', 'b'],
      outputs: [],
      conventions:
        'solves op(T)·X = α·B for T n×n triangular and B n×m; the check needs no LAPACK output (residual ratio)',
    },
    thresholds: {
      residual: {
        ...LIN,
        why: "LAPACK dtrt02: ‖op(T)·X − α·B‖ / (‖T‖·‖X‖·n·ε) (Frobenius norms); LAPACK's LIN threshold 30",
      },
    },
    async check(be, dtype, entry) {
      const p = entry.params as {
        n: number;
        m: number;
        lower: boolean;
        trans: boolean;
        unitDiag: boolean;
        alpha: number;
      };
      const { t, b } = entry.inputs;
      const x = await get(be, await ops.trsm(be, await put(be, dtype, t), await put(be, dtype, b), p));
      const tx = matmul(t.data, p.n, p.n, x, p.n, p.m, p.trans);
      const ab = b.data.map((v) => p.alpha * v);
      return {
        residual: scaledRatio(diffNorm(tx, ab), frobenius(t.data) * frobenius(x) * Math.max(p.n, 1) * eps(be, dtype)),
      };
    },
  },
  bench: {
    params: (sizes) => (sizes ?? [128, 256, 512]).map((n) => ({ n })),
    cost: ({ n }, dtype) => trsmCost(n, n, dtype),
    async setup(be, dtype, { n }) {
      const tri = new Float64Array(n * n);
      const g = fillRandom({ seed: 9, stream: 0 }, 'normal', 'f64', n * n);
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < i; j++) tri[i * n + j] = g[i * n + j] / Math.sqrt(n);
        tri[i * n + i] = 2;
      }
      const t = await be.upload(hostTensor(dtype, [n, n], tri));
      const b = await be.upload(hostTensor(dtype, [n, n], fillRandom({ seed: 9, stream: 1 }, 'normal', dtype, n * n)));
      return {
        run: () => ops.trsm(be, t, b),
        dispose: () => {
          be.dispose(t);
          be.dispose(b);
        },
      };
    },
  },
});

const QR_THRESHOLDS = {
  reconstruction: {
    ...LIN,
    why: "LAPACK dqrt01: ‖A − Q·R‖ / (max(m, n)·‖A‖·ε) (Frobenius norms); LAPACK's LIN threshold 30",
  },
  orthogonality: { ...LIN, why: "LAPACK dqrt01: ‖I − QᵀQ‖ / (m·ε); LAPACK's LIN threshold 30" },
  lowerNonzeros: { value: 0, why: 'R is upper trapezoidal: its strict lower triangle must be exactly zero' },
};

/** The invariants of a thin QR (no comparison of Q or R themselves, which carry sign freedom). */
async function qrInvariants(
  be: Backend,
  dtype: DType,
  a: HostTensor,
  f: { q: DeviceTensor; r: DeviceTensor },
): Promise<Record<string, number>> {
  const [m, n] = a.shape;
  const k = Math.min(m, n);
  const q = await get(be, f.q),
    r = await get(be, f.r);
  let lower = 0;
  for (let i = 0; i < k; i++) for (let j = 0; j < Math.min(i, n); j++) if (r[i * n + j] !== 0) lower++;
  const e = eps(be, dtype);
  const anorm = frobenius(a.data);
  return {
    reconstruction: scaledRatio(diffNorm(a.data, matmul(q, m, k, r, k, n)), Math.max(m, n, 1) * anorm * e),
    orthogonality: orthogonalityError(q, m, k) / (Math.max(m, 1) * e),
    lowerNonzeros: lower,
  };
}

export const qrCase = defineCase({
  id: 'linalg/qr',
  family: 'linalg',
  title: 'Thin Householder QR, A = Q·R',
  primitives: ['qr'],
  dtypes: ['f32', 'f64'],
  verify: {
    golden: 'linalg/qr',
    reads: {
      params: {},
      inputs: ['a'],
      outputs: [],
      conventions: 'the check is residual and orthogonality ratios of A = Q·R (dqrt01); no LAPACK output is needed',
    },
    thresholds: QR_THRESHOLDS,
    async check(be, dtype, entry) {
      const a = entry.inputs.a;
      return qrInvariants(be, dtype, a, await ops.qr(be, await put(be, dtype, a)));
    },
  },
  bench: {
    params: (sizes) => (sizes ?? [128, 256, 512]).map((n) => ({ n })),
    cost: ({ n }, dtype) => qrCost(n, n, dtype),
    async setup(be, dtype, { n }) {
      const a = await be.upload(hostTensor(dtype, [n, n], fillRandom({ seed: 10, stream: 0 }, 'normal', dtype, n * n)));
      return freshOutputs(
        be,
        [a],
        () => ops.qr(be, a),
        (f) => [f.q, f.r],
      );
    },
  },
});

export const choleskyQr2Case = defineCase({
  id: 'linalg/choleskyQr2',
  family: 'linalg',
  title: 'CholeskyQR2 of a tall-skinny matrix',
  primitives: ['gemm', 'reduce', 'transpose', 'cholesky', 'trsm'],
  dtypes: ['f32', 'f64'],
  verify: {
    golden: 'linalg/tall-skinny',
    reads: {
      params: {},
      inputs: ['a'],
      outputs: [],
      conventions: 'one folder serves linalg/choleskyQr2, linalg/tsqr and linalg/leastSquares',
    },
    thresholds: QR_THRESHOLDS,
    async check(be, dtype, entry) {
      const a = entry.inputs.a;
      return qrInvariants(be, dtype, a, await choleskyQr2(be, await put(be, dtype, a)));
    },
  },
});

/**
 * TSQR with Q in applied form: the invariants of the thin QR with Q = Q·I_n applied, and Qᵀ·A applied
 * against R (LAPACK dqrt02-style ‖Qᵀ·A − R‖ / (m·‖A‖·ε)). Three row blocks, so the reduction tree is used.
 */
export const tsqrCase = defineCase({
  id: 'linalg/tsqr',
  family: 'linalg',
  title: 'TSQR of a tall-skinny matrix, Q applied (never formed)',
  primitives: ['qr', 'gemm'],
  dtypes: ['f32', 'f64'],
  verify: {
    golden: 'linalg/tall-skinny',
    reads: {
      params: {},
      inputs: ['a'],
      outputs: [],
      conventions: 'one folder serves linalg/choleskyQr2, linalg/tsqr and linalg/leastSquares',
    },
    thresholds: {
      ...QR_THRESHOLDS,
      appliedQt: { ...LIN, why: "LAPACK dqrt02-style ‖Qᵀ·A − R‖ / (m·‖A‖·ε); LAPACK's LIN threshold 30" },
    },
    async check(be, dtype, entry) {
      const a = entry.inputs.a,
        [m, n] = a.shape;
      const ad = await put(be, dtype, a);
      const f = await tsqr(be, ad, Math.max(1, Math.min(3, Math.floor(m / Math.max(n, 1)))));
      try {
        const q = await f.applyQ(
          await be.upload(hostTensor(dtype, [n, n], diagonalMatrix(new Float64Array(n).fill(1)))),
        );
        const invariants = await qrInvariants(be, dtype, a, { q, r: f.r });
        const qta = await get(be, await f.applyQt(ad)),
          r = await get(be, f.r);
        const anorm = frobenius(a.data);
        return { ...invariants, appliedQt: scaledRatio(diffNorm(qta, r), Math.max(m, 1) * anorm * eps(be, dtype)) };
      } finally {
        f.dispose();
      }
    },
  },
});

export const leastSquaresCase = defineCase({
  id: 'linalg/leastSquares',
  family: 'linalg',
  title: 'Least squares by Householder QR, min ‖A·x − b‖',
  primitives: ['qr', 'gemv', 'trsm'],
  dtypes: ['f32', 'f64'],
  verify: {
    golden: 'linalg/tall-skinny',
    reads: {
      params: { m: 'integer', n: 'integer', cond: 'number' },
      inputs: ['a', 'b'],
      outputs: ['x'],
      conventions: 'x is the least-squares solution by LAPACK dgelsd; cond is κ₂(A), used in the perturbation bound',
    },
    thresholds: {
      normalEquations: {
        ...LIN,
        why: prose`
          LAPACK dqrt17-style: ‖Aᵀ(A·x̂ − b)‖ / (‖A‖·(‖A‖·‖x̂‖ + ‖b‖)·max(m, n)·ε), small for any backward-stable
          solver; LIN threshold 30
        `,
      },
      solution: {
        value: 1,
        why: prose`
          ‖x̂ − x_LAPACK‖ / ‖x‖ against the perturbation bound κ(A)·ε·max(m, n)·(1 + κ(A)·‖r‖/(‖A‖·‖x‖)) (Wedin), with
          κ from the entry
        `,
      },
    },
    async check(be, dtype, entry) {
      const { m, n, cond } = entry.params as { m: number; n: number; cond: number };
      const { a, b } = entry.inputs;
      const x = await get(be, await leastSquares(be, await put(be, dtype, a), await put(be, dtype, b)));
      const r = matmul(a.data, m, n, x, n, 1).map((v, i) => v - b.data[i]);
      const atr = matmul(a.data, m, n, r, m, 1, true);
      const an = frobenius(a.data),
        e = eps(be, dtype) * Math.max(m, n);
      const xs = entry.outputs.x.data;
      const bound = cond * e * (1 + (cond * frobenius(r)) / (an * frobenius(xs)));
      return {
        normalEquations: scaledRatio(frobenius(atr), an * (an * frobenius(x) + frobenius(b.data)) * e),
        solution: scaledRatio(diffNorm(x, xs), frobenius(xs) * bound),
      };
    },
  },
});
