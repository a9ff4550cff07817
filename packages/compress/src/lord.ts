/**
 * LoRD (S18: Kaushal, Vaidhya & Rish, "LORD: Low Rank Decomposition of Monolingual Code LLMs for
 * One-Shot Compression"): replace a layer's weight by a rank-r factorization in one shot, with the
 * rank chosen per layer by a sweep so that the validation metric rises by less than a tolerance.
 * Two decompositions: the weight's own truncated SVD, and the activation-aware one that keeps the top-r
 * eigenvectors Q_r of the layer's output covariance YᵀY on calibration inputs (Y = H·W, H the layer's
 * inputs): W ← W·Q_r·Q_rᵀ, the best rank-r map for those outputs.
 */
import { hostTensor, ops, type Backend, type DType } from '@lowrank/core';
import { firstColumns, symmetricEig } from '@lowrank/linalg';

/** W·Q_r·Q_rᵀ for W (in×out, host) with Q_r the top-r eigenvectors of (H·W)ᵀ(H·W), H the N×in calibration inputs. */
export async function activationAwareProjection(
  be: Backend,
  dtype: DType,
  w: Float64Array,
  inputs: number,
  outputs: number,
  h: Float64Array,
  r: number,
): Promise<Float64Array> {
  const release = be.track();
  try {
    const wd = await be.upload(hostTensor(dtype, [inputs, outputs], w));
    const y = await ops.gemm(be, await be.upload(hostTensor(dtype, [h.length / inputs, inputs], h)), wd);
    const { vectors } = await symmetricEig(be, await ops.gemm(be, y, y, { transA: true }));
    const v = (await be.download(vectors)).data;
    const q = await be.upload(hostTensor(dtype, [outputs, r], firstColumns(v, outputs, outputs, r)));
    const projected = await ops.gemm(be, await ops.gemm(be, wd, q), q, { transB: true });
    return Float64Array.from((await be.download(projected)).data);
  } finally {
    release();
  }
}

/**
 * The smallest rank r in [1, full] whose compressed model's metric stays within (1 + tolerance) of the
 * uncompressed one, by bisection (the metric is taken as non-increasing in r), with the metric at each probe.
 */
export async function rankSweep(
  evaluate: (r: number) => Promise<number>,
  full: number,
  baseline: number,
  tolerance: number,
): Promise<{ rank: number; metric: number }> {
  let lo = 1,
    hi = full,
    best = { rank: full, metric: baseline };
  while (lo <= hi) {
    const mid = Math.floor((lo + hi) / 2),
      metric = await evaluate(mid);
    if (metric <= baseline * (1 + tolerance)) {
      best = { rank: mid, metric };
      hi = mid - 1;
    } else lo = mid + 1;
  }
  return best;
}
