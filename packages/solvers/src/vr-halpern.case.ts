import { computeEps, defineCase, prose, scaledRatio } from '@lowrank/core';
import { diffNorm, frobenius } from '@lowrank/linalg';
import { sharedDirectionSum } from './vr-halpern.fixtures.ts';
import { LinearFiniteSum, halpern, vrHalpern } from './vr-halpern.ts';

export const vrHalpernCase = defineCase({
  id: 'solvers/vr-halpern',
  family: 'solvers',
  paper: 'S17',
  title: "S17's operator constant, deterministic Halpern residuals and variance-reduced Halpern iterates",
  primitives: ['gemm', 'gemv', 'axpy', 'syev', 'spmm'],
  dtypes: ['f32', 'f64'],
  verify: {
    golden: 'solvers/vr-halpern',
    reads: {
      params: {
        lipschitz: 'number',
        eta: 'number',
        vrEta: 'number',
        p: 'number',
        batch: 'integer',
        seed: 'integer',
        iterations: 'integer',
        vrIterations: 'integer',
      },
      inputs: ['a', 'b', 'u0'],
      outputs: ['operatorLipschitz', 'residuals', 'vrU', 'vrEstimator', 'uStar'],
      conventions: prose`
        F(u) = (L/n)·Aᵀ(Au − b), L = lipschitz; operatorLipschitz = L·λ_max(AᵀA)/n; residuals[k] = ‖F(u_k)‖ of the
        deterministic Halpern iteration from u0 with step eta, k = 0 … iterations; vrU and vrEstimator are u and F̃
        after vrIterations of the variance-reduced iteration (step vrEta, probability p, batch size batch, the
        seed's stream 0 read k·(1 + batch) onwards at iteration k); uStar, the zero of F, by numpy.linalg.lstsq
      `,
    },
    thresholds: {
      operatorLipschitz: {
        value: 30,
        why: "LAPACK's EIG threshold on |L̂_F − L_F| / (d·ε·L_F): a Gram product and a backward-stable symmetric eigensolver",
      },
      residuals: {
        value: 30,
        why: prose`
          |r̂_k − r_k| / ((k + 1)·√d·(n + d)·ε·L·s) with s = ‖u₀‖ + 2‖u*‖ + ‖b‖_∞ ≥ max‖u_j‖ + ‖b‖_∞
          (Halpern's iterates stay within ‖u₀ − u*‖ of u*) and ηL_F ≤ 1: each F(u) is two
          sums of at most n + d products of unit rows (error ≤ √d·(n + d)·ε·L·s), and u ↦ u − ηF(u) is
          nonexpansive, so the errors of k steps add
        `,
      },
      iterates: {
        value: 30,
        why: prose`
          ‖û − u‖ / (K·√d·(n + d)·ε·η·L·s) and ‖F̂ − F̃‖ / (K·√d·(n + d)·ε·L·s) after K variance-reduced steps: the
          same per-step bound, the estimator's batch terms summing no more than a full evaluation's
        `,
      },
    },
    async check(be, dtype, entry) {
      const [n, d] = entry.inputs.a.shape;
      const p = entry.params as Record<string, number>;
      const eps = computeEps(be, dtype);
      const op = await LinearFiniteSum.create(
        be,
        dtype,
        Float64Array.from(entry.inputs.a.data),
        Float64Array.from(entry.inputs.b.data),
        n,
        d,
        p.lipschitz,
      );
      try {
        const o = entry.outputs;
        const lf = o.operatorLipschitz.data[0];
        const operatorLipschitz = scaledRatio(Math.abs((await op.operatorLipschitz()) - lf), d * eps * lf);
        const u0 = Float64Array.from(entry.inputs.u0.data);
        const bInf = Math.max(...Array.from(entry.inputs.b.data, Math.abs));
        const s = frobenius(u0) + 2 * frobenius(o.uStar.data) + bInf;
        const unit = Math.sqrt(d) * (n + d) * eps * p.lipschitz * s;
        const det = await halpern(op, {
          eta: p.eta,
          tolerance: 1e-300,
          maxCalls: Number.MAX_SAFE_INTEGER,
          maxIterations: p.iterations,
          u0,
        });
        const residuals = Math.max(
          ...det.residuals.map(({ k, norm }) => scaledRatio(Math.abs(norm - o.residuals.data[k]), (k + 1) * unit)),
        );
        const vr = await vrHalpern(op, {
          eta: p.vrEta,
          tolerance: 1e-300,
          maxCalls: Number.MAX_SAFE_INTEGER,
          maxIterations: p.vrIterations,
          p: p.p,
          batch: p.batch,
          seed: p.seed,
          u0,
        });
        const K = p.vrIterations;
        const iterates = Math.max(
          scaledRatio(diffNorm(vr.u, o.vrU.data), K * unit * p.vrEta),
          scaledRatio(diffNorm(vr.estimator, o.vrEstimator.data), K * unit),
        );
        return { operatorLipschitz, residuals, iterates };
      } finally {
        op.dispose();
      }
    },
  },
  bench: {
    // One full evaluation (2 GEMVs over A) and one batch step (a √n-row SpMM gather and 2 GEMVs) at the claim's sizes.
    params: (sizes) => (sizes ?? [400, 1600]).map((n) => ({ n, d: 20 })),
    cost: ({ n, d }, dtype) => {
      const b = Math.ceil(Math.sqrt(n));
      return { flops: 4 * n * d + 6 * b * d, bytes: (n + 2 * b) * d * (dtype === 'f64' ? 8 : 4) };
    },
    async setup(be, dtype, { n, d }) {
      const { a, b } = sharedDirectionSum(n, d, 0.8, 17);
      const op = await LinearFiniteSum.create(be, dtype, a, b, n, d, 1);
      const u = new Float64Array(d).fill(0.5);
      const v = new Float64Array(d).fill(0.25);
      const batch = Array.from({ length: Math.ceil(Math.sqrt(n)) }, (_, j) => (j * 7919) % n);
      return {
        run: async () => {
          await op.full(u);
          await op.batchDifference(batch, u, v);
        },
        dispose: () => op.dispose(),
      };
    },
  },
});
