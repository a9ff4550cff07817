/**
 * General (non-symmetric) eigenproblems on the backends' `geev` kernel, and the conditioning of the eigenvector
 * matrix: κ₂(V) = σ_max(V)/σ_min(V) for complex V = V_r + i·V_i, from the SVD of its real embedding
 * [[V_r, −V_i], [V_i, V_r]] (2n×2n), whose singular values are V's, each twice. S06's point is that this is huge for
 * HiPPO-LegS (≥ 1e10): diagonalizing it is ill-posed.
 */
import { hostTensor, ops, type Backend, type DeviceTensor } from '@lowrank/core';
import { frobenius } from './host.ts';
import { svd } from './svd.ts';

export const generalEig = ops.geev;

/** κ₂ of the complex matrix V_r + i·V_i (n×n); Infinity when it is singular to working precision. */
export async function eigenvectorCondition(be: Backend, re: DeviceTensor, im: DeviceTensor): Promise<number> {
  const n = re.shape[0];
  if (n === 0) return 1;
  const r = (await be.download(re)).data,
    i = (await be.download(im)).data;
  const m = 2 * n,
    e = new Float64Array(m * m);
  for (let a = 0; a < n; a++)
    for (let b = 0; b < n; b++) {
      e[a * m + b] = r[a * n + b];
      e[a * m + n + b] = -i[a * n + b];
      e[(n + a) * m + b] = i[a * n + b];
      e[(n + a) * m + n + b] = r[a * n + b];
    }
  const release = be.track();
  try {
    const f = await svd(be, await be.upload(hostTensor(re.dtype, [m, m], e)), { valuesOnly: true });
    const s = (await be.download(f.s)).data;
    return s[m - 1] > 0 ? s[0] / s[m - 1] : Infinity;
  } finally {
    release();
  }
}

/**
 * ‖ÂV − VΛ̂‖_F with Â = A/‖A‖_F and Λ̂ = Λ/‖A‖_F (so its squares neither overflow nor underflow at 1e±300), V and Λ
 * split complex: LAPACK dget22's residual, to be read over n·ε·‖V‖_F.
 */
export function eigenResidual(
  a: ArrayLike<number>,
  n: number,
  wr: ArrayLike<number>,
  wi: ArrayLike<number>,
  vr: ArrayLike<number>,
  vi: ArrayLike<number>,
): number {
  const s = frobenius(a) || 1;
  let res = 0;
  for (let j = 0; j < n; j++)
    for (let i = 0; i < n; i++) {
      let sr = 0,
        si = 0;
      for (let k = 0; k < n; k++) {
        sr += (a[i * n + k] / s) * vr[k * n + j];
        si += (a[i * n + k] / s) * vi[k * n + j];
      }
      sr -= (wr[j] / s) * vr[i * n + j] - (wi[j] / s) * vi[i * n + j];
      si -= (wr[j] / s) * vi[i * n + j] + (wi[j] / s) * vr[i * n + j];
      res += sr * sr + si * si;
    }
  return Math.sqrt(res);
}
