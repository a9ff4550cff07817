import type { CholeskyParams } from '@lowrank/core';
import type { RefTensor } from '../tensor.ts';

/** Cholesky–Crout by rows: l_ij = (a_ij − Σ_{k<j} l_ik l_jk) / l_jj, l_ii = √(a_ii − Σ_{k<i} l_ik²). */
export function cholesky(p: CholeskyParams<RefTensor>): number {
  const { n } = p;
  const A = p.a.data,
    L = p.l.data;
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
