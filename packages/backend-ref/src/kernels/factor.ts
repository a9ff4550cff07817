import type { CholeskyParams, LuParams, QrParams, TrsmParams } from '@lowrank/core';
import type { RefTensor } from '../tensor.ts';

function hasNonFinite(x: Float64Array): boolean {
  return x.some((v) => !Number.isFinite(v));
}

/** Cholesky–Crout by rows: l_ij = (a_ij − Σ_{k<j} l_ik l_jk) / l_jj, l_ii = √(a_ii − Σ_{k<i} l_ik²). */
export function cholesky(p: CholeskyParams<RefTensor>): number {
  const { n } = p;
  const A = p.a.data, L = p.l.data;
  for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) if (!Number.isFinite(A[i * n + j])) return -1;
  L.fill(0);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = A[i * n + j];
      for (let k = 0; k < j; k++) s -= L[i * n + k] * L[j * n + k];
      if (j < i) {
        L[i * n + j] = s / L[j * n + j];
      } else {
        if (!(s > 0)) return i + 1;
        L[i * n + i] = Math.sqrt(s);
      }
    }
  }
  return 0;
}

/** Substitution row by row: each solved row of X is subtracted from the rows that depend on it. */
export function trsm(p: TrsmParams<RefTensor>): number {
  const { n, m, lower, trans, unitDiag, alpha } = p;
  const T = p.t.data, B = p.b.data;
  if (!unitDiag) for (let i = 0; i < n; i++) if (T[i * n + i] === 0) return i + 1;
  for (let i = 0; i < n * m; i++) B[i] *= alpha;
  // op(T) is lower triangular when (lower, no transpose) or (upper, transposed): solve top-down.
  const forward = lower !== trans;
  const t = (i: number, k: number) => (trans ? T[k * n + i] : T[i * n + k]);
  for (let s = 0; s < n; s++) {
    const i = forward ? s : n - 1 - s;
    for (let r = 0; r < s; r++) {
      const k = forward ? r : n - 1 - r;
      const tik = t(i, k);
      if (tik !== 0) for (let j = 0; j < m; j++) B[i * m + j] -= tik * B[k * m + j];
    }
    if (!unitDiag) {
      const d = T[i * n + i];
      for (let j = 0; j < m; j++) B[i * m + j] /= d;
    }
  }
  return 0;
}

/** Right-looking LU with partial pivoting (LAPACK getf2), rows swapped in place. */
export function lu(p: LuParams<RefTensor>): number {
  const { m, n } = p;
  if (hasNonFinite(p.a.data)) return -1;
  const LU = p.lu.data, piv = p.piv.data;
  LU.set(p.a.data);
  let info = 0;
  for (let j = 0; j < Math.min(m, n); j++) {
    let pr = j;
    for (let i = j + 1; i < m; i++) if (Math.abs(LU[i * n + j]) > Math.abs(LU[pr * n + j])) pr = i;
    piv[j] = pr;
    if (pr !== j) {
      for (let c = 0; c < n; c++) {
        const tmp = LU[j * n + c];
        LU[j * n + c] = LU[pr * n + c];
        LU[pr * n + c] = tmp;
      }
    }
    const d = LU[j * n + j];
    if (d === 0) {
      if (info === 0) info = j + 1;
      continue;
    }
    for (let i = j + 1; i < m; i++) {
      const l = (LU[i * n + j] /= d);
      if (l !== 0) for (let c = j + 1; c < n; c++) LU[i * n + c] -= l * LU[j * n + c];
    }
  }
  return info;
}

/**
 * Householder QR on the transpose (columns of A become contiguous rows): reflector j is LAPACK's
 * dlarfg of column j, applied to the later columns; Q is built by applying the reflectors to the
 * rows of Iₖ from the right, last to first.
 */
export function qr(p: QrParams<RefTensor>): number {
  const { m, n } = p;
  const A = p.a.data, Q = p.q.data, R = p.r.data;
  if (hasNonFinite(A)) return -1;
  const k = Math.min(m, n);
  const w = new Float64Array(n * m); // w[c][i] = A[i][c]
  for (let i = 0; i < m; i++) for (let c = 0; c < n; c++) w[c * m + i] = A[i * n + c];
  const tau = new Float64Array(k);
  for (let j = 0; j < k; j++) {
    const x = j * m;
    const alpha = w[x + j];
    let xnorm = 0;
    for (let i = j + 1; i < m; i++) xnorm = Math.hypot(xnorm, w[x + i]);
    if (xnorm === 0) {
      tau[j] = 0;
      R[j * n + j] = alpha;
    } else {
      const beta = -Math.sign(alpha || 1) * Math.hypot(alpha, xnorm);
      tau[j] = (beta - alpha) / beta;
      const scale = 1 / (alpha - beta);
      for (let i = j + 1; i < m; i++) w[x + i] *= scale;
      w[x + j] = 1;
      R[j * n + j] = beta;
    }
    for (let c = j + 1; c < n; c++) {
      const y = c * m;
      if (tau[j] !== 0) {
        let d = 0;
        for (let i = j; i < m; i++) d += w[x + i] * w[y + i];
        d *= tau[j];
        for (let i = j; i < m; i++) w[y + i] -= d * w[x + i];
      }
      R[j * n + c] = w[y + j];
    }
  }
  // Rows of Qᵀ: e_iᵀ·H_{k−1}⋯H_0.
  const qt = new Float64Array(k * m);
  for (let i = 0; i < k; i++) {
    const row = i * m;
    qt[row + i] = 1;
    for (let j = k - 1; j >= 0; j--) {
      if (tau[j] === 0) continue;
      let d = 0;
      for (let t = j; t < m; t++) d += qt[row + t] * w[j * m + t];
      d *= tau[j];
      for (let t = j; t < m; t++) qt[row + t] -= d * w[j * m + t];
    }
  }
  for (let i = 0; i < k; i++) for (let t = 0; t < m; t++) Q[t * k + i] = qt[i * m + t];
  return 0;
}
