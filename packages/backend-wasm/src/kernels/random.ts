import { BYTES_PER_ELEMENT, type RandomParams } from '@lowrank/core';
import { exportName, splitRange, type KernelContext, type WasmTensor } from '../kernel-context.ts';
import { task } from '../pool.ts';

/** Counter-based draws are independent per element, so threads fill disjoint slices with no coordination. */
export async function random(ctx: KernelContext, p: RandomParams<WasmTensor>): Promise<void> {
  const w = BYTES_PER_ELEMENT[p.out.dtype];
  const threads = p.n < 65536 ? 1 : ctx.threads;
  const fn = exportName('random', p.out.dtype);
  const dist = p.dist === 'uniform' ? 0 : 1;
  await ctx.parallel(
    splitRange(p.n, threads, 1).map(([i0, i1]) => [
      task(fn, p.out.ptr + i0 * w, i1 - i0, dist, p.seed, p.stream, p.offset + i0),
    ]),
  );
}
