import type { CholeskyParams, LuParams, TrsmParams } from '@lowrank/core';
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
