import type { Backend, DeviceTensor } from '../backend.ts';
import { ShapeError } from '../errors.ts';
import { formatShape } from '../tensor.ts';
import { kernel, oneOf, owned, rank } from './check.ts';

export const REDUCE_OPS = ['sum', 'sumsq', 'max', 'min', 'absmax'] as const;

export type ReduceOp = (typeof REDUCE_OPS)[number];

/** `rows`: one result per row (reduce along columns); `cols`: one result per column. */
export type ReduceAxis = 'rows' | 'cols';

export interface ReduceParams<T = DeviceTensor> {
  op: ReduceOp;
  axis: ReduceAxis;
  x: T;
  out: T;
  rows: number;
  cols: number;
}

declare module '../backend.ts' {
  interface PrimitiveSignatures<T> {
    reduce(p: ReduceParams<T>): void | Promise<void>;
  }
}

/** Reduces a 2-D tensor along rows (one value per row) or columns (one per column). */
export async function reduce(be: Backend, op: ReduceOp, x: DeviceTensor, axis: ReduceAxis): Promise<DeviceTensor> {
  oneOf('op', op, REDUCE_OPS);
  oneOf('axis', axis, ['rows', 'cols'] as const);
  owned(be, 'x', x);
  rank('x', x, 2);
  const [rows, cols] = x.shape;
  if ((op === 'max' || op === 'min') && (axis === 'rows' ? cols : rows) === 0) {
    throw new ShapeError(
      `reduce '${op}' over an empty ${axis === 'rows' ? 'row' : 'column'} has no value (x is ${formatShape(x.shape)})`,
    );
  }
  const run = kernel(be, 'reduce', x.dtype);
  const out = be.zeros(x.dtype, [axis === 'rows' ? rows : cols]);
  await run({ op, axis, x, out, rows, cols });
  return out;
}
