import { NumericalError, choleskyInPlace, solveLower, solveLowerTransposed, type KalmanParams } from '@lowrank/core';
import type { RefTensor } from '../tensor.ts';

/** C ← A·B (n×n, row-major), or A·Bᵀ with `tb`. */
function mul(n: number, a: Float64Array, ao: number, b: Float64Array, bo: number, tb: boolean, c: Float64Array): void {
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let k = 0; k < n; k++) s += a[ao + i * n + k] * (tb ? b[bo + j * n + k] : b[bo + k * n + j]);
      c[i * n + j] = s;
    }
}

/** m⁻ = A m and P⁻ = A P Aᵀ + Q, symmetrized; A, Q at step j. */
function predict(
  p: KalmanParams<RefTensor>,
  j: number,
  mIn: Float64Array,
  mo: number,
  pIn: Float64Array,
  po: number,
  mOut: Float64Array,
  pOut: Float64Array,
  t: Float64Array,
): void {
  const { m } = p;
  const A = p.a.data,
    Q = p.q.data,
    o = j * m * m;
  for (let i = 0; i < m; i++) {
    let s = 0;
    for (let k = 0; k < m; k++) s += A[o + i * m + k] * mIn[mo + k];
    mOut[i] = s;
  }
  mul(m, A, o, pIn, po, false, t);
  mul(m, t, 0, A, o, true, pOut);
  for (let i = 0; i < m; i++)
    for (let k = 0; k <= i; k++) {
      const s = 0.5 * (pOut[i * m + k] + pOut[k * m + i]) + 0.5 * (Q[o + i * m + k] + Q[o + k * m + i]);
      pOut[i * m + k] = s;
      pOut[k * m + i] = s;
    }
}

/** In place: the lower Cholesky factor of the m×m s (core's small-spd); false when a pivot is not positive. */
function factored(m: number, s: Float64Array): boolean {
  try {
    choleskyInPlace(s, m);
    return true;
  } catch (e) {
    if (e instanceof NumericalError) return false;
    throw e;
  }
}

/** Filter forward then RTS backward for each sequence, in f64 (core/primitives/kalman.ts). */
export function kalman(p: KalmanParams<RefTensor>): number {
  const { m, steps: N, batch } = p;
  const h = p.h.data,
    Y = p.y.data,
    W = p.w.data,
    M = p.mean.data,
    P = p.cov.data,
    L = p.logLik.data;
  const mm = m * m;
  const mPred = new Float64Array(m),
    pPred = new Float64Array(mm),
    t = new Float64Array(mm),
    g = new Float64Array(m),
    k = new Float64Array(m),
    c = new Float64Array(mm),
    gain = new Float64Array(mm),
    fac = new Float64Array(mm),
    d = new Float64Array(m);
  for (let b = 0; b < batch; b++) {
    let ll = 0;
    for (let j = 0; j < N; j++) {
      const mo = (b * N + j) * m,
        po = (b * N + j) * mm;
      if (j === 0) predict(p, 0, p.m0.data, 0, p.p0.data, 0, mPred, pPred, t);
      else predict(p, j, M, mo - m, P, po - mm, mPred, pPred, t);
      const w = W[b * N + j];
      if (w === 0) {
        M.set(mPred, mo);
        P.set(pPred, po);
        continue;
      }
      let hg = 0,
        v = Y[b * N + j];
      for (let i = 0; i < m; i++) {
        let s = 0;
        for (let l = 0; l < m; l++) s += pPred[i * m + l] * h[l];
        g[i] = s;
      }
      for (let i = 0; i < m; i++) {
        hg += h[i] * g[i];
        v -= h[i] * mPred[i];
      }
      const s = w * hg + 1;
      if (!(s > 0)) return j;
      for (let i = 0; i < m; i++) {
        k[i] = (w * g[i]) / s;
        M[mo + i] = mPred[i] + k[i] * v;
      }
      // Joseph: B = I − K hᵀ, P = B P⁻ Bᵀ + K Kᵀ / w.
      for (let i = 0; i < m; i++) for (let l = 0; l < m; l++) c[i * m + l] = (i === l ? 1 : 0) - k[i] * h[l];
      mul(m, c, 0, pPred, 0, false, t);
      mul(m, t, 0, c, 0, true, gain);
      for (let i = 0; i < m; i++)
        for (let l = 0; l <= i; l++) {
          const e = 0.5 * (gain[i * m + l] + gain[l * m + i]) + (k[i] * k[l]) / w;
          P[po + i * m + l] = e;
          P[po + l * m + i] = e;
        }
      ll -= 0.5 * (Math.log(2 * Math.PI) + Math.log(s) - Math.log(w) + (w * v * v) / s);
    }
    L[b] = ll;
    for (let j = N - 2; j >= 0; j--) {
      const mo = (b * N + j) * m,
        po = (b * N + j) * mm;
      predict(p, j + 1, M, mo, P, po, mPred, pPred, t);
      // C = P_j A_{j+1}ᵀ; G = C (P⁻)⁻¹, i.e. P⁻ Gᵀ = Cᵀ, by the Cholesky factor of P⁻.
      mul(m, P, po, p.a.data, (j + 1) * mm, true, c);
      fac.set(pPred);
      if (!factored(m, fac)) return j + 1;
      for (let col = 0; col < m; col++) {
        // Row `col` of G solves P⁻ x = (row col of C) = L Lᵀ x.
        d.set(c.subarray(col * m, (col + 1) * m));
        solveLower(fac, m, d);
        solveLowerTransposed(fac, m, d);
        gain.set(d, col * m);
      }
      for (let i = 0; i < mm; i++) t[i] = P[po + mm + i] - pPred[i];
      for (let i = 0; i < m; i++) {
        let s = 0;
        for (let l = 0; l < m; l++) s += gain[i * m + l] * (M[mo + m + l] - mPred[l]);
        g[i] = s;
      }
      for (let i = 0; i < m; i++) M[mo + i] += g[i];
      mul(m, gain, 0, t, 0, false, c);
      mul(m, c, 0, gain, 0, true, t);
      for (let i = 0; i < m; i++)
        for (let l = 0; l <= i; l++) {
          const e = P[po + i * m + l] + 0.5 * (t[i * m + l] + t[l * m + i]);
          P[po + i * m + l] = e;
          P[po + l * m + i] = e;
        }
    }
  }
  return -1;
}
