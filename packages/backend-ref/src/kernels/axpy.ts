import type { AxpyParams } from '@lowrank/core';
import type { RefTensor } from '../tensor.ts';

export function axpy(p: AxpyParams<RefTensor>): void {
  const x = p.x.data,
    y = p.y.data;
  for (let i = 0; i < p.n; i++) y[i] += p.alpha * x[i];
}
