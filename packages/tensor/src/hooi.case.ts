import { computeEps, defineCase, hostTensor, prose, putAs, scaledRatio } from '@lowrank/core';
import { diffNorm, matmul } from '@lowrank/linalg';
import { hooi, modeSpectra } from './hooi.ts';

export const hooiCase = defineCase({
  id: 'tensor/hooi',
  family: 'tensor',
  paper: 'S31',
  title: 'HOSVD then HOOI sweeps: relative errors, mode spectra and factor projectors',
  primitives: ['batchedGemm', 'gemm', 'syev', 'transpose', 'reduce', 'axpy'],
  dtypes: ['f32', 'f64'],
  verify: {
    golden: 'tensor/hooi',
    reads: {
      params: { ranks: 'number[]', sweeps: 'integer' },
      inputs: ['x'],
      outputs: ['errors', 'spectrum0', 'spectrum1', 'spectrum2', 'projector0', 'projector1', 'projector2'],
      conventions: prose`
        x a 3-way tensor, C order; errors = ‖X − X̂‖/‖X‖ after the HOSVD and each sweep (from the reconstruction);
        spectrum_k the singular values of the mode-k unfolding; projector_k = A_kA_kᵀ after the last sweep
      `,
    },
    thresholds: {
      errors: {
        value: 30,
        why: prose`
          |ê² − e²| / (N·ε): ‖X − X̂‖² = ‖X‖² − ‖G‖² (orthonormal factors) with each norm accurate to N·ε relative, N the
          largest dimension (the unfoldings' Gram products); the square avoids e's own cancellation as e → 0
        `,
      },
      spectra: {
        value: 30,
        why: '|σ̂² − σ²| / (N·ε·σ₁²): the spectra come from the mode Grams, whose eigenvalues are backward stable to N·ε·σ₁²',
      },
      projectors: {
        value: 30,
        why: prose`
          ‖P̂_k − P_k‖_F / (N·ε/gap_k), gap_k = (σ_{r} − σ_{r+1})/σ₁ of the final sweep's mode-k matrix, approximated
          by the unfolding's: a subspace is as accurate as ε over its relative gap (Davis–Kahan)
        `,
      },
    },
    async check(be, dtype, entry) {
      const x = entry.inputs.x;
      const shape = x.shape,
        ranks = entry.params.ranks as number[];
      const eps = computeEps(be, dtype),
        N = Math.max(...shape);
      const t = await putAs(be, dtype, hostTensor('f64', [x.data.length], Float64Array.from(x.data)));
      const fit = await hooi(be, t, shape, ranks, entry.params.sweeps as number);
      const o = entry.outputs;
      const errors = Math.max(
        ...fit.errors.map((e, i) => scaledRatio(Math.abs(e * e - o.errors.data[i] ** 2), N * eps)),
      );
      const spectra = await modeSpectra(be, t, shape);
      let sv = 0,
        proj = 0;
      for (let k = 0; k < 3; k++) {
        const want = o[`spectrum${k}`].data,
          got = spectra[k];
        for (let i = 0; i < want.length; i++)
          sv = Math.max(sv, scaledRatio(Math.abs(got[i] - want[i] ** 2), N * eps * want[0] ** 2));
        const n = shape[k],
          r = ranks[k];
        const a = (await be.download(fit.factors[k])).data;
        const p = matmul(a, n, r, a, n, r, false, true);
        const gap = r < want.length ? (want[r - 1] - want[r]) / want[0] : 1;
        proj = Math.max(proj, scaledRatio(diffNorm(p, o[`projector${k}`].data), (N * eps) / gap));
      }
      return { errors, spectra: sv, projectors: proj };
    },
  },
});
