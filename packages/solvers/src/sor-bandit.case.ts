import { defineCase, poisson2d, prose } from '@lowrank/core';
import { SorSystem } from './sor-bandit.ts';

export const sorIterationsCase = defineCase({
  id: 'solvers/sor-iterations',
  family: 'solvers',
  paper: 'S37',
  title: "S37's cost of a relaxation parameter: SOR iterations to a relative residual on shifted Laplacians",
  primitives: ['sor', 'spmm', 'axpy', 'nrm2'],
  dtypes: ['f64'],
  verify: {
    golden: 'solvers/sor-iterations',
    reads: {
      params: { grid: 'integer', shift: 'number', omega: 'number', tol: 'number' },
      inputs: ['b'],
      outputs: ['iterations'],
      conventions: prose`
        A = poisson2d(grid, shift) (the 5-point Laplacian of a grid×grid square plus shift·I, natural ordering);
        iterations = the first k with ‖b − A·x_k‖/‖b‖ < tol, x_0 = 0, x_k from lexicographic SOR with ω (the
        authors' sor.m: M = D/ω + tril(A, −1)), capped at 10000
      `,
    },
    thresholds: {
      iterations: {
        value: 0,
        why: prose`
          an integer read off a residual falling through 1e-8 or 1e-4, which the two f64 computations (row sweeps
          here, triangular solves in the golden) reach within ~1e-15 of each other: the counts agree exactly
        `,
      },
    },
    async check(be, dtype, entry) {
      const { grid, shift, omega, tol } = entry.params as { grid: number; shift: number; omega: number; tol: number };
      const system = await SorSystem.create(be, dtype, poisson2d(grid, shift));
      try {
        const k = await system.iterations(entry.inputs.b.data, omega, tol);
        return { iterations: Math.abs(k - entry.outputs.iterations.data[0]) };
      } finally {
        system.dispose();
      }
    },
  },
  bench: {
    // One instance's cost at the paper's size (N = 10, c = 0, ω = 1.5: 52 iterations) and on a 64×64 grid.
    params: (sizes) => (sizes ?? [10, 64]).map((grid) => ({ grid })),
    cost: ({ grid }) => ({ flops: 52 * 14 * grid * grid, bytes: 52 * 80 * grid * grid }),
    async setup(be, dtype, { grid }) {
      const system = await SorSystem.create(be, dtype, poisson2d(grid, 0));
      const b = new Float64Array(grid * grid).fill(1);
      return { run: () => system.iterations(b, 1.5, 1e-8), dispose: () => system.dispose() };
    },
  },
});
