import { computeEps, defineCase, prose, scaledRatio } from '@lowrank/core';
import { diffNorm, frobenius } from '@lowrank/linalg';
import { sparseRegression } from './l1-bcd.fixtures.ts';
import { NonnegativeL1Bcd, type L1Update } from './l1-bcd.ts';

const OUTPUT: Record<L1Update, string> = { lipschitz: 'lipschitz', 'two-metric': 'twoMetric', exact: 'exact' };

export const l1BcdCase = defineCase({
  id: 'solvers/l1-bcd',
  family: 'solvers',
  paper: 'S28',
  title: "S28 (c)'s GSQ block, one update of each kind and x* on non-negative ℓ₁ least squares",
  primitives: ['gemv', 'axpy', 'nrm2', 'gemm', 'spmm', 'syev'],
  dtypes: ['f32', 'f64'],
  verify: {
    golden: 'solvers/l1-bcd',
    reads: {
      params: { lambda: 'number', k: 'integer', condBlock: 'number', cond: 'number' },
      inputs: ['a', 'b', 'x'],
      outputs: ['block', 'lipschitz', 'twoMetric', 'exact', 'xStar'],
      conventions: prose`
        F(x) = ½‖Ax − b‖² + λΣx, x ≥ 0; block is the 0/1 membership of the GSQ-NN block of size k at x; lipschitz,
        twoMetric and exact are x_b after one update of that kind from x (block order); xStar minimizes F;
        condBlock = κ₂(A_b), cond = κ₂(A)
      `,
    },
    thresholds: {
      selection: { value: 0, why: 'the GSQ scores differ far beyond rounding: 0 mismatched memberships' },
      update: {
        value: 30,
        why: prose`
          ‖x̂_b − x_b‖ / ((n + k)·ε·κ₂(A_b)²·(‖x_b‖ + ‖x_b⁰‖)): each update solves with H_b = A_bᵀA_b (or a principal
          submatrix, whose condition is at most κ₂(A_b)²) from a gradient of n-term sums
        `,
      },
      solution: {
        value: 30,
        why: '‖x̂* − x*‖ / ((n + p)·ε·κ₂(A)²·‖x*‖): one exact non-negative QP with H = AᵀA',
      },
    },
    async check(be, dtype, entry) {
      const [n, p] = entry.inputs.a.shape;
      const { lambda, k, condBlock, cond } = entry.params as Record<string, number>;
      const eps = computeEps(be, dtype);
      const bcd = await NonnegativeL1Bcd.create(
        be,
        dtype,
        Float64Array.from(entry.inputs.a.data),
        Float64Array.from(entry.inputs.b.data),
        n,
        p,
        lambda,
      );
      try {
        const x0 = Float64Array.from(entry.inputs.x.data);
        const o = entry.outputs;
        bcd.x = Float64Array.from(x0);
        const block = bcd.select((await bcd.objective()).gradient, k);
        const member = new Set(block);
        let selection = 0;
        for (let j = 0; j < p; j++) selection += Number(member.has(j) !== (o.block.data[j] === 1));
        const xb0 = block.map((j) => x0[j]);
        let update = 0;
        for (const u of ['lipschitz', 'two-metric', 'exact'] as const) {
          bcd.x = Float64Array.from(x0);
          await bcd.step(u, k);
          const golden = o[OUTPUT[u]].data;
          const got = block.map((j) => bcd.x[j]);
          update = Math.max(
            update,
            scaledRatio(diffNorm(got, golden), (n + k) * eps * condBlock ** 2 * (frobenius(golden) + frobenius(xb0))),
          );
        }
        bcd.x = new Float64Array(p);
        await bcd.step('exact', p);
        const solution = scaledRatio(
          diffNorm(bcd.x, o.xStar.data),
          (n + p) * eps * cond ** 2 * frobenius(o.xStar.data),
        );
        return { selection, update, solution };
      } finally {
        bcd.dispose();
      }
    },
  },
  bench: {
    // One GSQ iteration with the exact update at the claim's size and at 2×: two GEMVs over A, a k×k block QP.
    params: (sizes) => (sizes ?? [200, 400]).map((n) => ({ n, p: Math.round(2.5 * n), k: Math.round(n / 2) })),
    cost: ({ n, p, k }, dtype) => ({ flops: 4 * n * p + 2 * k * k * n, bytes: n * p * (dtype === 'f64' ? 8 : 4) * 2 }),
    async setup(be, dtype, { n, p, k }) {
      const { a, b, lambda } = sparseRegression(n, p, 0.05, 28);
      const bcd = await NonnegativeL1Bcd.create(be, dtype, a, b, n, p, lambda);
      return { run: () => bcd.step('exact', k), dispose: () => bcd.dispose() };
    },
  },
});
