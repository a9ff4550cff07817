/**
 * Gaussian-process regression on the line with a Matérn prior, two ways on the backend:
 * - `maternSmooth`: the SDE's exact discretization between sorted coordinates (matern.ts) smoothed by the Kalman
 *   primitive — O(n·m³) per sequence, every sequence of the batch in parallel;
 * - `denseGp`: the textbook posterior (Rasmussen & Williams, Algorithm 2.1) with the n_o observed coordinates:
 *   mean K_{·o}(K_oo + Σ)⁻¹y_o and variance k(0) − diag(K_{·o}(K_oo + Σ)⁻¹K_{o·}), Σ = diag(1/w), by Cholesky,
 *   triangular solves and GEMM — O(n_o³), the baseline the state-space form removes.
 * Both return the posterior of f at every coordinate (observed or not, precision 0) and the log marginal
 * likelihood of each sequence. They agree to rounding: the same Gaussian conditioned in a different order.
 */
import { hostTensor, ops, type Backend, type DType } from '@lowrank/core';
import { checkGpData, maternKernel, maternModel, type MaternSde } from './matern.ts';

export interface GpPosterior {
  /** Posterior means of f [batch·n], in the coordinates' order. */
  mean: Float64Array;
  /** Posterior variances of f [batch·n]. */
  variance: Float64Array;
  /** Log marginal likelihood of each sequence [batch]. */
  logLik: Float64Array;
}

/** The Kalman + RTS posterior of `batch` sequences observed (y, precision w) at the shared coordinates x. */
export async function maternSmooth(
  be: Backend,
  dtype: DType,
  sde: MaternSde,
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  w: ArrayLike<number>,
  batch: number,
): Promise<GpPosterior> {
  const n = x.length,
    { m } = sde;
  checkGpData(n, batch, y, w);
  const { order, a, q } = maternModel(sde, x);
  const ys = new Float64Array(batch * n),
    ws = new Float64Array(batch * n);
  for (let b = 0; b < batch; b++)
    for (let j = 0; j < n; j++) {
      ys[b * n + j] = y[b * n + order[j]];
      ws[b * n + j] = w[b * n + order[j]];
    }
  const release = be.track();
  try {
    const up = (shape: number[], data: ArrayLike<number>) =>
      be.upload(hostTensor(dtype, shape, Float64Array.from(data)));
    const h = new Float64Array(m);
    h[0] = 1;
    const out = await ops.kalman(be, {
      a: await up([n, m, m], a),
      q: await up([n, m, m], q),
      h: await up([m], h),
      y: await up([batch, n], ys),
      w: await up([batch, n], ws),
      m0: await up([m], new Float64Array(m)),
      p0: await up([m, m], sde.pinf),
    });
    const means = (await be.download(out.mean)).data,
      covs = (await be.download(out.cov)).data;
    const mean = new Float64Array(batch * n),
      variance = new Float64Array(batch * n);
    for (let b = 0; b < batch; b++)
      for (let j = 0; j < n; j++) {
        mean[b * n + order[j]] = means[(b * n + j) * m];
        variance[b * n + order[j]] = covs[(b * n + j) * m * m];
      }
    return { mean, variance, logLik: Float64Array.from((await be.download(out.logLik)).data) };
  } finally {
    release();
  }
}

/**
 * The dense posterior of one sequence (y, w at the coordinates x): the observed ones (w > 0) form
 * K_oo + diag(1/w), factored by Cholesky on the backend; every coordinate's mean and variance follow by
 * triangular solves and GEMM. O(n_o³ + n·n_o²).
 */
export async function denseGp(
  be: Backend,
  dtype: DType,
  sde: MaternSde,
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  w: ArrayLike<number>,
): Promise<GpPosterior> {
  const n = x.length;
  checkGpData(n, 1, y, w);
  const obs = Array.from({ length: n }, (_, i) => i).filter((i) => w[i] > 0);
  const no = obs.length;
  const mean = new Float64Array(n),
    variance = new Float64Array(n).fill(sde.variance);
  if (no === 0) return { mean, variance, logLik: Float64Array.of(0) };
  const koo = new Float64Array(no * no),
    kox = new Float64Array(no * n);
  for (let i = 0; i < no; i++) {
    for (let j = 0; j < no; j++) koo[i * no + j] = maternKernel(sde, x[obs[i]] - x[obs[j]]);
    koo[i * no + i] += 1 / w[obs[i]];
    for (let j = 0; j < n; j++) kox[i * n + j] = maternKernel(sde, x[obs[i]] - x[j]);
  }
  const release = be.track();
  try {
    const up = (shape: number[], data: ArrayLike<number>) =>
      be.upload(hostTensor(dtype, shape, Float64Array.from(data)));
    const l = await ops.cholesky(be, await up([no, no], koo));
    // α = L⁻¹y_o, V = L⁻¹K_{o·}: mean = Vᵀα, variance = k(0) − colsum(V∘V), log-lik from α and diag(L).
    const alpha = await up(
      [no, 1],
      obs.map((i) => y[i]),
    );
    await ops.trsm(be, l, alpha, { lower: true });
    const v = await up([no, n], kox);
    await ops.trsm(be, l, v, { lower: true });
    const mu = (await be.download(await ops.gemm(be, v, alpha, { transA: true }))).data;
    const vv = (await be.download(v)).data,
      al = (await be.download(alpha)).data,
      ld = (await be.download(l)).data;
    for (let j = 0; j < n; j++) {
      mean[j] = mu[j];
      let s = 0;
      for (let i = 0; i < no; i++) s += vv[i * n + j] ** 2;
      variance[j] = sde.variance - s;
    }
    let logDet = 0,
      quad = 0;
    for (let i = 0; i < no; i++) {
      logDet += 2 * Math.log(ld[i * no + i]);
      quad += al[i] ** 2;
    }
    return { mean, variance, logLik: Float64Array.of(-0.5 * (no * Math.log(2 * Math.PI) + logDet + quad)) };
  } finally {
    release();
  }
}
