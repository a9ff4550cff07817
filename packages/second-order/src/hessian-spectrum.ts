/**
 * S39 (Sagun, Evci, Güney, Dauphin & Bottou, "Empirical Analysis of the Hessian of Over-Parametrized
 * Neural Networks", 2017): the Hessian of the training loss of a small MLP classifier is a bulk near
 * zero plus a few outliers, about one per class, and the outliers are those of the Gauss–Newton matrix
 * G = (1/N)·Σ J_iᵀ·∇²ℓ_i·J_i. The top of both spectra comes from Lanczos (full reorthogonalization) on
 * exact curvature-vector products (the R-operator of @lowrank/mlp), so no P×P matrix is formed.
 */
import { hostTensor, type Backend, type DeviceTensor, type DType } from '@lowrank/core';
import { lanczos } from '@lowrank/linalg';
import { Adam, gaussianMixture, initialParameters, Mlp, type CurvatureMode } from '@lowrank/mlp';

export interface ClassifierSetup {
  /** Samples, input dimension, classes (= mixture clusters), hidden width (two hidden layers). */
  n: number;
  d: number;
  classes: number;
  hidden: number;
  /** Cluster means are N(0, separation²·I); points add N(0, I). */
  separation: number;
  steps: number;
  lr: number;
  seed: number;
}

/** An MLP d-h-h-classes trained by full-batch Adam on the Gaussian mixture; returns the network (parameters set) and its final loss. */
export async function trainClassifier(
  be: Backend,
  dtype: DType,
  s: ClassifierSetup,
): Promise<{ net: Mlp; loss: number }> {
  const widths = [s.d, s.hidden, s.hidden, s.classes];
  const data = gaussianMixture(s.n, s.d, s.classes, s.separation, s.seed);
  const net = await Mlp.create(be, dtype, widths, data.x, data.labels);
  const theta = initialParameters(widths, s.seed);
  const adam = new Adam(theta.length, s.lr);
  await net.setParameters(theta);
  for (let t = 0; t < s.steps; t++) {
    adam.step(theta, (await net.gradient()).grad);
    await net.setParameters(theta);
  }
  return { net, loss: await net.loss() };
}

/** The top `count` eigenvalues (descending) of the Hessian or the Gauss–Newton matrix, by `steps` Lanczos steps. */
export async function topCurvature(
  net: Mlp,
  mode: CurvatureMode,
  count: number,
  steps: number,
  seed: number,
): Promise<Float64Array> {
  const be = net.be,
    dtype = net.dtype;
  const matvec = async (x: DeviceTensor): Promise<DeviceTensor> =>
    be.upload(hostTensor(dtype, [net.parameters], await net.curvatureProduct((await be.download(x)).data, mode)));
  return lanczos(be, matvec, net.parameters, count, dtype, { steps, seed });
}

/**
 * The number of outliers: the position of the largest gap in the sorted log-spectrum (the plan's
 * bulk edge), over the positive values given (the top of the spectrum, descending). With `edge`, only
 * gaps whose lower side is at most `edge` count (see bulkEdgeOutlierCount).
 */
export function outlierCount(values: ArrayLike<number>, edge = Infinity): number {
  let best = 0,
    count = 0;
  for (let i = 0; i + 1 < values.length && values[i + 1] > 0; i++) {
    if (values[i + 1] > edge) continue; // the gap must open onto the bulk, not lie among the outliers
    const gap = Math.log(values[i]) - Math.log(values[i + 1]);
    if (gap > best) {
      best = gap;
      count = i + 1;
    }
  }
  return count;
}

/**
 * The outliers above the bulk: the largest log-gap whose lower eigenvalue lies within `factor`× the
 * last value given (the top-T spectrum's T-th value, inside the bulk when T ≫ k). The plan's rule
 * (outlierCount) also counts a gap among the outliers themselves, as when λ₁ stands far above λ₂.
 */
export function bulkEdgeOutlierCount(values: ArrayLike<number>, factor = 3): number {
  return outlierCount(values, factor * values[values.length - 1]);
}
