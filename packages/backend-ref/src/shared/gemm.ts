/** The GEMM loop gemm and batchedGemm share. */
import type { GemmParams } from '@lowrank/core';
import type { RefTensor } from '../tensor.ts';

/** The textbook triple loop with an f64 accumulator; β = 0 never reads C (so NaN in C does not leak). */
export function gemmAt(p: GemmParams<RefTensor>, aOff: number, bOff: number, cOff: number): void {
  const { m, n, k, transA, transB, alpha, beta } = p;
  const A = p.a.data,
    B = p.b.data,
    C = p.c.data;
  const lda = transA ? m : k;
  const ldb = transB ? k : n;
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let l = 0; l < k; l++) {
        const ail = transA ? A[aOff + l * lda + i] : A[aOff + i * lda + l];
        const blj = transB ? B[bOff + j * ldb + l] : B[bOff + l * ldb + j];
        s += ail * blj;
      }
      const idx = cOff + i * n + j;
      C[idx] = beta === 0 ? alpha * s : alpha * s + beta * C[idx];
    }
  }
}
