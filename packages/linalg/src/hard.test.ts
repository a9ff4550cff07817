/**
 * The hard-matrix sweep (issue #14): every factorization on every backend and dtype, on LAPACK's
 * TESTING-style matrices (hard-matrices.ts), held to the scaled ratios of its case (reconstruction and
 * orthogonality in units of max(m, n)·ε of the computing dtype; thresholds as the goldens': 30 for
 * QR-type and LU, 50 for the SVD, 60 for the eigensolvers, LAPACK's dqrt01/dget01/dsvd/dsyt21). No
 * valid finite input may give NaN, a non-finite factor or "did not converge"; an input outside a
 * method's domain (rank-deficient for Cholesky, CholeskyQR2 and least squares) must raise
 * NumericalError naming it.
 */
import { computeEps, hostTensor, NumericalError, ops, scaledRatio, ShapeError, type Backend, type DType } from '@lowrank/core';
import { guardWasmMemory, planTestBackends, skipTitle } from '@lowrank/harness';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cholesky, choleskyQr2, leastSquares } from './factor.ts';
import { EIG_METHODS, symmetricEig } from './eig.ts';
import { hardMatrices, type HardMatrix } from './hard-matrices.ts';
import { diffNorm, frobenius, matmul, permuteRows, unpackLu } from './host.ts';
import { svd } from './svd.ts';
import { tsqr } from './tsqr.ts';

guardWasmMemory();
const PLAN = await planTestBackends();

const ratio = scaledRatio;
const orth = (q: Float64Array, rows: number, k: number) => frobenius(matmul(q, rows, k, q, rows, k, true).map((x, i) => x - (i % (k + 1) === 0 ? 1 : 0)));
const finite = (...xs: ArrayLike<number>[]) => xs.every((x) => Array.prototype.every.call(x, Number.isFinite));

type Check = (be: Backend, dtype: DType, h: HardMatrix) => Promise<Record<string, number> | 'refused'>;

const down = async (be: Backend, t: Parameters<Backend['download']>[0]) => Float64Array.from((await be.download(t)).data);

/** The methods of the sweep: which matrices each takes, its ratios and their thresholds. */
const METHODS: ReadonlyArray<{ name: string; takes: (h: HardMatrix) => boolean; limit: number; check: Check }> = [
  {
    name: 'qr', limit: 30, takes: () => true,
    async check(be, dtype, h) {
      const { q, r } = await ops.qr(be, await be.upload(hostTensor(dtype, [h.m, h.n], h.data)));
      const k = Math.min(h.m, h.n), Q = await down(be, q), R = await down(be, r);
      if (!finite(Q, R)) return { finite: Infinity };
      return {
        reconstruction: ratio(diffNorm(h.data, matmul(Q, h.m, k, R, k, h.n)), Math.max(h.m, h.n, 1) * frobenius(h.data) * computeEps(be, dtype)),
        orthogonality: ratio(orth(Q, h.m, k), Math.max(h.m, 1) * computeEps(be, dtype)),
      };
    },
  },
  {
    name: 'tsqr', limit: 30, takes: (h) => h.m >= h.n && h.n > 0,
    async check(be, dtype, h) {
      const f = await tsqr(be, await be.upload(hostTensor(dtype, [h.m, h.n], h.data)), 3);
      const R = await down(be, f.r), qta = await down(be, await f.applyQt(await be.upload(hostTensor(dtype, [h.m, h.n], h.data))));
      if (!finite(R, qta)) return { finite: Infinity };
      return { appliedQt: ratio(diffNorm(qta, R), Math.max(h.m, 1) * frobenius(h.data) * computeEps(be, dtype)) };
    },
  },
  {
    name: 'choleskyQr2', limit: 30, takes: (h) => h.m >= h.n && h.n > 0,
    async check(be, dtype, h) {
      try {
        const { q, r } = await choleskyQr2(be, await be.upload(hostTensor(dtype, [h.m, h.n], h.data)));
        const Q = await down(be, q), R = await down(be, r);
        if (!finite(Q, R)) return { finite: Infinity };
        return {
          reconstruction: ratio(diffNorm(h.data, matmul(Q, h.m, h.n, R, h.n, h.n)), h.m * frobenius(h.data) * computeEps(be, dtype)),
          orthogonality: ratio(orth(Q, h.m, h.n), h.m * computeEps(be, dtype)),
        };
      } catch (e) {
        if (e instanceof NumericalError && /outside the method's domain|not positive definite|pivot/.test(e.message)) return 'refused';
        throw e;
      }
    },
  },
  {
    name: 'lu', limit: 30, takes: () => true,
    async check(be, dtype, h) {
      const f = await ops.lu(be, await be.upload(hostTensor(dtype, [h.m, h.n], h.data)));
      const { l, u, k } = unpackLu(await down(be, f.lu), h.m, h.n);
      if (!finite(l, u)) return { finite: Infinity };
      const pa = permuteRows(Float64Array.from(h.data), h.n, f.pivots);
      return { reconstruction: ratio(diffNorm(pa, matmul(l, h.m, k, u, k, h.n)), Math.max(h.m, h.n, 1) * frobenius(h.data) * computeEps(be, dtype)) };
    },
  },
  {
    name: 'cholesky', limit: 30, takes: (h) => h.symmetric,
    async check(be, dtype, h) {
      try {
        const L = await down(be, await cholesky(be, await be.upload(hostTensor(dtype, [h.m, h.n], h.data))));
        if (!finite(L)) return { finite: Infinity };
        return { reconstruction: ratio(diffNorm(h.data, matmul(L, h.n, h.n, L, h.n, h.n, false, true)), Math.max(h.n, 1) * frobenius(h.data) * computeEps(be, dtype)) };
      } catch (e) {
        // Only a matrix that is not positive definite may be refused, and only by a NumericalError.
        if (!h.spd && e instanceof NumericalError) return 'refused';
        throw e;
      }
    },
  },
  {
    name: 'leastSquares', limit: 30, takes: (h) => h.m >= h.n && h.n > 0,
    async check(be, dtype, h) {
      const b = Float64Array.from({ length: h.m }, (_, i) => Math.cos(i + 1) * (frobenius(h.data) / Math.sqrt(h.m * h.n) || 1));
      try {
        const x = await down(be, await leastSquares(be, await be.upload(hostTensor(dtype, [h.m, h.n], h.data)), await be.upload(hostTensor(dtype, [h.m], b))));
        if (!finite(x)) return { finite: Infinity };
        // LAPACK dqrt17 on A and b scaled by 1/‖A‖ (x unchanged), so nothing overflows at 1e300:
        // ‖Âᵀ(Â·x − b̂)‖ / ((‖x‖ + ‖b̂‖)·max(m, n)·ε) with ‖Â‖ = 1.
        const an = frobenius(h.data), as = h.data.map((v) => v / an), bs = b.map((v) => v / an);
        const r = matmul(as, h.m, h.n, x, h.n, 1).map((v, i) => v - bs[i]);
        return { normalEquations: ratio(frobenius(matmul(as, h.m, h.n, r, h.m, 1, true)), (frobenius(x) + frobenius(bs)) * Math.max(h.m, h.n) * computeEps(be, dtype)) };
      } catch (e) {
        // The domain is full numerical column rank (κ·max(m, n)·ε < 1, numpy's lstsq default rcond).
        if ((h.rankDeficient || h.cond * Math.max(h.m, h.n) * computeEps(be, dtype) >= 1) && e instanceof NumericalError) return 'refused';
        throw e;
      }
    },
  },
  {
    name: 'svd', limit: 50, takes: () => true,
    async check(be, dtype, h) {
      const f = await svd(be, await be.upload(hostTensor(dtype, [h.m, h.n], h.data)));
      const k = Math.min(h.m, h.n), U = await down(be, f.u), S = await down(be, f.s), V = await down(be, f.v);
      if (!finite(U, S, V)) return { finite: Infinity };
      const us = U.map((x, i) => x * S[i % k]);
      const descending = S.every((s, i) => s >= 0 && (i === 0 || s <= S[i - 1])) ? 0 : Infinity;
      return {
        reconstruction: ratio(diffNorm(h.data, matmul(us, h.m, k, V, h.n, k, false, true)), Math.max(h.m, h.n, 1) * frobenius(h.data) * computeEps(be, dtype)),
        orthogonalityU: ratio(orth(U, h.m, k), Math.max(h.m, 1) * computeEps(be, dtype)),
        orthogonalityV: ratio(orth(V, h.n, k), Math.max(h.n, 1) * computeEps(be, dtype)),
        descending,
      };
    },
  },
  ...EIG_METHODS.map((method) => ({
    name: `symmetricEig (${method})`, limit: 60, takes: (h: HardMatrix) => h.symmetric,
    async check(be: Backend, dtype: DType, h: HardMatrix) {
      const f = await symmetricEig(be, await be.upload(hostTensor(dtype, [h.n, h.n], h.data)), { method });
      const Z = await down(be, f.vectors);
      if (!finite(Z, f.values)) return { finite: Infinity };
      const zl = Z.map((x, i) => x * f.values[i % h.n]);
      return {
        reconstruction: ratio(diffNorm(h.data, matmul(zl, h.n, h.n, Z, h.n, h.n, false, true)), Math.max(h.n, 1) * frobenius(h.data) * computeEps(be, dtype)),
        orthogonality: ratio(orth(Z, h.n, h.n), Math.max(h.n, 1) * computeEps(be, dtype)),
      };
    },
  })),
];

describe.each(PLAN)('hard matrices on $label', (tb) => {
  let be: Backend;
  beforeAll(async () => { if (tb.absent === null) be = await tb.open(); });
  afterAll(async () => { await be?.close(); });

  it.skipIf(!tb.label.startsWith('wasm'))(skipTitle('runs with the WASM heap guarded', tb.label.startsWith('wasm') ? undefined : 'only the WASM backend has a guarded heap'), () => {
    expect(be.info.details.guard).toBe(true);
  });

  for (const dtype of ['f64', 'f32'] as DType[]) {
    for (const method of METHODS) {
      const why = tb.skip(method.name === 'cholesky' ? 'cholesky' : method.name.startsWith('symmetricEig') ? 'syev' : method.name === 'lu' ? 'lu' : 'qr', dtype);
      it.skipIf(why !== undefined)(skipTitle(`${method.name} (${dtype}): every hard matrix within ${method.limit} of its ratios, or refused by name`, why), async () => {
        const failures: string[] = [], refused: string[] = [];
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
          process.stdout.write(`sweep ${tb.label} ${dtype} ${method.name}: worst ${w}; refused ${refused.length}${refused.length > 0 ? ` (${refused.join(', ')})` : ''}\n`);
        }
        expect(failures).toEqual([]);
      }, 300_000);
    }
  }
});
