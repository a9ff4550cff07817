import {
  BYTES_PER_ELEMENT,
  computeEps,
  defineCase,
  EPSILON,
  fillRandom,
  hostTensor,
  ops,
  prose,
  rocAuc,
  syevCost,
  type Backend,
  type DType,
} from '@lowrank/core';
import { diffNorm, frobenius, hostSvd, matmul } from '@lowrank/linalg';
import { afmLayer, calibrationError, layerOutputs, outputProjection, projector, type AffineLowRank } from './afm.ts';
import { termsFromSvd } from './low-rank-term.ts';

/** x·(B·A) + bias on the host (the held-out inputs are few). */
function applyHost(x: ArrayLike<number>, rows: number, n: number, c: AffineLowRank): Float64Array {
  const { r, n: m, b, a } = c.term;
  return matmul(matmul(x, rows, n, b, n, r), rows, r, a, r, m).map((v, e) => v + c.bias[e % m]);
}

/**
 * AFM (S33) against numpy/LAPACK (golden compress/afm): the covariance eigenvalues, the projector
 * Q_r·Q_rᵀ, AFM's and the truncated SVD's outputs on held-out inputs and their calibration errors, the
 * theorem AFM ≤ SVD on the calibration set, and the ROC AUC of tied scores. Benchmarked as the whole
 * compression of an n×n layer at rank n/8 from N = 4n calibration inputs.
 */
export const afmCase = defineCase({
  id: 'compress/afm',
  family: 'compress',
  paper: 'S33',
  title: prose`
      AFM: the top-r eigenspace of a layer's calibration outputs, the two thin layers it gives, against the truncated
      SVD
    `,
  primitives: ['gemm', 'axpy', 'nrm2', 'reduce', 'qr', 'svd', 'syev'],
  dtypes: ['f32', 'f64'],
  verify: {
    golden: 'compress/afm',
    reads: {
      params: { n: 'integer', m: 'integer', samples: 'integer', held: 'integer', ranks: 'number[]' },
      inputs: ['x', 'w', 'b', 'xt', 'scores', 'labels'],
      outputs: {
        names: (p) => [
          'lambda',
          'auc',
          ...(p.ranks as number[]).flatMap((r) => [
            `proj_r${r}`,
            `afm_out_r${r}`,
            `svd_out_r${r}`,
            `afm_err_r${r}`,
            `svd_err_r${r}`,
          ]),
        ],
        doc: 'lambda, auc, and for each r of ranks: proj_r{r}, afm_out_r{r}, svd_out_r{r}, afm_err_r{r}, svd_err_r{r}',
      },
      conventions: prose`
          lambda the output covariance eigenvalues descending; per rank r the projector, both layers’ held-out outputs
          and calibration errors; auc a 1-element array (Mann–Whitney U/(n₊n₋))
        `,
    },
    thresholds: {
      eigenvalues: {
        value: 60,
        why: prose`
          LAPACK's SEP threshold on max |λ̂ − λ| / ((m + N)·ε·‖Y‖²_F/N): the covariance is formed by GEMMs on the
          centered outputs
        `,
      },
      projector: {
        value: 50,
        why: prose`
          ‖P̂ − P‖_F over the Davis–Kahan bound (m + N)·ε·(‖Y‖²_F/N)/(λ_r − λ_{r+1}); threshold 50 as LAPACK svd.in
        `,
      },
      afmOutputs: {
        value: 50,
        why: prose`
          held-out outputs ‖Ŷ − Y*‖_F / (‖Y*‖_F·(m + N)·ε·(‖Y‖²_F/N)/(λ_r − λ_{r+1})): the projector’s error carried
          through one product
        `,
      },
      svdOutputs: {
        value: 50,
        why: 'held-out outputs of the truncated SVD over ‖Y*‖_F·(m + n)·ε·σ₁/(σ_r − σ_{r+1}) (Wedin); threshold 50',
      },
      errors: {
        value: 50,
        why: '|ê − e| of both calibration errors over (m + N)·ε·‖Y‖_F·(1 + ‖Y‖²_F/N/(λ_r − λ_{r+1}))',
      },
      afmWins: {
        value: 0,
        why: prose`
          AFM is the best rank-r projection of the centered outputs, so its calibration error never exceeds the
          truncated SVD’s (beyond (m + N)·ε·‖Y‖_F): count of violations, must be 0
        `,
      },
      auc: {
        value: 1,
        why: prose`
          |AUC − scipy’s Mann–Whitney U/(n₊n₋)| / (N·ε₆₄): the same rank statistic with average ranks for ties, summed
          in another order
        `,
      },
    },
    async check(be, dtype, entry) {
      const { n, m, samples, held, ranks } = entry.params as {
        n: number;
        m: number;
        samples: number;
        held: number;
        ranks: number[];
      };
      const out = entry.outputs,
        inp = entry.inputs;
      const eps = computeEps(be, dtype);
      const release = be.track();
      try {
        const x = await be.upload(hostTensor(dtype, [samples, n], inp.x.data));
        const w = await be.upload(hostTensor(dtype, [n, m], inp.w.data));
        const bias = inp.b.data;
        const y = await layerOutputs(be, x, w, bias);
        const yNorm = frobenius(Float64Array.from((await be.download(y)).data)),
          spread = yNorm ** 2 / samples,
          grow = (m + samples) * eps;
        const svd = await hostSvd(be, w);
        const lambda = out.lambda.data;
        const metrics = { eigenvalues: 0, projector: 0, afmOutputs: 0, svdOutputs: 0, errors: 0, afmWins: 0, auc: 0 };
        for (const r of ranks) {
          const p = await outputProjection(be, y, r);
          if (r === ranks[0])
            for (let i = 0; i < m; i++)
              metrics.eigenvalues = Math.max(metrics.eigenvalues, Math.abs(p.lambda[i] - lambda[i]) / (grow * spread));
          const davisKahan = (grow * spread) / (lambda[r - 1] - lambda[r]);
          metrics.projector = Math.max(metrics.projector, diffNorm(projector(p), out[`proj_r${r}`].data) / davisKahan);
          const afm = await afmLayer(be, w, bias, p);
          const [plain] = termsFromSvd(svd.u, svd.s, svd.v, n, m, [r]);
          const svdLayer = { term: plain, bias: Float64Array.from(bias) };
          const afmStar = out[`afm_out_r${r}`].data,
            svdStar = out[`svd_out_r${r}`].data;
          metrics.afmOutputs = Math.max(
            metrics.afmOutputs,
            diffNorm(applyHost(inp.xt.data, held, n, afm), afmStar) / (frobenius(afmStar) * davisKahan),
          );
          const wedin = ((m + n) * eps * svd.s[0]) / (svd.s[r - 1] - svd.s[r]);
          metrics.svdOutputs = Math.max(
            metrics.svdOutputs,
            diffNorm(applyHost(inp.xt.data, held, n, svdLayer), svdStar) / (frobenius(svdStar) * wedin),
          );
          const eAfm = await calibrationError(be, x, w, bias, afm),
            eSvd = await calibrationError(be, x, w, bias, svdLayer);
          const errScale = grow * yNorm * (1 + spread / (lambda[r - 1] - lambda[r]));
          metrics.errors = Math.max(
            metrics.errors,
            Math.abs(eAfm - out[`afm_err_r${r}`].data[0]) / errScale,
            Math.abs(eSvd - out[`svd_err_r${r}`].data[0]) / errScale,
          );
          if (eAfm > eSvd + grow * yNorm) metrics.afmWins++;
        }
        metrics.auc = Math.abs(rocAuc(inp.scores.data, inp.labels.data) - out.auc.data[0]) / (samples * EPSILON.f64);
        return metrics;
      } finally {
        release();
      }
    },
  },
  bench: {
    params: (sizes) => (sizes ?? [64, 256]).map((n) => ({ n, samples: 4 * n, r: n / 8 })),
    // Y = X·W 2Nn², centering and the covariance 2Nn², the eigendecomposition, W·Q_r 2n²r.
    cost: ({ n, samples, r }, dtype) => ({
      flops: 4 * samples * n * n + syevCost(n, dtype).flops + 2 * n * n * r,
      bytes: (samples * n + 3 * n * n) * BYTES_PER_ELEMENT[dtype],
    }),
    async setup(be: Backend, dtype: DType, { n, samples, r }) {
      const x = await be.upload(
        hostTensor(dtype, [samples, n], fillRandom({ seed: 0, stream: 90 }, 'normal', 'f64', samples * n)),
      );
      const w = await be.upload(hostTensor(dtype, [n, n], fillRandom({ seed: 0, stream: 91 }, 'normal', 'f64', n * n)));
      const bias = new Float64Array(n);
      let layer: AffineLowRank | undefined;
      return {
        async run() {
          const y = await ops.gemm(be, x, w);
          layer = await afmLayer(be, w, bias, await outputProjection(be, y, r));
          be.dispose(y);
        },
        async accuracy() {
          // The calibration error against its closed form √(N·Σ_{i>r} λ_i) (Eckart–Young on the centered outputs).
          const y = await ops.gemm(be, x, w);
          const p = await outputProjection(be, y, r);
          const yNorm = await ops.nrm2(be, y);
          be.dispose(y);
          const tail = Math.sqrt(samples * p.lambda.slice(r).reduce((s, v) => s + Math.max(v, 0), 0));
          const e = await calibrationError(be, x, w, bias, layer ?? (await afmLayer(be, w, bias, p)));
          return { metric: '|‖Ŷ − Y‖_F − √(N·Σ_{i>r} λ_i)| / ‖Y‖_F', value: Math.abs(e - tail) / yNorm };
        },
        dispose() {
          be.dispose(x);
          be.dispose(w);
        },
      };
    },
  },
});
