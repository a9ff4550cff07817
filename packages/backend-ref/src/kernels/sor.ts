import { badDiagonalRow, type SorParams } from '@lowrank/core';
import type { RefTensor } from '../tensor.ts';

/** One SOR update of row i: x_i ← (1 − ω)·x_i + ω·(b_i − Σ_{j≠i} a_ij·x_j)/a_ii, entries in CSR order. */
function relaxRow(p: SorParams<RefTensor>, i: number): void {
  const { cols, rowPtr, rowOrder } = p.pattern;
  const vals = p.vals.data,
    x = p.x.data;
  let s = p.b.data[i],
    d = 0;
  for (let t = rowPtr[i]; t < rowPtr[i + 1]; t++) {
    const e = rowOrder[t],
      j = cols[e];
    if (j === i) d += vals[e];
    else s -= vals[e] * x[j];
  }
  x[i] = (1 - p.omega) * x[i] + (p.omega * s) / d;
}

/** SOR sweeps row by row in the order (then back, for SSOR), in f64, after the diagonal's check. */
export function sor(p: SorParams<RefTensor>): number {
  const bad = badDiagonalRow(p.pattern, p.vals.data);
  if (bad >= 0) return bad;
  const { order } = p.order;
  for (let sweep = 0; sweep < p.sweeps; sweep++) {
    for (let t = 0; t < p.n; t++) relaxRow(p, order[t]);
    if (p.symmetric) for (let t = p.n - 1; t >= 0; t--) relaxRow(p, order[t]);
  }
  return -1;
}
