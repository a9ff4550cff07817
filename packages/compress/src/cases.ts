import { BYTES_PER_ELEMENT, computeEps, defineCase, errorOverLargest, fillRandom, hostTensor, mismatches, ops } from '@lowrank/core';
import { COMPRESSIONS } from './eora-claims.ts';
import { activationEigenspace, eoraCompensation, outputError } from './eora.ts';
import { fisherRowImportance, fisherWeightedSvd } from './fwsvd.ts';
import { heterogeneousTeacher } from './fwsvd-claims.ts';
import { reconstructHost, svdTerms } from './low-rank-term.ts';
import { anisotropicSamples, diffNorm } from '@lowrank/linalg';

/** The golden's names of the compressions, in COMPRESSIONS' order. */
const GOLDEN_NAMES = ['quant3', 'prune24', 'both'];

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
  title: 'EoRA compensation of 3-bit / 2:4 / both compression errors in the activation eigenspace, and SVD compensation',
  primitives: ['gemm', 'nrm2', 'binary', 'reduce', 'transpose', 'random', 'qr', 'svd', 'syev'],
  dtypes: ['f32', 'f64'],
  verify: {
    golden: 'compress/eora',
    reads: {
      params: { m: 'integer', n: 'integer', samples: 'integer', ranks: 'number[]' },
      inputs: ['w', 'x'],
      outputs: ['lambda', ...GOLDEN_NAMES.flatMap((c) => [`${c}_wc`, `${c}_sigma`, `${c}_err_eora`, `${c}_err_svd`])],
      conventions: 'lambda the eigenvalues of X·Xᵀ descending; per compression (quant3, prune24, both): the compressed W, the singular values of ΔW, and one output error per rank',
    },
    thresholds: {
      compressed: { value: 0, why: 'quantization (round half to even) and 2:4 pruning are exact rules on the same f64 values: no entry may differ' },
      eigenvalues: { value: 60, why: "LAPACK's SEP threshold on max |λ̂ − λ| / (n·ε·λ_max)" },
      eoraError: { value: 30, why: "LAPACK's LIN threshold on |ê − e| / ((n + N)·ε·√κ(XXᵀ)·‖ΔW·X‖_F): A carries Λ^{−1/2}, which scales eigenvector errors by up to √κ" },
      svdError: { value: 30, why: "|ê − e| / ((n + N)·ε·‖ΔW·X‖_F): a truncated SVD and two GEMMs" },
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
        for (let i = 0; i < n; i++) metrics.eigenvalues = Math.max(metrics.eigenvalues, Math.abs(space.lambda[i] - lambda[i]) / (n * eps * lambda[0]));
        const sqrtKappa = Math.sqrt(lambda[0] / lambda[n - 1]);
        for (const [c, compress] of Object.values(COMPRESSIONS).entries()) {
          const name = GOLDEN_NAMES[c];
          const wc = compress(w, m, n);
          metrics.compressed += mismatches(wc, out[`${name}_wc`].data);
          const dw = await be.upload(hostTensor(dtype, [m, n], w.map((v, i) => v - wc[i])));
          const scale = (n + samples) * eps * Math.hypot(...out[`${name}_sigma`].data);
          const eora = await eoraCompensation(be, dw, space, ranks);
          const plain = await svdTerms(be, dw, ranks);
          for (let t = 0; t < ranks.length; t++) {
            metrics.eoraError = Math.max(metrics.eoraError, Math.abs((await outputError(be, dw, eora.terms[t], x)) - out[`${name}_err_eora`].data[t]) / (scale * sqrtKappa));
            metrics.svdError = Math.max(metrics.svdError, Math.abs((await outputError(be, dw, plain[t], x)) - out[`${name}_err_svd`].data[t]) / scale);
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
      const wc = Object.values(COMPRESSIONS)[0](w, m, n);
      const dw = await be.upload(hostTensor(dtype, [m, n], w.map((v, i) => v - wc[i])));
      const x = await anisotropicSamples(be, dtype, n, samples, -2, 0, 0, 81);
      let err = NaN, optimum = NaN;
      return {
        async run() {
          const { terms, sigma } = await eoraCompensation(be, dw, await activationEigenspace(be, x), [r]);
          err = await outputError(be, dw, terms[0], x);
          let tail = 0;
          for (let i = r; i < sigma.length; i++) tail += sigma[i] ** 2;
          optimum = Math.sqrt(tail);
        },
        async accuracy() {
          return { metric: 'relative gap of ‖(ΔW − BA)X‖ to the rank-r optimum', value: Math.abs(err - optimum) / optimum };
        },
        dispose() {
          be.dispose(dw);
          be.dispose(x);
        },
      };
    },
  },
});

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
      conventions: 'importance the Fisher row importances; sigma singular values descending; recon_* one reconstruction error per rank',
    },
    thresholds: {
      importance: { value: 30, why: "LAPACK's LIN threshold on max |Î − I| / (N·ε·max I): sums of N squared products" },
      singularValues: { value: 50, why: "LAPACK's SVD threshold on max |σ̂ − σ| / (n·ε·σ₁)" },
      reconstruction: { value: 30, why: '|ê − e| / (n·ε·κ(D)·‖W₁‖_F) for both methods and every rank: D⁻¹ rescales the factors by up to κ(D) = max d/min d' },
    },
    async check(be, dtype, entry) {
      const { inputs, hidden, outputs, samples, ranks } = entry.params as { inputs: number; hidden: number; outputs: number; samples: number; ranks: number[] };
      const net = { inputs, hidden, outputs, w1: entry.inputs.w1.data as Float64Array, w2: entry.inputs.w2.data as Float64Array };
      const eps = computeEps(be, dtype), out = entry.outputs;
      const release = be.track();
      try {
        const x = await be.upload(hostTensor(dtype, [samples, inputs], entry.inputs.x.data));
        const importance = await fisherRowImportance(be, dtype, net, x, entry.inputs.targets.data as Float64Array);
        const fw = await fisherWeightedSvd(be, dtype, net.w1, hidden, inputs, importance, ranks);
        const plain = await svdTerms(be, await be.upload(hostTensor(dtype, [hidden, inputs], net.w1)), ranks);
        const maxI = Math.max(...out.importance.data), d = Array.from(out.importance.data, Math.sqrt);
        const kappaD = Math.max(...d) / Math.min(...d), normW = Math.hypot(...net.w1);
        let importanceErr = 0, sigmaErr = 0, reconErr = 0;
        for (let i = 0; i < hidden; i++) importanceErr = Math.max(importanceErr, Math.abs(importance[i] - out.importance.data[i]));
        for (let i = 0; i < out.sigma.data.length; i++) sigmaErr = Math.max(sigmaErr, Math.abs(fw.sigma[i] - out.sigma.data[i]));
        for (let t = 0; t < ranks.length; t++) {
          reconErr = Math.max(reconErr, Math.abs(diffNorm(net.w1, reconstructHost(fw.terms[t])) - out.recon_fw.data[t]));
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
    params: (sizes) => (sizes ?? [128, 512]).map((hidden) => ({ hidden, inputs: hidden / 2, outputs: 10, samples: 2000, r: Math.min(8, hidden / 4) })),
    // Fisher: forward 2·N·(in·h + h·out), backward 2·N·out·h, (Δ⊙Δ)ᵀ(X⊙X) 2·N·h·in; SVD of D·W₁ (h×in) with vectors, nominal 4h²·in + 8h·in² + 9in³.
    cost: ({ hidden: h, inputs: n, outputs: o, samples: s }, dtype) => ({
      flops: 2 * s * (n * h + h * o) + 2 * s * o * h + 2 * s * h * n + 4 * h * h * n + 8 * h * n * n + 9 * n ** 3,
      bytes: (2 * s * n + 3 * s * h + 2 * h * n) * BYTES_PER_ELEMENT[dtype],
    }),
    async setup(be, dtype, { hidden, inputs, outputs, samples, r }) {
      const net = heterogeneousTeacher(inputs, hidden, outputs, 0);
      const x = await be.upload(hostTensor(dtype, [samples, inputs], fillRandom({ seed: 0, stream: 82 }, 'normal', 'f64', samples * inputs)));
      const targets = fillRandom({ seed: 0, stream: 83 }, 'normal', 'f64', samples * outputs) as Float64Array;
      let recon = NaN, best = NaN;
      return {
        async run() {
          const importance = await fisherRowImportance(be, dtype, net, x, targets);
          const { terms, sigma } = await fisherWeightedSvd(be, dtype, net.w1, hidden, inputs, importance, [r]);
          // The weighted error ‖D·(W − Ŵ)‖_F must equal the weighted tail Σ_{i>r} σ_i(D·W)² (Eckart–Young in the D-norm).
          const w = reconstructHost(terms[0]), d = Array.from(importance, Math.sqrt);
          recon = diffNorm(net.w1.map((v, i) => v * d[Math.floor(i / inputs)]), w.map((v, i) => v * d[Math.floor(i / inputs)]));
          best = Math.sqrt(sigma.slice(r).reduce((a, v) => a + v * v, 0));
        },
        async accuracy() {
          return { metric: 'relative gap of ‖D(W − Ŵ)‖ to the weighted rank-r optimum', value: Math.abs(recon - best) / best };
        },
        dispose: () => be.dispose(x),
      };
    },
  },
});

/**
 * The factorized layer's forward pass (x·B)·A against the dense x·W, for ranks on both sides of the
 * break-even r = mn/(m + n) (S18's matvec micro-benchmark; LoRD claims the factorized form is faster
 * below half of it). Verified by the dense pass on W = B·A in the same dtype.
 */
export const factorizedLayerCase = defineCase({
  id: 'compress/factorized-layer',
  family: 'compress',
  paper: 'S18',
  title: 'Factorized layer forward (x·B)·A versus dense x·W, ranks around the break-even mn/(m + n)',
  primitives: ['gemm'],
  dtypes: ['f32', 'f64'],
  bench: {
    params: (sizes) => (sizes ?? [1024]).flatMap((n) => [0.125, 0.25, 0.5, 1].flatMap((share) => [
      { n, batch: 64, share, form: 'factorized' },
      ...(share === 1 ? [{ n, batch: 64, share, form: 'dense' }] : []),
    ])),
    // share: r as a fraction of the break-even rank n·n/(2n) = n/2. Dense 2·batch·n²; factorized 2·batch·r·2n.
    cost: ({ n, batch, share, form }, dtype) => {
      const r = Math.max(1, Math.round((share as number) * (n as number) / 2));
      return form === 'dense'
        ? { flops: 2 * batch * n * n, bytes: (n * n + 2 * batch * n) * BYTES_PER_ELEMENT[dtype] }
        : { flops: 4 * batch * r * n, bytes: (2 * n * r + 2 * batch * n + batch * r) * BYTES_PER_ELEMENT[dtype] };
    },
    async setup(be, dtype, { n, batch, share, form }) {
      const r = Math.max(1, Math.round((share as number) * (n as number) / 2));
      const x = await be.upload(hostTensor(dtype, [batch, n], fillRandom({ seed: 0, stream: 84 }, 'normal', 'f64', batch * n)));
      const b = await be.upload(hostTensor(dtype, [n, r], fillRandom({ seed: 0, stream: 85 }, 'normal', 'f64', n * r)));
      const a = await be.upload(hostTensor(dtype, [r, n], fillRandom({ seed: 0, stream: 86 }, 'normal', 'f64', r * n)));
      const w = form === 'dense' ? await ops.gemm(be, b, a) : null;
      const hidden = be.zeros(dtype, [batch, r]), y = be.zeros(dtype, [batch, n]);
      return {
        async run() {
          if (w) await ops.gemm(be, x, w, { c: y });
          else await ops.gemm(be, await ops.gemm(be, x, b, { c: hidden }), a, { c: y });
        },
        async accuracy() {
          // Both forms against the dense product with W = B·A, relative max-norm difference.
          const ref = await ops.gemm(be, x, w ?? await ops.gemm(be, b, a));
          const value = errorOverLargest((await be.download(y)).data, (await be.download(ref)).data);
          be.dispose(ref);
          return { metric: 'max |y − x·(B·A)| / max |y|', value };
        },
        dispose() {
          for (const t of [x, b, a, hidden, y, ...(w ? [w] : [])]) be.dispose(t);
        },
      };
    },
  },
});
