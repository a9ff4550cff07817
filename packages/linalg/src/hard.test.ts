/**
 * The hard-matrix sweep (issue #14): every factorization on every backend and dtype, on LAPACK's
 * TESTING-style matrices (hard-matrices.ts), held to the scaled ratios of its case (reconstruction and
 * orthogonality in units of max(m, n)·ε of the computing dtype; thresholds as the goldens': 30 for
 * QR-type and LU, 50 for the SVD, 60 for the eigensolvers, LAPACK's dqrt01/dget01/dsvd/dsyt21). No
 * valid finite input may give NaN, a non-finite factor or "did not converge"; an input outside a
 * method's domain (rank-deficient for Cholesky, CholeskyQR2 and least squares) must raise
 * NumericalError naming it.
 */
import {
  computeEps,
  hostTensor,
  NumericalError,
  ops,
  scaledRatio,
  ShapeError,
  type Backend,
  type DType,
  type PrimitiveName,
} from '@lowrank/core';
import { guardWasmMemory, planTestBackends, skipTitle } from '@lowrank/harness';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cholesky, choleskyQr2, leastSquares } from './factor.ts';
import { EIG_METHODS, lanczos, symmetricEig } from './eig.ts';
import { eigenResidual } from './general-eig.ts';
import { hardMatrices, matrix, withSingularValues, type HardMatrix } from './hard-matrices.ts';
import { diffNorm, frobenius, matmul, permuteRows, unpackLu } from './host.ts';
import { randomizedSvd, svd, truncatedSvd, type TruncatedSvd } from './svd.ts';
import { tsqr } from './tsqr.ts';

guardWasmMemory();
const PLAN = await planTestBackends();

const ratio = scaledRatio;
const orth = (q: Float64Array, rows: number, k: number) =>
  frobenius(matmul(q, rows, k, q, rows, k, true).map((x, i) => x - (i % (k + 1) === 0 ? 1 : 0)));
const finite = (...xs: ArrayLike<number>[]) => xs.every((x) => Array.prototype.every.call(x, Number.isFinite));

type Check = (be: Backend, dtype: DType, h: HardMatrix) => Promise<Record<string, number> | 'refused'>;

const down = async (be: Backend, t: Parameters<Backend['download']>[0]) =>
  Float64Array.from((await be.download(t)).data);

/** The methods of the sweep: which matrices each takes, its ratios and their thresholds. */
const METHODS: ReadonlyArray<{ name: string; takes: (h: HardMatrix) => boolean; limit: number; check: Check }> = [
  {
    name: 'qr',
    limit: 30,
    takes: () => true,
    async check(be, dtype, h) {
      const { q, r } = await ops.qr(be, await be.upload(hostTensor(dtype, [h.m, h.n], h.data)));
      const k = Math.min(h.m, h.n),
        Q = await down(be, q),
        R = await down(be, r);
      if (!finite(Q, R)) return { finite: Infinity };
      return {
        reconstruction: ratio(
          diffNorm(h.data, matmul(Q, h.m, k, R, k, h.n)),
          Math.max(h.m, h.n, 1) * frobenius(h.data) * computeEps(be, dtype),
        ),
        orthogonality: ratio(orth(Q, h.m, k), Math.max(h.m, 1) * computeEps(be, dtype)),
      };
    },
  },
  {
    name: 'tsqr',
    limit: 30,
    takes: (h) => h.m >= h.n && h.n > 0,
    async check(be, dtype, h) {
      const f = await tsqr(be, await be.upload(hostTensor(dtype, [h.m, h.n], h.data)), 3);
      const R = await down(be, f.r),
        qta = await down(be, await f.applyQt(await be.upload(hostTensor(dtype, [h.m, h.n], h.data))));
      if (!finite(R, qta)) return { finite: Infinity };
      return { appliedQt: ratio(diffNorm(qta, R), Math.max(h.m, 1) * frobenius(h.data) * computeEps(be, dtype)) };
    },
  },
  {
    name: 'choleskyQr2',
    limit: 30,
    takes: (h) => h.m >= h.n && h.n > 0,
    async check(be, dtype, h) {
      try {
        const { q, r } = await choleskyQr2(be, await be.upload(hostTensor(dtype, [h.m, h.n], h.data)));
        const Q = await down(be, q),
          R = await down(be, r);
        if (!finite(Q, R)) return { finite: Infinity };
        return {
          reconstruction: ratio(
            diffNorm(h.data, matmul(Q, h.m, h.n, R, h.n, h.n)),
            h.m * frobenius(h.data) * computeEps(be, dtype),
          ),
          orthogonality: ratio(orth(Q, h.m, h.n), h.m * computeEps(be, dtype)),
        };
      } catch (e) {
        if (e instanceof NumericalError && /outside the method's domain|not positive definite|pivot/.test(e.message))
          return 'refused';
        throw e;
      }
    },
  },
  {
    name: 'lu',
    limit: 30,
    takes: () => true,
    async check(be, dtype, h) {
      const f = await ops.lu(be, await be.upload(hostTensor(dtype, [h.m, h.n], h.data)));
      const { l, u, k } = unpackLu(await down(be, f.lu), h.m, h.n);
      if (!finite(l, u)) return { finite: Infinity };
      const pa = permuteRows(Float64Array.from(h.data), h.n, f.pivots);
      return {
        reconstruction: ratio(
          diffNorm(pa, matmul(l, h.m, k, u, k, h.n)),
          Math.max(h.m, h.n, 1) * frobenius(h.data) * computeEps(be, dtype),
        ),
      };
    },
  },
  {
    name: 'cholesky',
    limit: 30,
    takes: (h) => h.symmetric,
    async check(be, dtype, h) {
      try {
        const L = await down(be, await cholesky(be, await be.upload(hostTensor(dtype, [h.m, h.n], h.data))));
        if (!finite(L)) return { finite: Infinity };
        return {
          reconstruction: ratio(
            diffNorm(h.data, matmul(L, h.n, h.n, L, h.n, h.n, false, true)),
            Math.max(h.n, 1) * frobenius(h.data) * computeEps(be, dtype),
          ),
        };
      } catch (e) {
        // Only a matrix that is not positive definite may be refused, and only by a NumericalError.
        if (!h.spd && e instanceof NumericalError) return 'refused';
        throw e;
      }
    },
  },
  {
    name: 'leastSquares',
    limit: 30,
    takes: (h) => h.m >= h.n && h.n > 0,
    async check(be, dtype, h) {
      const b = Float64Array.from(
        { length: h.m },
        (_, i) => Math.cos(i + 1) * (frobenius(h.data) / Math.sqrt(h.m * h.n) || 1),
      );
      try {
        const x = await down(
          be,
          await leastSquares(
            be,
            await be.upload(hostTensor(dtype, [h.m, h.n], h.data)),
            await be.upload(hostTensor(dtype, [h.m], b)),
          ),
        );
        if (!finite(x)) return { finite: Infinity };
        // LAPACK dqrt17 on A and b scaled by 1/‖A‖ (x unchanged), so nothing overflows at 1e300:
        // ‖Âᵀ(Â·x − b̂)‖ / ((‖x‖ + ‖b̂‖)·max(m, n)·ε) with ‖Â‖ = 1.
        const an = frobenius(h.data),
          as = h.data.map((v) => v / an),
          bs = b.map((v) => v / an);
        const r = matmul(as, h.m, h.n, x, h.n, 1).map((v, i) => v - bs[i]);
        return {
          normalEquations: ratio(
            frobenius(matmul(as, h.m, h.n, r, h.m, 1, true)),
            (frobenius(x) + frobenius(bs)) * Math.max(h.m, h.n) * computeEps(be, dtype),
          ),
        };
      } catch (e) {
        // The domain is full numerical column rank (κ·max(m, n)·ε < 1, numpy's lstsq default rcond).
        if (
          (h.rankDeficient || h.cond * Math.max(h.m, h.n) * computeEps(be, dtype) >= 1) &&
          e instanceof NumericalError
        )
          return 'refused';
        throw e;
      }
    },
  },
  {
    name: 'svd',
    limit: 50,
    takes: () => true,
    async check(be, dtype, h) {
      const f = await svd(be, await be.upload(hostTensor(dtype, [h.m, h.n], h.data)));
      const k = Math.min(h.m, h.n),
        U = await down(be, f.u),
        S = await down(be, f.s),
        V = await down(be, f.v);
      if (!finite(U, S, V)) return { finite: Infinity };
      const us = U.map((x, i) => x * S[i % k]);
      const descending = S.every((s, i) => s >= 0 && (i === 0 || s <= S[i - 1])) ? 0 : Infinity;
      return {
        reconstruction: ratio(
          diffNorm(h.data, matmul(us, h.m, k, V, h.n, k, false, true)),
          Math.max(h.m, h.n, 1) * frobenius(h.data) * computeEps(be, dtype),
        ),
        orthogonalityU: ratio(orth(U, h.m, k), Math.max(h.m, 1) * computeEps(be, dtype)),
        orthogonalityV: ratio(orth(V, h.n, k), Math.max(h.n, 1) * computeEps(be, dtype)),
        descending,
      };
    },
  },
  {
    // LAPACK dtrt02: ‖op(T)·X − α·B‖ / (‖T‖·‖X‖·n·ε) for T the upper (and, transposed, lower) triangle.
    name: 'trsm',
    limit: 30,
    takes: (h) => h.m === h.n,
    async check(be, dtype, h) {
      const n = h.n,
        cols = 3,
        alpha = 0.5;
      const b = matrix(n, cols, (i, j) => Math.cos(3 * i + j + 1));
      const upper = h.data.map((v, k) => (k % n >= Math.floor(k / n) ? v : 0));
      const out: Record<string, number> = {};
      for (const trans of [false, true]) {
        try {
          const x = await down(
            be,
            await ops.trsm(
              be,
              await be.upload(hostTensor(dtype, [n, n], upper)),
              await be.upload(hostTensor(dtype, [n, cols], b)),
              { lower: false, trans, alpha },
            ),
          );
          if (!finite(x)) return { finite: Infinity };
          const tx = matmul(upper, n, n, x, n, cols, trans);
          out[trans ? 'residualTrans' : 'residual'] = ratio(
            diffNorm(
              tx,
              b.map((v) => alpha * v),
            ),
            frobenius(upper) * frobenius(x) * Math.max(n, 1) * computeEps(be, dtype),
          );
        } catch (e) {
          // The domain is a nonzero diagonal (dtrtrs's singularity test).
          if (
            e instanceof NumericalError &&
            /singular/.test(e.message) &&
            upper.some((v, k) => k % (n + 1) === 0 && v === 0)
          )
            return 'refused';
          throw e;
        }
      }
      return out;
    },
  },
  {
    name: 'truncatedSvd',
    limit: 50,
    takes: (h) => h.m * h.n > 0,
    async check(be, dtype, h) {
      const k = Math.ceil(Math.min(h.m, h.n) / 2);
      return truncatedRatios(
        be,
        dtype,
        h,
        k,
        await truncatedSvd(be, await be.upload(hostTensor(dtype, [h.m, h.n], h.data)), k),
      );
    },
  },
  {
    name: 'randomizedSvd',
    limit: 50,
    takes: (h) => h.m * h.n > 0,
    async check(be, dtype, h) {
      const k = Math.ceil(Math.min(h.m, h.n) / 4);
      return truncatedRatios(
        be,
        dtype,
        h,
        k,
        await randomizedSvd(be, await be.upload(hostTensor(dtype, [h.m, h.n], h.data)), k, { seed: 5 }),
      );
    },
  },
  {
    // Full reorthogonalization and a Krylov space of min(n, 2k + 20) ≥ n here: the Ritz values are the
    // eigenvalues, to Weyl's bound n·‖A‖·ε, against the tridiagonal QL solver on the same matrix.
    name: 'lanczos',
    limit: 60,
    takes: (h) => h.symmetric && h.n > 0,
    async check(be, dtype, h) {
      const a = await be.upload(hostTensor(dtype, [h.n, h.n], h.data));
      const k = Math.min(3, h.n);
      const w = await lanczos(be, (x) => ops.gemv(be, a, x), h.n, k, dtype as 'f32' | 'f64', { seed: 4 });
      if (w.length !== k || !finite(w)) return { count: w.length === k ? Infinity : Math.abs(k - w.length) * 1e9 };
      const exact = (await symmetricEig(be, a, { method: 'tridiagonal' })).values;
      return {
        values: ratio(
          Math.max(...w.map((v, i) => Math.abs(v - exact[i]))),
          Math.max(h.n, 1) * frobenius(h.data) * computeEps(be, dtype),
        ),
      };
    },
  },
  {
    // Every square hard matrix, symmetric or not: the residual ‖AV − VΛ‖_F over n·‖A‖_F·ε·‖V‖_F (LAPACK's dget22),
    // split complex, V with unit columns; no reference needed.
    name: 'generalEig',
    limit: 60,
    takes: (h) => h.m === h.n,
    async check(be, dtype, h) {
      const n = h.n;
      const r = await ops.geev(be, await be.upload(hostTensor(dtype, [n, n], h.data)));
      const [wr, wi, vr, vi] = await Promise.all(
        [r.valuesRe, r.valuesIm, r.vectorsRe, r.vectorsIm].map((t) => down(be, t)),
      );
      if (!finite(wr, wi, vr, vi)) return { finite: Infinity };
      return {
        residual: ratio(
          eigenResidual(h.data, n, wr, wi, vr, vi),
          Math.max(n, 1) * computeEps(be, dtype) * Math.sqrt(n),
        ),
      };
    },
  },
  ...EIG_METHODS.map((method) => ({
    name: `symmetricEig (${method})`,
    limit: 60,
    takes: (h: HardMatrix) => h.symmetric,
    async check(be: Backend, dtype: DType, h: HardMatrix) {
      const f = await symmetricEig(be, await be.upload(hostTensor(dtype, [h.n, h.n], h.data)), { method });
      const Z = await down(be, f.vectors);
      if (!finite(Z, f.values)) return { finite: Infinity };
      const zl = Z.map((x, i) => x * f.values[i % h.n]);
      return {
        reconstruction: ratio(
          diffNorm(h.data, matmul(zl, h.n, h.n, Z, h.n, h.n, false, true)),
          Math.max(h.n, 1) * frobenius(h.data) * computeEps(be, dtype),
        ),
        orthogonality: ratio(orth(Z, h.n, h.n), Math.max(h.n, 1) * computeEps(be, dtype)),
      };
    },
  })),
];

/** The kernel each method's skip is decided by (the rest are QR-based). */
const PRIMITIVE_OF: Record<string, PrimitiveName> = {
  cholesky: 'cholesky',
  lu: 'lu',
  trsm: 'trsm',
  truncatedSvd: 'svd',
  randomizedSvd: 'svd',
  lanczos: 'syev',
  'symmetricEig (tridiagonal)': 'syev',
  'symmetricEig (jacobi)': 'syev',
  svd: 'svd',
  generalEig: 'geev',
};

/**
 * A rank-k SVD's ratios that need no reference: U and V orthonormal, σ descending and non-negative,
 * and the identity Uᵀ·A = Σ·Vᵀ, checked transposed as Aᵀ·U = V·Σ (exact for the leading singular
 * triplets and for the randomized method's U = Q·Ũ, B = Qᵀ·A = Ũ·Σ·Vᵀ), over max(m, n)·‖A‖·ε.
 */
async function truncatedRatios(
  be: Backend,
  dtype: DType,
  h: HardMatrix,
  k: number,
  f: TruncatedSvd,
): Promise<Record<string, number>> {
  const U = await down(be, f.u),
    S = await down(be, f.s),
    V = await down(be, f.v);
  if (!finite(U, S, V) || S.length !== k) return { finite: Infinity };
  const sv = V.map((x, i) => x * S[i % k]);
  const eps = computeEps(be, dtype);
  return {
    identity: ratio(
      diffNorm(matmul(h.data, h.m, h.n, U, h.m, k, true), sv),
      Math.max(h.m, h.n) * frobenius(h.data) * eps,
    ),
    orthogonalityU: ratio(orth(U, h.m, k), Math.max(h.m, 1) * eps),
    orthogonalityV: ratio(orth(V, h.n, k), Math.max(h.n, 1) * eps),
    descending: S.every((s, i) => s >= 0 && (i === 0 || s <= S[i - 1])) ? 0 : Infinity,
  };
}

describe.each(PLAN)('hard matrices on $label', (tb) => {
  let be: Backend;
  beforeAll(async () => {
    if (tb.absent === null) be = await tb.open();
  });
  afterAll(async () => {
    await be?.close();
  });

  it.skipIf(!tb.label.startsWith('wasm'))(
    skipTitle(
      'runs with the WASM heap guarded',
      tb.label.startsWith('wasm') ? undefined : 'only the WASM backend has a guarded heap',
    ),
    () => {
      expect(be.info.details.guard).toBe(true);
    },
  );

  // Defect 5 of #14: U lost orthogonality linearly in n (ratio 74–77 at 256² with clustered σ). The
  // threshold must hold at n = 1024 on every backend and dtype.
  for (const dtype of ['f64', 'f32'] as DType[]) {
    // The SVD gives the same bits on any thread count (backend-wasm's tests): the 1-thread WASM run would repeat the
    // 2-thread one.
    const why =
      tb.skip('svd', dtype) ??
      (tb.label === 'wasm (1 thread)' ? 'the SVD gives the bits of wasm (2 threads) on any thread count' : undefined);
    it.skipIf(why !== undefined)(
      skipTitle(`svd (${dtype}) at 1024×1024 with clustered σ: orthogonality and reconstruction within 50`, why),
      async () => {
        const n = 1024,
          h = {
            name: 'clustered σ 1024²',
            m: n,
            n,
            data: withSingularValues(
              n,
              n,
              Array.from({ length: n }, (_, i) => 1 + i * 1e-9),
              12,
            ),
            symmetric: false,
            spd: false,
            rankDeficient: false,
            cond: 1,
          };
        const release = be.track();
        try {
          const r = await METHODS.find((m) => m.name === 'svd')!.check(be, dtype, h);
          if (process.env.LOWRANK_SWEEP_REPORT === '1')
            process.stdout.write(`sweep ${tb.label} ${dtype} svd 1024²: ${JSON.stringify(r)}\n`);
          expect(r).not.toBe('refused');
          for (const v of Object.values(r as Record<string, number>)) expect(v).toBeLessThanOrEqual(50);
        } finally {
          release();
        }
      },
      300_000,
    );
  }

  for (const dtype of ['f64', 'f32'] as DType[]) {
    for (const method of METHODS) {
      const why = tb.skip(PRIMITIVE_OF[method.name] ?? 'qr', dtype);
      it.skipIf(why !== undefined)(
        skipTitle(
          `${method.name} (${dtype}): every hard matrix within ${method.limit} of its ratios, or refused by name`,
          why,
        ),
        async () => {
          const failures: string[] = [],
            refused: string[] = [];
          const worst = new Map<string, { v: number; at: string }>();
          for (const h of hardMatrices(dtype).filter(method.takes)) {
            const release = be.track();
            try {
              const r = await method.check(be, dtype, h);
              if (r === 'refused') {
                refused.push(h.name);
                continue;
              }
              for (const [metric, v] of Object.entries(r)) {
                if (!(v <= method.limit)) failures.push(`${h.name}: ${metric} ${v.toPrecision(3)}`);
                if (!(v <= (worst.get(metric)?.v ?? -1))) worst.set(metric, { v, at: h.name });
              }
            } catch (e) {
              // An empty matrix may be refused as a shape; anything else that throws is a failure.
              if (h.m * h.n === 0 && e instanceof ShapeError) continue;
              failures.push(`${h.name}: ${(e as Error).name}: ${(e as Error).message.slice(0, 120)}`);
            } finally {
              release();
            }
          }
          // LOWRANK_SWEEP_REPORT=1 prints the worst ratio of each metric and what was refused.
          if (process.env.LOWRANK_SWEEP_REPORT === '1') {
            const w = [...worst].map(([k, { v, at }]) => `${k} ${v.toPrecision(2)} (${at})`).join(', ');
            process.stdout.write(
              `sweep ${tb.label} ${dtype} ${method.name}: worst ${w}; refused ${refused.length}${refused.length > 0 ? ` (${refused.join(', ')})` : ''}\n`,
            );
          }
          expect(failures).toEqual([]);
        },
        300_000,
      );
    }
  }
});
