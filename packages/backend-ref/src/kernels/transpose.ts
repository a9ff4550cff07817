import type { TransposeParams } from '@lowrank/core';
import type { RefTensor } from '../tensor.ts';

export function transpose(p: TransposeParams<RefTensor>): void {
  const x = p.x.data,
    out = p.out.data;
  for (let i = 0; i < p.rows; i++) for (let j = 0; j < p.cols; j++) out[j * p.rows + i] = x[i * p.cols + j];
}
