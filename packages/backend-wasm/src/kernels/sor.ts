import { BYTES_PER_ELEMENT, type SorParams } from '@lowrank/core';
import {
  exportName,
  splitRange,
  COLS_SLOT,
  ORDER_SLOT,
  ROW_ORDER_SLOT,
  ROW_PTR_SLOT,
  type KernelContext,
  type WasmTensor,
} from '../kernel-context.ts';
import { task } from '../pool.ts';

/**
 * Rows per class below which threads do not pay for the barrier after each class. Measured (red–black
 * SSOR sweep of the Laplacian, f64, EPYC): 32k rows per class 1.16 ms sequential, 1.58 ms on two
 * threads; 8k rows 0.27 vs 0.69 ms; 131k rows 8.8 vs 5.8 ms.
 */
const THREADED_CLASS_ROWS = 1 << 16;
/** Classes per sweep above which the order is run by one thread (each class is a barrier). */
const THREADED_MAX_CLASSES = 64;

/**
 * One thread visits the rows in the order's sequence (each row reads the rows updated before it) —
 * unless the order has few, large classes (multicolor): then each class is split between the threads,
 * with a barrier after it, in the same sequence of classes (reversed for SSOR's backward sweep). Rows of
 * a class share no entry, so both give the same bits. The diagonal's check runs in the kernel before
 * the first write.
 */
export async function sor(ctx: KernelContext, p: SorParams<WasmTensor>): Promise<number> {
  const { cols, rowPtr, rowOrder } = p.pattern;
  const { classPtr } = p.order;
  const dtype = p.x.dtype;
  const c = ctx.writeInt32(COLS_SLOT, cols),
    ptr = ctx.writeInt32(ROW_PTR_SLOT, rowPtr),
    order = ctx.writeInt32(ORDER_SLOT, p.order.order),
    rows = ctx.writeInt32(ROW_ORDER_SLOT, rowOrder);
  const diag = ctx.scratch(0, p.n * BYTES_PER_ELEMENT[dtype]);
  const classes = classPtr.length - 1;
  const threaded =
    ctx.threads > 1 && classes <= THREADED_MAX_CLASSES && p.n >= THREADED_CLASS_ROWS * Math.max(1, classes);
  if (!threaded) {
    return ctx.call(
      exportName('sor', dtype),
      p.vals.ptr,
      p.b.ptr,
      p.x.ptr,
      c,
      ptr,
      rows,
      order,
      p.n,
      p.omega,
      p.sweeps,
      p.symmetric ? 1 : 0,
      diag,
    );
  }
  const bad = ctx.call(exportName('sorCheck', dtype), p.vals.ptr, c, ptr, rows, p.n, diag);
  if (bad >= 0) return bad;
  const relax = (k: number) =>
    ctx.parallel(
      splitRange(classPtr[k + 1] - classPtr[k], ctx.threads, 1).map(([t0, t1]) => [
        task(
          exportName('sorRows', dtype),
          p.vals.ptr,
          p.b.ptr,
          p.x.ptr,
          c,
          ptr,
          rows,
          order,
          classPtr[k] + t0,
          classPtr[k] + t1,
          p.omega,
        ),
      ]),
    );
  for (let sweep = 0; sweep < p.sweeps; sweep++) {
    for (let k = 0; k < classes; k++) await relax(k);
    if (p.symmetric) for (let k = classes - 1; k >= 0; k--) await relax(k);
  }
  return -1;
}
