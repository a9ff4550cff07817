import { BYTES_PER_ELEMENT, computeEps, defineCase, errorOverLargest, fillRandom, prose } from '@lowrank/core';
import { gaussianMixture } from './data.ts';
import { initialParameters, Mlp, parameterCount } from './mlp.ts';

/**
 * Gradient, Hessian (R-operator) and Gauss–Newton products of a tanh MLP with a softmax cross-entropy
 * head. Verified against numpy (golden mlp/curvature: backpropagation written out, the Hessian and
 * Gauss–Newton matrices by the complex step, a different method than ours); benchmarked as one
 * Hessian-vector product on S39's data (N = 500, d = 10, k = 10 classes) for hidden widths h.
 */
export const curvatureCase = defineCase({
  id: 'mlp/curvature',
  family: 'mlp',
  paper: 'S39',
  title: 'MLP loss, gradient and Hessian-/Gauss–Newton-vector products (Pearlmutter R-operator)',
  primitives: ['gemm', 'batchedGemm', 'axpy', 'unary', 'binary', 'reduce'],
  dtypes: ['f32', 'f64'],
  verify: {
    golden: 'mlp/curvature',
    reads: {
      params: { widths: 'number[]', n: 'integer' },
      inputs: ['x', 'labels', 'theta'],
      outputs: ['loss', 'grad', 'hessian', 'gaussNewton'],
      conventions: prose`
          tanh MLP with softmax cross-entropy (mean over n); theta packs each layer’s in×out weights row-major, then
          its biases (scripts/golden/mlp/common.py unpack); loss a 1-element array; hessian and gaussNewton p×p
        `,
    },
    thresholds: {
      loss: {
        value: 30,
        why: prose`
          LAPACK's LIN threshold on |ℓ̂ − ℓ|/(K·ε·max(ℓ, 1)), K = N + Σ widths: the depth of the sums in the forward
          pass
        `,
      },
      gradient: {
        value: 30,
        why: prose`
          max |ĝ − g| / (K·ε·max |g|): the backward pass is a chain of GEMMs whose inner dimensions add up to at most
          K
        `,
      },
      hessian: {
        value: 30,
        why: prose`
          max |Ĥ − H| / (K·ε·max |H|) over the dense matrix from P products with unit vectors; the R-operator is a
          chain of GEMMs and products of the same depth
        `,
      },
      gaussNewton: { value: 30, why: 'the same bound for the Gauss–Newton matrix' },
    },
    async check(be, dtype, entry) {
      const { widths, n } = entry.params as { widths: number[]; n: number };
      const net = await Mlp.create(be, dtype, widths, Float64Array.from(entry.inputs.x.data), entry.inputs.labels.data);
      try {
        await net.setParameters(entry.inputs.theta.data);
        const unit = (n + widths.reduce((a, b) => a + b, 0)) * computeEps(be, dtype);
        const { loss, grad } = await net.gradient();
        const expectedLoss = entry.outputs.loss.data[0];
        return {
          loss: Math.abs(loss - expectedLoss) / Math.max(expectedLoss, 1) / unit,
          gradient: errorOverLargest(grad, entry.outputs.grad.data) / unit,
          hessian: errorOverLargest(await net.denseCurvature('hessian'), entry.outputs.hessian.data) / unit,
          gaussNewton:
            errorOverLargest(await net.denseCurvature('gauss-newton'), entry.outputs.gaussNewton.data) / unit,
        };
      } finally {
        net.dispose();
      }
    },
  },
  bench: {
    params: (sizes) => (sizes ?? [16, 32, 64]).map((h) => ({ h, n: 500, d: 10, k: 10 })),
    // About eight GEMMs per layer (forward 1, R-forward 2, R-backward 2 for ∂W and 3 for dH, R{dH}), 2·N·w_l·w_{l+1} flops each.
    cost: ({ h, n, d, k }, dtype) => {
      const widths = [d, h, h, k];
      let gemm = 0;
      for (let l = 0; l + 1 < widths.length; l++) gemm += 2 * n * widths[l] * widths[l + 1];
      return { flops: 8 * gemm, bytes: (8 * n * (2 * h + k) + 4 * parameterCount(widths)) * BYTES_PER_ELEMENT[dtype] };
    },
    async setup(be, dtype, { h, n, d, k }) {
      const widths = [d, h, h, k];
      const data = gaussianMixture(n, d, k, 3, 0);
      const net = await Mlp.create(be, dtype, widths, data.x, data.labels);
      await net.setParameters(initialParameters(widths, 0));
      const v = fillRandom({ seed: 0, stream: 60 }, 'normal', 'f64', net.parameters) as Float64Array;
      let hv: Float64Array = new Float64Array(0);
      return {
        async run() {
          hv = await net.curvatureProduct(v);
        },
        async accuracy() {
          // Symmetry of the Hessian as this run sees it: |uᵀ(Hv) − vᵀ(Hu)| relative to ‖u‖‖Hv‖, in units of ε.
          const u = fillRandom({ seed: 1, stream: 60 }, 'normal', 'f64', net.parameters) as Float64Array;
          const hu = await net.curvatureProduct(u);
          let uhv = 0,
            vhu = 0,
            nu = 0,
            nhv = 0;
          for (let i = 0; i < u.length; i++) {
            uhv += u[i] * hv[i];
            vhu += v[i] * hu[i];
            nu += u[i] * u[i];
            nhv += hv[i] * hv[i];
          }
          return {
            metric: '|uᵀHv − vᵀHu| / (‖u‖·‖Hv‖·ε)',
            value: Math.abs(uhv - vhu) / Math.sqrt(nu * nhv) / computeEps(be, dtype),
          };
        },
        dispose: () => net.dispose(),
      };
    },
  },
});
