import type { LuParams } from '@lowrank/core';
import type { RefTensor } from '../tensor.ts';
import { hasNonFinite } from '../shared/factor.ts';

/** Right-looking LU with partial pivoting (LAPACK getf2), rows swapped in place. */
export function lu(p: LuParams<RefTensor>): number {
  const { m, n } = p;
  if (hasNonFinite(p.a.data)) return -1;
  const LU = p.lu.data,
    piv = p.piv.data;
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
