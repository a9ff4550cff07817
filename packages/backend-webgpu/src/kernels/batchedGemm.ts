import type { BatchedGemmParams } from '@lowrank/core';
import type { KernelContext } from '../kernel-context.ts';
import type { WebGpuTensor } from '../tensor.ts';
import { runGemm } from './gemm.ts';

/** `batch` GEMMs in one dispatch: the batch index is the grid's z (with split-K layers beside it). */
export function batchedGemm(ctx: KernelContext, p: BatchedGemmParams<WebGpuTensor>): Promise<void> {
  if (p.k === 0 || p.alpha === 0) return ctx.scaleInPlace(p.c, p.beta, p.batch * p.m * p.n);
  return runGemm(ctx, p, p.batch);
}
