import type { SpmmParams } from '@lowrank/core';
import type { RefTensor } from '../tensor.ts';

/** out[i, :] = α·Σ_{e in row i} vals[e]·B[cols[e], :], rows in CSR order, in f64. */
export function spmm(p: SpmmParams<RefTensor>): void {
  const { cols, rowPtr, rowOrder } = p.pattern;
  const vals = p.vals.data,
    b = p.b.data,
    out = p.out.data,
    k = p.k;
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
