import type { TrsmParams } from '@lowrank/core';
import type { RefTensor } from '../tensor.ts';

/** Substitution row by row: each solved row of X is subtracted from the rows that depend on it. */
export function trsm(p: TrsmParams<RefTensor>): number {
  const { n, m, lower, trans, unitDiag, alpha } = p;
  const T = p.t.data,
    B = p.b.data;
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
