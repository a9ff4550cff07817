import type { GemvParams } from '@lowrank/core';
import type { RefTensor } from '../tensor.ts';

export function gemv(p: GemvParams<RefTensor>): void {
  const { m, n, trans, alpha, beta } = p;
  const A = p.a.data,
    x = p.x.data,
    y = p.y.data;
  const [outLen, inLen] = trans ? [n, m] : [m, n];
  for (let i = 0; i < outLen; i++) {
    let s = 0;
    for (let j = 0; j < inLen; j++) s += (trans ? A[j * n + i] : A[i * n + j]) * x[j];
    y[i] = beta === 0 ? alpha * s : alpha * s + beta * y[i];
  }
}
