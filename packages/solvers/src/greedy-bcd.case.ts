import { computeEps, defineCase, prose, scaledRatio } from '@lowrank/core';
import { diffNorm, frobenius } from '@lowrank/linalg';
import { scaledLeastSquares } from './greedy-bcd.fixtures.ts';
import { LeastSquaresBcd, type BcdRule, type BcdUpdate } from './greedy-bcd.ts';

/** The (rule, update) pairs the golden holds: each rule with the update it is derived for, GS and cyclic with Lipschitz. */
const RUNS: ReadonlyArray<readonly [BcdRule, BcdUpdate]> = [
  ['cyclic', 'lipschitz'],
  ['gs', 'lipschitz'],
  ['gsl', 'lipschitz'],
  ['gsd', 'diagonal'],
  ['gsq', 'matrix'],
  ['gs', 'matrix'],
];

export const greedyBcdCase = defineCase({
  id: 'solvers/greedy-bcd',
  family: 'solvers',
  paper: 'S28',
  title: "S28's block curvature, least-squares solution and the first iterations of each greedy BCD rule",
  primitives: ['gemm', 'gemv', 'axpy', 'nrm2', 'syev', 'qr', 'trsm'],
  dtypes: ['f32', 'f64'],
  verify: {
    golden: 'solvers/greedy-bcd',
    reads: {
      params: { blockSize: 'integer', iterations: 'integer', cond: 'number', normA: 'number', residual: 'number' },
      inputs: ['a', 'b'],
      outputs: ['lipschitz', 'xStar', ...RUNS.flatMap(([r, u]) => [`${r}-${u}-blocks`, `${r}-${u}-x`])],
      conventions: prose`
        f = ½‖Ax − b‖², blocks of blockSize consecutive coordinates; lipschitz[k] = λ_max(A_bᵀA_b); xStar by
        numpy.linalg.lstsq; <rule>-<update>-blocks are the 0-based blocks chosen in the first iterations from x = 0
        and <rule>-<update>-x the iterate after them; cond = κ₂(A), normA = ‖A‖₂, residual = ‖Ax* − b‖
      `,
    },
    thresholds: {
      lipschitz: {
        value: 30,
        why: "LAPACK's EIG threshold on |L̂ − L| / (s·ε·L): the Gram product and a symmetric eigensolver are backward stable",
      },
      solution: {
        value: 30,
        why: prose`
          LAPACK's LIN threshold on ‖x̂ − x‖ / (max(n, d)·ε·(κ + κ²·‖r‖/(‖A‖‖x‖))·‖x‖): the least-squares forward
          error bound (Higham, Thm 20.1)
        `,
      },
      iterates: {
        value: 30,
        why: prose`
          ‖x̂ − x‖ / (t·(n + κ(A))·ε·‖x‖) after t iterations: each step reads g = Aᵀ(Ax − b), a sum of n products
          per entry, and moves one block by a backward-stable step whose error is at most κ(A)·ε relative
        `,
      },
      selection: {
        value: 0,
        why: 'the rules choose the golden blocks exactly (its scores differ far beyond rounding): 0 mismatches',
      },
    },
    async check(be, dtype, entry) {
      const [n, d] = entry.inputs.a.shape;
      const { blockSize, iterations, cond, normA, residual } = entry.params as Record<string, number>;
      const bcd = await LeastSquaresBcd.create(
        be,
        dtype,
        Float64Array.from(entry.inputs.a.data),
        Float64Array.from(entry.inputs.b.data),
        n,
        d,
        blockSize,
      );
      try {
        const eps = computeEps(be, dtype);
        const o = entry.outputs;
        const lipschitz = Math.max(
          ...bcd.blocks.map((blk, k) =>
            scaledRatio(Math.abs(blk.lipschitz - o.lipschitz.data[k]), blockSize * eps * o.lipschitz.data[k]),
          ),
        );
        const star = await bcd.solution();
        const xNorm = frobenius(o.xStar.data);
        const solution = scaledRatio(
          diffNorm(star.x, o.xStar.data),
          Math.max(n, d) * eps * (cond + (cond * cond * residual) / (normA * xNorm)) * xNorm,
        );
        let iterates = 0,
          selection = 0;
        for (const [rule, update] of RUNS) {
          bcd.x = new Float64Array(d);
          const chosen: number[] = [];
          for (let t = 0; t < iterations; t++) chosen.push((await bcd.step(rule, update)).block);
          const golden = o[`${rule}-${update}-blocks`].data;
          selection += chosen.filter((k, t) => k !== golden[t]).length;
          const x = o[`${rule}-${update}-x`].data;
          iterates = Math.max(iterates, scaledRatio(diffNorm(bcd.x, x), iterations * (n + cond) * eps * frobenius(x)));
        }
        return { lipschitz, solution, iterates, selection };
      } finally {
        bcd.dispose();
      }
    },
  },
  bench: {
    // One iteration at the claim's size and at 4× it: two GEMVs and the rule's scores over the blocks.
    params: (sizes) =>
      (sizes ?? [1000, 4000]).map((n) => ({ n, d: 5 * Math.max(1, Math.round(n / 50)), blockSize: 5 })),
    cost: ({ n, d }, dtype) => ({ flops: 4 * n * d, bytes: n * d * (dtype === 'f64' ? 8 : 4) * 2 }),
    async setup(be, dtype, { n, d, blockSize }) {
      const { a, b } = scaledLeastSquares(n, d, 33);
      const bcd = await LeastSquaresBcd.create(be, dtype, a, b, n, d, blockSize);
      return { run: () => bcd.step('gsl', 'lipschitz'), dispose: () => bcd.dispose() };
    },
  },
});
