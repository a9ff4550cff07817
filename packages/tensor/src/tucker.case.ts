import { computeEps, defineCase, errorOverLargest, prose, putAs } from '@lowrank/core';
import { modeProduct, tuckerReconstruct } from './tucker.ts';

/**
 * n-mode products in every mode and the Tucker reconstruction, against numpy.einsum (golden
 * tensor/tucker). Each output entry is a sum of at most K products (K = n_k for a mode product, Π r_k
 * terms nested over N modes for the reconstruction).
 */
export const tuckerCase = defineCase({
  id: 'tensor/tucker',
  family: 'tensor',
  paper: 'S21',
  title: 'n-mode products X ×_k A and Tucker reconstruction G ×₁ A₁ … ×_N A_N',
  primitives: ['batchedGemm', 'axpy', 'reduce'],
  dtypes: ['f32', 'f64'],
  verify: {
    golden: 'tensor/tucker',
    reads: {
      params: { shape: 'number[]', ranks: 'number[]' },
      inputs: {
        names: (p) => ['x', 'core', ...(p.shape as number[]).flatMap((_, k) => [`b${k}`, `a${k}`])],
        doc: 'x, core, and for each mode k: b{k}, a{k}',
      },
      outputs: {
        names: (p) => ['tucker', ...(p.shape as number[]).map((_, k) => `mode${k}`)],
        doc: 'tucker, and for each mode k: mode{k}',
      },
      conventions: prose`
          mode_k = x ×_k b_k (einsum over index k of x and the columns of b_k); tucker = core ×₀ a₀ ×₁ a₁ …; tensors
          row-major
        `,
    },
    thresholds: {
      modeProducts: {
        value: 30,
        why: "LAPACK's LIN threshold on max |ŷ − y| / (ε·n_k·max |y|): one inner product of length n_k per entry",
      },
      tucker: {
        value: 30,
        why: 'max |ŷ − y| / (ε·Σ_k r_k·max |y|): N nested mode products, each an inner product of length r_k',
      },
    },
    async check(be, dtype, entry) {
      const { shape, ranks } = entry.params as { shape: number[]; ranks: number[] };
      const eps = computeEps(be, dtype);
      const release = be.track();
      try {
        const x = await putAs(be, dtype, entry.inputs.x);
        let modes = 0;
        for (let k = 0; k < shape.length; k++) {
          const y = await modeProduct(be, x, shape, await putAs(be, dtype, entry.inputs[`b${k}`]), k);
          modes = Math.max(
            modes,
            errorOverLargest((await be.download(y.tensor)).data, entry.outputs[`mode${k}`].data) / (eps * shape[k]),
          );
        }
        const factors = await Promise.all(shape.map((_, k) => putAs(be, dtype, entry.inputs[`a${k}`])));
        const full = await tuckerReconstruct(be, await putAs(be, dtype, entry.inputs.core), ranks, factors);
        const tucker =
          errorOverLargest((await be.download(full.tensor)).data, entry.outputs.tucker.data) /
          (eps * ranks.reduce((a, b) => a + b, 0));
        return { modeProducts: modes, tucker };
      } finally {
        release();
      }
    },
  },
});
