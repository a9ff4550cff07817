import { BYTES_PER_ELEMENT, computeEps, defineCase, fillRandom, hostTensor, prose } from '@lowrank/core';
import { fisherRowImportance, fisherWeightedSvd } from './fwsvd.ts';
import { heterogeneousTeacher } from './fwsvd.fixtures.ts';
import { reconstructHost, svdTerms } from './low-rank-term.ts';
import { diffNorm } from '@lowrank/linalg';

/**
 * FWSVD (S43) against numpy/LAPACK (golden compress/fwsvd): the empirical Fisher's row importance, the
 * singular values of D·W₁, and the reconstruction errors of FWSVD and plain SVD per rank.
 */
export const fwsvdCase = defineCase({
  id: 'compress/fwsvd',
  family: 'compress',
  paper: 'S43',
  title: 'Fisher-weighted SVD of a ReLU layer: row importance, σ(D·W₁), reconstruction errors against plain SVD',
  primitives: ['gemm', 'unary', 'binary', 'reduce', 'qr', 'svd', 'syev'],
  dtypes: ['f32', 'f64'],
  verify: {
    golden: 'compress/fwsvd',
    reads: {
      params: { inputs: 'integer', hidden: 'integer', outputs: 'integer', samples: 'integer', ranks: 'number[]' },
      inputs: ['w1', 'w2', 'x', 'targets'],
      outputs: ['importance', 'sigma', 'recon_fw', 'recon_svd'],
      conventions: prose`
          importance the Fisher row importances; sigma singular values descending; recon_* one reconstruction error
          per rank
        `,
    },
    thresholds: {
      importance: { value: 30, why: "LAPACK's LIN threshold on max |Î − I| / (N·ε·max I): sums of N squared products" },
      singularValues: { value: 50, why: "LAPACK's SVD threshold on max |σ̂ − σ| / (n·ε·σ₁)" },
      reconstruction: {
        value: 30,
        why: prose`
          |ê − e| / (n·ε·κ(D)·‖W₁‖_F) for both methods and every rank: D⁻¹ rescales the factors by up to κ(D) = max
          d/min d
        `,
      },
    },
    async check(be, dtype, entry) {
      const { inputs, hidden, outputs, samples, ranks } = entry.params as {
        inputs: number;
        hidden: number;
        outputs: number;
        samples: number;
        ranks: number[];
      };
      const net = {
        inputs,
        hidden,
        outputs,
        w1: entry.inputs.w1.data as Float64Array,
        w2: entry.inputs.w2.data as Float64Array,
      };
      const eps = computeEps(be, dtype),
        out = entry.outputs;
      const release = be.track();
      try {
        const x = await be.upload(hostTensor(dtype, [samples, inputs], entry.inputs.x.data));
        const importance = await fisherRowImportance(be, dtype, net, x, entry.inputs.targets.data as Float64Array);
        const fw = await fisherWeightedSvd(be, dtype, net.w1, hidden, inputs, importance, ranks);
        const plain = await svdTerms(be, await be.upload(hostTensor(dtype, [hidden, inputs], net.w1)), ranks);
        const maxI = Math.max(...out.importance.data),
          d = Array.from(out.importance.data, Math.sqrt);
        const kappaD = Math.max(...d) / Math.min(...d),
          normW = Math.hypot(...net.w1);
        let importanceErr = 0,
          sigmaErr = 0,
          reconErr = 0;
        for (let i = 0; i < hidden; i++)
          importanceErr = Math.max(importanceErr, Math.abs(importance[i] - out.importance.data[i]));
        for (let i = 0; i < out.sigma.data.length; i++)
          sigmaErr = Math.max(sigmaErr, Math.abs(fw.sigma[i] - out.sigma.data[i]));
        for (let t = 0; t < ranks.length; t++) {
          reconErr = Math.max(
            reconErr,
            Math.abs(diffNorm(net.w1, reconstructHost(fw.terms[t])) - out.recon_fw.data[t]),
          );
          reconErr = Math.max(reconErr, Math.abs(diffNorm(net.w1, reconstructHost(plain[t])) - out.recon_svd.data[t]));
        }
        return {
          importance: importanceErr / (samples * eps * maxI),
          singularValues: sigmaErr / (inputs * eps * out.sigma.data[0]),
          reconstruction: reconErr / (inputs * eps * kappaD * normW),
        };
      } finally {
        release();
      }
    },
  },
  bench: {
    params: (sizes) =>
      (sizes ?? [128, 512]).map((hidden) => ({
        hidden,
        inputs: hidden / 2,
        outputs: 10,
        samples: 2000,
        r: Math.min(8, hidden / 4),
      })),
    // Fisher: forward 2·N·(in·h + h·out), backward 2·N·out·h, (Δ⊙Δ)ᵀ(X⊙X) 2·N·h·in; SVD of D·W₁ (h×in) with vectors, nominal 4h²·in + 8h·in² + 9in³.
    cost: ({ hidden: h, inputs: n, outputs: o, samples: s }, dtype) => ({
      flops: 2 * s * (n * h + h * o) + 2 * s * o * h + 2 * s * h * n + 4 * h * h * n + 8 * h * n * n + 9 * n ** 3,
      bytes: (2 * s * n + 3 * s * h + 2 * h * n) * BYTES_PER_ELEMENT[dtype],
    }),
    async setup(be, dtype, { hidden, inputs, outputs, samples, r }) {
      const net = heterogeneousTeacher(inputs, hidden, outputs, 0);
      const x = await be.upload(
        hostTensor(dtype, [samples, inputs], fillRandom({ seed: 0, stream: 82 }, 'normal', 'f64', samples * inputs)),
      );
      const targets = fillRandom({ seed: 0, stream: 83 }, 'normal', 'f64', samples * outputs) as Float64Array;
      let recon = NaN,
        best = NaN;
      return {
        async run() {
          const importance = await fisherRowImportance(be, dtype, net, x, targets);
          const { terms, sigma } = await fisherWeightedSvd(be, dtype, net.w1, hidden, inputs, importance, [r]);
          // The weighted error ‖D·(W − Ŵ)‖_F must equal the weighted tail Σ_{i>r} σ_i(D·W)² (Eckart–Young in the D-norm).
          const w = reconstructHost(terms[0]),
            d = Array.from(importance, Math.sqrt);
          recon = diffNorm(
            net.w1.map((v, i) => v * d[Math.floor(i / inputs)]),
            w.map((v, i) => v * d[Math.floor(i / inputs)]),
          );
          best = Math.sqrt(sigma.slice(r).reduce((a, v) => a + v * v, 0));
        },
        async accuracy() {
          return {
            metric: 'relative gap of ‖D(W − Ŵ)‖ to the weighted rank-r optimum',
            value: Math.abs(recon - best) / best,
          };
        },
        dispose: () => be.dispose(x),
      };
    },
  },
});
