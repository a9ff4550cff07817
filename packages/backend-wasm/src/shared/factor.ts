/** What the factorization glue shares: GEMM's packing buffers for the blocked trailing updates. */
import { exportName, type KernelContext, type WasmTensor } from '../kernel-context.ts';

/** GEMM's packing buffers (thread 0's scratch) for the blocked factorizations' trailing updates. */
export function gemmWork(ctx: KernelContext, dtype: WasmTensor['dtype']): number {
  return ctx.scratch(0, ctx.call(exportName('gemmScratchBytes', dtype)));
}
