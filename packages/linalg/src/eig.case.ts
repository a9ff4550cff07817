import {
  computeEps,
  defineCase,
  fillRandom,
  hostTensor,
  jacobiSvdCost,
  ops,
  prose,
  putAs,
  syevCost,
  type PrimitiveName,
} from '@lowrank/core';
import { freshOutputs } from './bench-output.ts';
import { EIG_METHODS, lanczos, symmetricEig, type EigMethod } from './eig.ts';
import { frobenius, matmul, orthogonalityError } from './host.ts';

/** LAPACK's threshold for its symmetric eigenproblem tests (TESTING/sep.in). */
const SEP_THRESHOLD = 60;
const eps = computeEps;
const put = putAs;

const EIG_CASES: Record<EigMethod, { id: string; title: string; primitives: PrimitiveName[] }> = {
  tridiagonal: {
    id: 'linalg/symmetricEig',
    title: 'Symmetric eigendecomposition (Householder tridiagonalization + QL or divide and conquer)',
    primitives: ['reduce', 'syev'],
  },
  jacobi: {
    id: 'linalg/symmetricEigJacobi',
    title: 'Symmetric eigendecomposition (Jacobi, through the SVD of the shifted matrix)',
    primitives: ['binary', 'reduce', 'svd'],
  },
};

function eighCase(method: EigMethod) {
  const { id, title, primitives } = EIG_CASES[method];
  return defineCase({
    id,
    family: 'linalg',
    title,
    primitives,
    dtypes: ['f32', 'f64'],
    verify: {
      golden: 'linalg/eigh',
      reads: {
        params: { n: 'integer' },
        inputs: ['a'],
        outputs: ['w'],
        conventions: prose`
            one folder serves both eigensolvers; w eigenvalues descending (dsyevd, reversed); only the lower triangle
            of a is read
          `,
      },
      thresholds: {
        reconstruction: {
          value: SEP_THRESHOLD,
          why: "LAPACK dsyt21 test 1: ‖A − U·Λ·Uᵀ‖ / (n·‖A‖·ε); LAPACK's sep.in threshold 60",
        },
        orthogonality: { value: SEP_THRESHOLD, why: 'LAPACK dsyt21 test 2: ‖I − UᵀU‖ / (n·ε); threshold 60' },
        values: {
          value: SEP_THRESHOLD,
          why: 'max |λ̂ᵢ − λᵢ| / (n·‖A‖·ε) against dsyevd: Weyl’s bound for a backward-stable method; threshold 60',
        },
      },
      async check(be, dtype, entry) {
        const { n } = entry.params as { n: number };
        const a = entry.inputs.a;
        const f = await symmetricEig(be, await put(be, dtype, a), { method });
        const u = Float64Array.from((await be.download(f.vectors)).data);
        const ul = u.map((x, i) => x * f.values[i % n]);
        const r = matmul(ul, n, n, u, n, n, false, true).map((x, i) => x - a.data[i]);
        const e = eps(be, dtype),
          an = frobenius(a.data),
          big = Math.max(n, 1);
        let worst = 0;
        f.values.forEach((v, i) => {
          worst = Math.max(worst, Math.abs(v - entry.outputs.w.data[i]));
        });
        return {
          reconstruction: an === 0 ? frobenius(r) : frobenius(r) / (big * an * e),
          orthogonality: orthogonalityError(u, n, n) / (big * e),
          values: an === 0 ? worst : worst / (big * an * e),
        };
      },
    },
    bench: {
      // Gram matrices of Gaussian ones, as the SVD's preconditioner and EoRA/LoRD/HOSVD form them.
      params: (sizes) => (sizes ?? [128, 512]).map((n) => ({ n })),
      cost: ({ n }, dtype) => (method === 'tridiagonal' ? syevCost(n, dtype) : jacobiSvdCost(n, n, dtype)),
      async setup(be, dtype, { n }) {
        const g = fillRandom({ seed: 12, stream: 0 }, 'normal', 'f64', n * n);
        const a = await be.upload(hostTensor(dtype, [n, n], matmul(g, n, n, g, n, n, true)));
        return freshOutputs(
          be,
          [a],
          () => symmetricEig(be, a, { method }),
          (f) => [f.vectors],
        );
      },
    },
  });
}

export const eighCases = EIG_METHODS.map(eighCase);

export const lanczosCase = defineCase({
  id: 'linalg/lanczos',
  family: 'linalg',
  title: 'Lanczos (full reorthogonalization) for the top-k eigenvalues of a symmetric operator',
  primitives: ['gemm', 'gemv', 'dot', 'axpy', 'scal', 'nrm2', 'reduce', 'random', 'syev'],
  dtypes: ['f32', 'f64'],
  verify: {
    golden: 'linalg/lanczos',
    reads: {
      params: { n: 'integer', r: 'integer', k: 'integer' },
      inputs: ['g'],
      outputs: ['w'],
      conventions: 'g is n×r; w the k largest eigenvalues of G·Gᵀ/n, descending',
    },
    thresholds: {
      values: {
        value: SEP_THRESHOLD,
        why: prose`
          max |λ̂ᵢ − λᵢ| / (n·λ₁·ε) for the top k against dsyevd; with full reorthogonalization and 2k + 20 steps the
          Ritz values of a gapped spectrum converge to working accuracy; threshold 60 as sep.in
        `,
      },
    },
    async check(be, dtype, entry) {
      const { n, r, k } = entry.params as { n: number; r: number; k: number };
      // H = G with column j divided by 1 + j (as the golden generator does, division for division).
      const h = Float64Array.from(entry.inputs.g.data, (x, i) => x / (1 + (i % r)));
      const g = await put(be, dtype, { dtype: 'f64', shape: [n, r], data: h });
      // The operator x ↦ G·(Gᵀ·x)/n, never formed.
      const matvec = async (x: Parameters<typeof ops.gemv>[2]) => {
        const y = await ops.gemv(be, g, x, { trans: true });
        const z = await ops.gemv(be, g, y, { alpha: 1 / n });
        be.dispose(y);
        return z;
      };
      const w = await lanczos(be, matvec, n, k, dtype as 'f32' | 'f64', { seed: 3 });
      const golden = entry.outputs.w.data;
      let worst = 0;
      for (let i = 0; i < k; i++) worst = Math.max(worst, Math.abs(w[i] - golden[i]));
      return { values: worst / (n * golden[0] * eps(be, dtype)) };
    },
  },
});
