import type { DotParams } from '@lowrank/core';
import type { RefTensor } from '../tensor.ts';

export function dot(p: DotParams<RefTensor>): number {
  const x = p.x.data,
    y = p.y.data;
  let s = 0;
  for (let i = 0; i < p.n; i++) s += x[i] * y[i];
  return s;
}
