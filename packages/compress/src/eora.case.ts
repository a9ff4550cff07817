import { BYTES_PER_ELEMENT, computeEps, defineCase, fillRandom, hostTensor, mismatches, prose } from '@lowrank/core';
import { COMPRESSIONS } from './eora.fixtures.ts';
import { activationEigenspace, eoraCompensation, outputError } from './eora.ts';
import { svdTerms } from './low-rank-term.ts';
import { anisotropicSamples } from '@lowrank/linalg';

/**
 * EoRA (S45) against numpy/LAPACK (golden compress/eora): the compressed weights exactly, the
 * activation eigenvalues, EoRA's output error against the optimum from dgesdd's σ(ΔW·X) and plain SVD
 * compensation's output error, for each compression and rank. Benchmarked as the whole compensation of
 * an n/2×n layer's 3-bit error from N = 4n calibration samples at rank 16 (eigendecomposition included).
 */
export const eoraCase = defineCase({
  id: 'compress/eora',
  family: 'compress',
  paper: 'S45',
  title:
    'EoRA compensation of 3-bit / 2:4 / both compression errors in the activation eigenspace, and SVD compensation',
  primitives: ['gemm', 'nrm2', 'binary', 'reduce', 'transpose', 'random', 'qr', 'svd', 'syev'],
  dtypes: ['f32', 'f64'],
  verify: {
    golden: 'compress/eora',
    reads: {
      params: { m: 'integer', n: 'integer', samples: 'integer', ranks: 'number[]' },
      inputs: ['w', 'x'],
      outputs: [
        'lambda',
        ...COMPRESSIONS.map((c) => c.golden).flatMap((c) => [`${c}_wc`, `${c}_sigma`, `${c}_err_eora`, `${c}_err_svd`]),
      ],
      conventions: prose`
          lambda the eigenvalues of X·Xᵀ descending; per compression (quant3, prune24, both): the compressed W, the
          singular values of ΔW, and one output error per rank
        `,
    },
    thresholds: {
      compressed: {
        value: 0,
        why: prose`
          quantization (round half to even) and 2:4 pruning are exact rules on the same f64 values: no entry may
          differ
        `,
      },
      eigenvalues: { value: 60, why: "LAPACK's SEP threshold on max |λ̂ − λ| / (n·ε·λ_max)" },
      eoraError: {
        value: 30,
        why: prose`
          LAPACK's LIN threshold on |ê − e| / ((n + N)·ε·√κ(XXᵀ)·‖ΔW·X‖_F): A carries Λ^{−1/2}, which scales
          eigenvector errors by up to √κ
        `,
      },
      svdError: { value: 30, why: '|ê − e| / ((n + N)·ε·‖ΔW·X‖_F): a truncated SVD and two GEMMs' },
    },
    async check(be, dtype, entry) {
      const { m, n, samples, ranks } = entry.params as { m: number; n: number; samples: number; ranks: number[] };
      const w = entry.inputs.w.data as Float64Array;
      const out = entry.outputs;
      const eps = computeEps(be, dtype);
      const release = be.track();
      try {
        const x = await be.upload(hostTensor(dtype, [n, samples], entry.inputs.x.data));
        const space = await activationEigenspace(be, x);
        const lambda = out.lambda.data;
        const metrics = { compressed: 0, eigenvalues: 0, eoraError: 0, svdError: 0 };
        for (let i = 0; i < n; i++)
          metrics.eigenvalues = Math.max(
            metrics.eigenvalues,
            Math.abs(space.lambda[i] - lambda[i]) / (n * eps * lambda[0]),
          );
        const sqrtKappa = Math.sqrt(lambda[0] / lambda[n - 1]);
        for (const { golden: name, compress } of COMPRESSIONS) {
          const wc = compress(w, m, n);
          metrics.compressed += mismatches(wc, out[`${name}_wc`].data);
          const dw = await be.upload(
            hostTensor(
              dtype,
              [m, n],
              w.map((v, i) => v - wc[i]),
            ),
          );
          const scale = (n + samples) * eps * Math.hypot(...out[`${name}_sigma`].data);
          const eora = await eoraCompensation(be, dw, space, ranks);
          const plain = await svdTerms(be, dw, ranks);
          for (let t = 0; t < ranks.length; t++) {
            metrics.eoraError = Math.max(
              metrics.eoraError,
              Math.abs((await outputError(be, dw, eora.terms[t], x)) - out[`${name}_err_eora`].data[t]) /
                (scale * sqrtKappa),
            );
            metrics.svdError = Math.max(
              metrics.svdError,
              Math.abs((await outputError(be, dw, plain[t], x)) - out[`${name}_err_svd`].data[t]) / scale,
            );
          }
        }
        return metrics;
      } finally {
        release();
      }
    },
  },
  bench: {
    params: (sizes) => (sizes ?? [128, 256]).map((n) => ({ m: n / 2, n, samples: 4 * n, r: Math.min(16, n / 4) })),
    // Nominal LAPACK counts: X·Xᵀ 2n²N, symmetric eigendecomposition with vectors 9n³, ΔW·Q' 2mn², SVD of an m×n matrix with vectors 4m²n + 8mn² + 9m³.
    cost: ({ m, n, samples }, dtype) => ({
      flops: 2 * n * n * samples + 9 * n ** 3 + 2 * m * n * n + 4 * m * m * n + 8 * m * n * n + 9 * m ** 3,
      bytes: (n * samples + 3 * n * n + 3 * m * n) * BYTES_PER_ELEMENT[dtype],
    }),
    async setup(be, dtype, { m, n, samples, r }) {
      const w = fillRandom({ seed: 0, stream: 80 }, 'normal', 'f64', m * n) as Float64Array;
      const wc = COMPRESSIONS[0].compress(w, m, n);
      const dw = await be.upload(
        hostTensor(
          dtype,
          [m, n],
          w.map((v, i) => v - wc[i]),
        ),
      );
      const x = await anisotropicSamples(be, dtype, n, samples, -2, 0, 0, 81);
      let err = NaN,
        optimum = NaN;
      return {
        async run() {
          const { terms, sigma } = await eoraCompensation(be, dw, await activationEigenspace(be, x), [r]);
          err = await outputError(be, dw, terms[0], x);
          let tail = 0;
          for (let i = r; i < sigma.length; i++) tail += sigma[i] ** 2;
          optimum = Math.sqrt(tail);
        },
        async accuracy() {
          return {
            metric: 'relative gap of ‖(ΔW − BA)X‖ to the rank-r optimum',
            value: Math.abs(err - optimum) / optimum,
          };
        },
        dispose() {
          be.dispose(dw);
          be.dispose(x);
        },
      };
    },
  },
});
