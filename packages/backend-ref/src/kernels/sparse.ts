import type { SddmmParams, SpmmParams } from '@lowrank/core';
import type { RefTensor } from '../tensor.ts';

/** out[e] = α·U[rows[e], :]·V[cols[e], :], in f64 in index order. */
export function sddmm(p: SddmmParams<RefTensor>): void {
  const { rows, cols, nnz } = p.pattern;
  const u = p.u.data, v = p.v.data, out = p.out.data, k = p.k;
  for (let e = 0; e < nnz; e++) {
    let s = 0;
    const ui = rows[e] * k, vj = cols[e] * k;
    for (let l = 0; l < k; l++) s += u[ui + l] * v[vj + l];
    out[e] = p.alpha * s;
  }
}

/** out[i, :] = α·Σ_{e in row i} vals[e]·B[cols[e], :], rows in CSR order, in f64. */
export function spmm(p: SpmmParams<RefTensor>): void {
  const { cols, rowPtr, rowOrder } = p.pattern;
  const vals = p.vals.data, b = p.b.data, out = p.out.data, k = p.k;
  for (let i = 0; i < p.m; i++) {
    for (let l = 0; l < k; l++) {
      let s = 0;
      for (let t = rowPtr[i]; t < rowPtr[i + 1]; t++) {
        const e = rowOrder[t];
        s += vals[e] * b[cols[e] * k + l];
      }
      out[i * k + l] = p.alpha * s;
    }
  }
}
