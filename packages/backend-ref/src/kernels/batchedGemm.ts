import type { BatchedGemmParams } from '@lowrank/core';
import type { RefTensor } from '../tensor.ts';
import { gemmAt } from '../shared/gemm.ts';

export function batchedGemm(p: BatchedGemmParams<RefTensor>): void {
  const { m, n, k } = p;
  for (let t = 0; t < p.batch; t++) gemmAt(p, t * m * k, t * k * n, t * m * n);
}
