import type { Nrm2Params } from '@lowrank/core';
import type { RefTensor } from '../tensor.ts';

/**
 * ‖x‖₂ by the scaled sum of squares of LAPACK's classic dnrm2 (scale·√ssq, rescaled whenever a
 * larger |xᵢ| appears), so neither 1e200 nor 1e-200 overflows or underflows in the sum.
 */
export function nrm2(p: Nrm2Params<RefTensor>): number {
  const x = p.x.data;
  let scale = 0;
  let ssq = 1;
  for (let i = 0; i < p.n; i++) {
    const v = x[i];
    if (Number.isNaN(v)) return NaN;
    if (v === 0) continue;
    const a = Math.abs(v);
    if (a === Infinity) scale = Infinity;
    if (scale < a) {
      ssq = 1 + ssq * (scale / a) ** 2;
      scale = a;
    } else {
      ssq += (a / scale) ** 2;
    }
  }
  return scale === Infinity ? Infinity : scale * Math.sqrt(ssq);
}
