import {
  componentwiseRatio,
  defineCase,
  fillRandom,
  hostTensor,
  ops,
  prose,
  poisson2d,
  sddmmCost,
  sorCost,
  sparseDiagonal,
  sparsePattern,
  spmmCost,
  sweepOrder,
} from '@lowrank/core';
import { epsFor, get, put } from './io.ts';

/**
 * SDDMM, out[e] = α·U[rows[e], :]·V[cols[e], :]: the sampled entries of U·Vᵀ that alternating
 * minimization for matrix completion (S03) evaluates every half-step.
 */
export const sddmmCase = defineCase({
  id: 'primitives/sddmm',
  family: 'primitives',
  title: 'Sampled dense–dense product: the entries of α·U·Vᵀ on a sparse pattern',
  primitives: ['sddmm'],
  dtypes: ['f16', 'f32', 'f64'],
  verify: {
    golden: 'primitives/sddmm',
    reads: {
      params: { m: 'integer', n: 'integer', k: 'integer', alpha: 'number' },
      inputs: ['u', 'v', 'rows', 'cols'],
      outputs: ['out'],
      conventions:
        'out[e] = α·u[rows[e], :]·v[cols[e], :] with u m×k, v n×k; rows and cols are 0-based indices stored as float64',
    },
    thresholds: {
      relative: {
        value: 30,
        why: prose`
          LAPACK's LIN threshold; each entry is a dot product, |ô − o| ≤ γ_{k+2}·|α|·Σ_l|u_l v_l| gives a ratio ≤ 1
        `,
      },
    },
    async check(be, dtype, entry) {
      const { m, n, k, alpha } = entry.params as { m: number; n: number; k: number; alpha: number };
      const { u, v, rows, cols } = entry.inputs;
      const pattern = sparsePattern(m, n, rows.data, cols.data);
      const out = await get(
        be,
        await ops.sddmm(be, await put(be, dtype, u), await put(be, dtype, v), pattern, { alpha }),
      );
      const scale = Array.from(rows.data, (r, e) => {
        let s = 0;
        for (let l = 0; l < k; l++) s += Math.abs(u.data[r * k + l] * v.data[cols.data[e] * k + l]);
        return (k + 2) * Math.abs(alpha) * s;
      });
      return { relative: componentwiseRatio(out, entry.outputs.out.data, scale, epsFor(be, dtype)) };
    },
  },
  bench: {
    // An n×n matrix observed at 5% of its entries, factors of rank 32 (the AltMin setting of S03).
    params: (sizes) => (sizes ?? [1000, 4000]).map((n) => ({ n, k: 32, density: 0.05 })),
    cost: ({ n, k, density }, dtype) => sddmmCost(Math.round(density * n * n), k, dtype),
    async setup(be, dtype, { n, k, density }) {
      const nnz = Math.round(density * n * n);
      const draw = (stream: number) =>
        Array.from(fillRandom({ seed: 7, stream }, 'uniform', 'f64', nnz), (x) => Math.floor(x * n));
      const pattern = sparsePattern(n, n, draw(2), draw(3));
      const u = await be.upload(hostTensor(dtype, [n, k], fillRandom({ seed: 7, stream: 0 }, 'normal', 'f64', n * k)));
      const v = await be.upload(hostTensor(dtype, [n, k], fillRandom({ seed: 7, stream: 1 }, 'normal', 'f64', n * k)));
      const out = be.zeros(dtype, [nnz]);
      return {
        run: () => ops.sddmm(be, u, v, pattern, { out }),
        readback: () => be.download(out),
        dispose: () => {
          for (const t of [u, v, out]) be.dispose(t);
        },
      };
    },
  },
});

/**
 * SpMM, out = α·S·B with S sparse: the scatter side of alternating minimization (the gradient
 * P_Ω(residual)ᵀ·U through the transposed pattern).
 */
export const spmmCase = defineCase({
  id: 'primitives/spmm',
  family: 'primitives',
  title: 'Sparse times dense: α·S·B for S given by values on a sparse pattern',
  primitives: ['spmm'],
  dtypes: ['f16', 'f32', 'f64'],
  verify: {
    golden: 'primitives/spmm',
    reads: {
      params: { m: 'integer', n: 'integer', k: 'integer', alpha: 'number' },
      inputs: ['vals', 'b', 'rows', 'cols'],
      outputs: ['out'],
      conventions:
        'out = α·S·B with S m×n given as coordinates (rows, cols, vals; 0-based, stored as float64) and B n×k',
    },
    thresholds: {
      relative: {
        value: 30,
        why: prose`
          LAPACK's LIN threshold; out[i, l] is a sum over row i's entries, |ô − o| ≤ γ_{deg(i)+2}·|α|·Σ|s_e b_e| gives
          a ratio ≤ 1
        `,
      },
    },
    async check(be, dtype, entry) {
      const { m, n, k, alpha } = entry.params as { m: number; n: number; k: number; alpha: number };
      const { vals, b, rows, cols } = entry.inputs;
      const pattern = sparsePattern(m, n, rows.data, cols.data);
      const out = await get(
        be,
        await ops.spmm(be, pattern, await put(be, dtype, vals), await put(be, dtype, b), { alpha }),
      );
      const scale = new Float64Array(m * k);
      for (let i = 0; i < m; i++) {
        const degree = pattern.rowPtr[i + 1] - pattern.rowPtr[i];
        for (let l = 0; l < k; l++) {
          let s = 0;
          for (let t = pattern.rowPtr[i]; t < pattern.rowPtr[i + 1]; t++) {
            const e = pattern.rowOrder[t];
            s += Math.abs(vals.data[e] * b.data[cols.data[e] * k + l]);
          }
          scale[i * k + l] = (degree + 2) * Math.abs(alpha) * s;
        }
      }
      return { relative: componentwiseRatio(out, entry.outputs.out.data, scale, epsFor(be, dtype)) };
    },
  },
  bench: {
    // AltMin's SpMM (5% of an n×n matrix, k = 32), and SpMV (k = 1) on the 5-point Laplacian of an N×N grid
    // (n = N², 5 entries per row): the solvers' memory-bound product, read against the measured bandwidth.
    params: (sizes) => [
      ...(sizes ?? [1000, 4000]).map((n) => ({ n, k: 32, density: 0.05, grid: 0 })),
      ...(sizes === undefined ? [256, 1024] : sizes.slice(0, 1)).map((grid) => ({
        n: grid * grid,
        k: 1,
        density: 0,
        grid,
      })),
    ],
    cost: ({ n, k, density, grid }, dtype) =>
      spmmCost(grid > 0 ? poisson2d(grid).pattern.nnz : Math.round(density * n * n), n, k, dtype),
    async setup(be, dtype, { n, k, density, grid }) {
      const stencil = grid > 0 ? poisson2d(grid) : undefined;
      const nnz = stencil?.pattern.nnz ?? Math.round(density * n * n);
      const draw = (stream: number) =>
        Array.from(fillRandom({ seed: 8, stream }, 'uniform', 'f64', nnz), (x) => Math.floor(x * n));
      const pattern = stencil?.pattern ?? sparsePattern(n, n, draw(2), draw(3));
      const values = stencil?.vals ?? fillRandom({ seed: 8, stream: 0 }, 'normal', 'f64', nnz);
      const vals = await be.upload(hostTensor(dtype, [nnz], values));
      const b = await be.upload(hostTensor(dtype, [n, k], fillRandom({ seed: 8, stream: 1 }, 'normal', 'f64', n * k)));
      const out = be.zeros(dtype, [n, k]);
      return {
        run: () => ops.spmm(be, pattern, vals, b, { out }),
        readback: () => be.download(out),
        dispose: () => {
          for (const t of [vals, b, out]) be.dispose(t);
        },
      };
    },
  },
});

/**
 * SOR sweeps, x ← x + ω·D⁻¹(b − L·x_new − D·x − U·x_old) row by row in a sweep order (SSOR: then back):
 * the relaxation the solvers family tunes (S37), lexicographic and multicolor.
 */
export const sorCase = defineCase({
  id: 'primitives/sor',
  family: 'primitives',
  title: 'SOR and SSOR sweeps on a sparse system, in lexicographic and multicolor order',
  primitives: ['sor'],
  dtypes: ['f32', 'f64'],
  verify: {
    golden: 'primitives/sor',
    reads: {
      params: {
        n: 'integer',
        omega: 'number',
        sweeps: 'integer',
        symmetric: 'boolean',
        kind: 'string',
        classes: 'integer',
      },
      inputs: ['rows', 'cols', 'vals', 'b', 'x0', 'order', 'classPtr'],
      outputs: ['x'],
      conventions: prose`
        A n×n from coordinates (rows, cols, vals; repeats summed; 0-based indices stored as float64); x is x0 after
        the sweeps visiting rows in order (order a permutation, classPtr its classes of unconnected rows); kind says
        how the order was made: lexicographic (0…n−1) or multicolor (greedy colouring, as core's sweepOrder)
      `,
    },
    thresholds: {
      relative: {
        value: 30,
        why: prose`
          ‖x̂ − x‖∞ / (p·(deg + 2)·ε·max(‖x‖∞, ‖x₀‖∞, ‖D⁻¹b‖∞)), p the row updates per row (sweeps, twice for SSOR):
          each update is a (deg + 2)-term sum divided by a_ii, and a convergent sweep does not amplify earlier errors
        `,
      },
      order: {
        value: 0,
        why: "core's multicolor sweepOrder is the golden's colouring exactly (same greedy rule): 0 mismatched rows",
      },
    },
    async check(be, dtype, entry) {
      const { n, omega, sweeps, symmetric, kind } = entry.params as {
        n: number;
        omega: number;
        sweeps: number;
        symmetric: boolean;
        kind: 'lexicographic' | 'multicolor';
      };
      const { rows, cols, vals, b, x0, order, classPtr } = entry.inputs;
      const pattern = sparsePattern(n, n, rows.data, cols.data);
      const ours = sweepOrder(pattern, kind);
      const mismatched =
        ours.order.filter((i, t) => i !== order.data[t]).length +
        (ours.classPtr.length === classPtr.data.length ? 0 : 1);
      const golden = { kind, order: Int32Array.from(order.data), classPtr: Int32Array.from(classPtr.data) };
      const x = await put(be, dtype, x0);
      await ops.sor(be, pattern, await put(be, dtype, vals), await put(be, dtype, b), x, {
        omega,
        sweeps,
        symmetric,
        order: golden,
      });
      const got = await get(be, x);
      const diag = sparseDiagonal(pattern, vals.data);
      let degree = 0;
      for (let i = 0; i < n; i++) degree = Math.max(degree, pattern.rowPtr[i + 1] - pattern.rowPtr[i]);
      const inf = (v: ArrayLike<number>) => Math.max(0, ...Array.from(v, Math.abs));
      const size = Math.max(inf(entry.outputs.x.data), inf(x0.data), inf(Array.from(b.data, (v, i) => v / diag[i])));
      const passes = sweeps * (symmetric ? 2 : 1);
      let err = 0;
      for (let i = 0; i < n; i++) err = Math.max(err, Math.abs(got[i] - entry.outputs.x.data[i]));
      const bound = passes * (degree + 2) * epsFor(be, dtype) * size;
      return { relative: err === 0 ? 0 : err / bound, order: mismatched };
    },
  },
  bench: {
    // One SSOR sweep on the 5-point Laplacian of an N×N grid (N² unknowns), red–black ordered so every backend runs it.
    params: (sizes) => (sizes ?? [128, 512]).map((n) => ({ n })),
    cost: ({ n }, dtype) => sorCost(poisson2d(n).pattern.nnz, n * n, 1, true, dtype),
    async setup(be, dtype, { n }) {
      const a = poisson2d(n);
      const order = sweepOrder(a.pattern, 'multicolor');
      const vals = await be.upload(hostTensor(dtype, [a.pattern.nnz], a.vals));
      const b = await be.upload(hostTensor(dtype, [n * n], fillRandom({ seed: 9, stream: 0 }, 'normal', 'f64', n * n)));
      const x = be.zeros(dtype, [n * n]);
      return {
        run: () => ops.sor(be, a.pattern, vals, b, x, { omega: 1.5, sweeps: 1, symmetric: true, order }),
        readback: () => be.download(x),
        dispose: () => {
          for (const t of [vals, b, x]) be.dispose(t);
        },
      };
    },
  },
});
