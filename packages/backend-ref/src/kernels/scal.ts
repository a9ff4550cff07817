import type { ScalParams } from '@lowrank/core';
import type { RefTensor } from '../tensor.ts';

export function scal(p: ScalParams<RefTensor>): void {
  const x = p.x.data;
  for (let i = 0; i < p.n; i++) x[i] *= p.alpha;
}
