import type { CholeskyParams, LuParams, QrParams, SvdParams, TrsmParams } from '@lowrank/core';
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

/**
 * One-sided Jacobi SVD (Hestenes): rotate pairs of rows of W (the columns of A, or of Aᵀ when m < n)
 * until every pair is orthogonal to |w_p·w_q| ≤ len·ε·‖w_p‖‖w_q‖, accumulating the rotations in V.
 * Then s_i = ‖w_i‖, U's columns w_i/s_i, sorted by s descending (a zero s_i leaves a zero column, which
 * ops.svd completes to an orthonormal basis).
 */
export function svd(p: SvdParams<RefTensor>): number {
  const { m, n, maxSweeps } = p;
  const A = p.a.data;
  if (hasNonFinite(A)) return -1;
  const tall = m >= n;
  const k = Math.min(m, n), len = Math.max(m, n);
  const w = new Float64Array(k * len);
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) {
    if (tall) w[j * len + i] = A[i * n + j]; else w[i * len + j] = A[i * n + j];
  }
  const vt = new Float64Array(k * k);
  for (let i = 0; i < k; i++) vt[i * k + i] = 1;
  const tol = len * 2 ** -52;
  let sweeps = 0;
  for (let rotated = true; rotated; ) {
    if (sweeps === maxSweeps) return -2;
    sweeps++;
    rotated = false;
    for (let a = 0; a < k - 1; a++) {
      for (let b = a + 1; b < k; b++) {
        let alpha = 0, beta = 0, gamma = 0;
        for (let t = 0; t < len; t++) {
          const x = w[a * len + t], y = w[b * len + t];
          alpha += x * x; beta += y * y; gamma += x * y;
        }
        if (gamma === 0 || Math.abs(gamma) <= tol * Math.sqrt(alpha * beta)) continue;
        rotated = true;
        const zeta = (beta - alpha) / (2 * gamma);
        const t = Math.sign(zeta || 1) / (Math.abs(zeta) + Math.sqrt(1 + zeta * zeta));
        const c = 1 / Math.sqrt(1 + t * t), s = c * t;
        for (const [buf, width] of p.vectors ? [[w, len], [vt, k]] as const : [[w, len]] as const) {
          for (let i = 0; i < width; i++) {
            const x = buf[a * width + i], y = buf[b * width + i];
            buf[a * width + i] = c * x - s * y;
            buf[b * width + i] = s * x + c * y;
          }
        }
      }
    }
  }
  const norms = Array.from({ length: k }, (_, i) => {
    let ss = 0;
    for (let t = 0; t < len; t++) ss += w[i * len + t] ** 2;
    return Math.sqrt(ss);
  });
  const order = norms.map((_, i) => i).sort((x, y) => norms[y] - norms[x]);
  const U = p.u.data, S = p.s.data, V = p.v.data;
  order.forEach((src, i) => {
    S[i] = norms[src];
    if (!p.vectors) return;
    const inv = norms[src] === 0 ? 0 : 1 / norms[src];
    // Columns of W normalized are the left vectors of the matrix Jacobi ran on; V holds the right ones.
    const [left, right] = tall ? [U, V] : [V, U];
    const [lRows, rRows] = tall ? [m, n] : [n, m];
    for (let t = 0; t < lRows; t++) left[t * k + i] = w[src * len + t] * inv;
    for (let t = 0; t < rRows; t++) right[t * k + i] = vt[src * k + t];
  });
  return sweeps;
}
