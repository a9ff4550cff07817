import type { SddmmParams } from '@lowrank/core';
import type { RefTensor } from '../tensor.ts';

/** out[e] = α·U[rows[e], :]·V[cols[e], :], in f64 in index order. */
export function sddmm(p: SddmmParams<RefTensor>): void {
  const { rows, cols, nnz } = p.pattern;
  const u = p.u.data,
    v = p.v.data,
    out = p.out.data,
    k = p.k;
  for (let e = 0; e < nnz; e++) {
    let s = 0;
    const ui = rows[e] * k,
      vj = cols[e] * k;
    for (let l = 0; l < k; l++) s += u[ui + l] * v[vj + l];
    out[e] = p.alpha * s;
  }
}
