import type { GemmParams } from '@lowrank/core';
import type { RefTensor } from '../tensor.ts';
import { gemmAt } from '../shared/gemm.ts';

export function gemm(p: GemmParams<RefTensor>): void {
  gemmAt(p, 0, 0, 0);
}
