import { computeEps, defineCase, prose, scaledRatio } from '@lowrank/core';
import { diffNorm, frobenius } from '@lowrank/linalg';
import { wlsClients } from './admm-fl.fixtures.ts';
import { ADMM_VARIANTS, FederatedWls } from './admm-fl.ts';

export const admmFlCase = defineCase({
  id: 'solvers/admm-fl',
  family: 'solvers',
  paper: 'S32',
  title: "S32's WLS solution and the server's model each round under four ADMM variants over noisy links",
  primitives: ['batchedGemm', 'cholesky', 'trsm', 'axpy'],
  dtypes: ['f32', 'f64'],
  verify: {
    golden: 'solvers/admm-fl',
    reads: {
      params: {
        clients: 'integer',
        samples: 'integer',
        d: 'integer',
        scheduled: 'integer',
        rho: 'number',
        sigma2: 'number',
        seed: 'integer',
        rounds: 'integer',
        clientCondition: 'number',
        sumCondition: 'number',
      },
      inputs: ['x', 'phi', 'y'],
      outputs: ['wls', ...ADMM_VARIANTS.map((v) => `models_${v}`)],
      conventions: prose`
        x (clients·samples·d), phi and y (clients·samples) client-major; wls = argmin Σ_k (y_k − X_k w)ᵀΦ_k(y_k −
        X_k w) by lstsq; models_<variant> is the server's z after each round (rounds × d) with the schedule from
        stream 10 and the noise from stream 11 of the seed, as admm-fl.ts describes; clientCondition = max_k
        κ₂(A_k + ρI), sumCondition = κ₂(Σ_k A_k)
      `,
    },
    thresholds: {
      wls: {
        value: 30,
        why: prose`
          ‖ŵ − w*‖ / ((n + d)·κ₂(ΣA_k)·ε·‖w*‖): the normal equations formed by GEMM (relative error ≤ n·ε in each
          A_k, b_k) and solved by Cholesky (backward stable), so the forward error is κ times the backward one
        `,
      },
      models: {
        value: 30,
        why: prose`
          max_t ‖ẑ_t − z_t‖ / ((t + 1)·(n + d)·κ₂(A_k + ρI)·ε·s), s = ‖w*‖ + max_t ‖z_t‖: each round's client step is
          a solve with A_k + ρI (forward error κ·ε relative, the operator formed once by Cholesky) followed by sums of
          d terms, and the iteration's errors at most add from round to round
        `,
      },
    },
    async check(be, dtype, entry) {
      const p = entry.params as Record<string, number>;
      const eps = computeEps(be, dtype);
      const problem = await FederatedWls.create(
        be,
        dtype,
        {
          clients: p.clients,
          samples: p.samples,
          d: p.d,
          x: Float64Array.from(entry.inputs.x.data),
          phi: Float64Array.from(entry.inputs.phi.data),
          y: Float64Array.from(entry.inputs.y.data),
        },
        p.rho,
      );
      const o = entry.outputs;
      const wStar = frobenius(o.wls.data);
      const wls = scaledRatio(diffNorm(problem.wls, o.wls.data), (p.samples + p.d) * p.sumCondition * eps * wStar);
      const runs = await problem.simulate({
        rounds: p.rounds,
        scheduled: p.scheduled,
        sigma2: p.sigma2,
        seed: p.seed,
        variants: ADMM_VARIANTS,
      });
      let models = 0;
      for (const run of runs) {
        const want = o[`models_${run.variant}`].data;
        let s = 0;
        for (let t = 0; t < p.rounds; t++) s = Math.max(s, frobenius(want.slice(t * p.d, (t + 1) * p.d)));
        const unit = (p.samples + p.d) * p.clientCondition * eps * (wStar + s);
        for (let t = 0; t < p.rounds; t++) {
          const got = run.models.subarray(t * p.d, (t + 1) * p.d);
          models = Math.max(models, scaledRatio(diffNorm(got, want.slice(t * p.d, (t + 1) * p.d)), (t + 1) * unit));
        }
      }
      return { wls, models };
    },
  },
  bench: {
    // Setting up the clients' operators and 100 rounds of the four variants (one batched GEMM a round) at the claim's sizes.
    params: (sizes) => (sizes ?? [50]).map((clients) => ({ clients, d: 10 })),
    cost: ({ clients, d }, dtype) => {
      const w = 2 * d + 1;
      return {
        flops: 100 * 4 * clients * 2 * (2 * d) * w,
        bytes: 100 * 4 * clients * (2 * d * w + w + 2 * d) * (dtype === 'f64' ? 8 : 4),
      };
    },
    async setup(be, dtype, { clients, d }) {
      const problem = await FederatedWls.create(be, dtype, wlsClients(clients, 20, d, 32), 1);
      return {
        run: async () => {
          await problem.simulate({
            rounds: 100,
            scheduled: Math.max(1, Math.floor(clients / 5)),
            sigma2: 1e-2,
            seed: 32,
            variants: ADMM_VARIANTS,
          });
        },
        dispose: () => {},
      };
    },
  },
});
