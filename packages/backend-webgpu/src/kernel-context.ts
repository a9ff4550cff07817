import type { Program } from './program.ts';
import type { WebGpuTensor } from './tensor.ts';

/** What a kernel may use of the backend: run programs, borrow scratch, read small results back. */
export interface KernelContext {
  run(programs: readonly Program[]): Promise<void>;
  /** Scratch storage buffer number `slot` (0, 1, …) of at least `bytes`, valid until the next kernel call. */
  scratch(bytes: number, slot?: number): GPUBuffer;
  /** Scratch buffer `slot` holding a copy of `data` (index arrays), queued before the next run. */
  writeScratch(data: Uint32Array<ArrayBuffer>, slot: number): GPUBuffer;
  /** x ← β·x over n elements (β = 0 writes zeros without reading): the k = 0 / α = 0 GEMM case. */
  scaleInPlace(x: WebGpuTensor, beta: number, n: number): Promise<void>;
  /** Reads `count` f32 values from the start of a buffer. */
  readScalars(buffer: GPUBuffer, count: number): Promise<Float32Array>;
}

/** Scratch slot of a sparse pattern's indices (sddmm, spmm), as u32. */
export const INDEX_SLOT = 7;
