import type { Backend, DeviceTensor } from '../backend.ts';
import { checkShape, kernel, oneOf, owned, sameDType } from './check.ts';

export const BINARY_OPS = ['add', 'sub', 'mul', 'div', 'max', 'min'] as const;

export type BinaryOp = (typeof BINARY_OPS)[number];

export interface BinaryParams<T = DeviceTensor> {
  op: BinaryOp;
  x: T;
  y: T;
  out: T;
  n: number;
}

declare module '../backend.ts' {
  interface PrimitiveSignatures<T> {
    binary(p: BinaryParams<T>): void | Promise<void>;
  }
}

/** Elementwise x ∘ y (same shapes) into a new tensor (or `out`). */
export async function binary(
  be: Backend,
  op: BinaryOp,
  x: DeviceTensor,
  y: DeviceTensor,
  out?: DeviceTensor,
): Promise<DeviceTensor> {
  oneOf('op', op, BINARY_OPS);
  owned(be, 'x', x);
  owned(be, 'y', y);
  sameDType('y', y, x.dtype);
  checkShape('y', y, x.shape);
  const run = kernel(be, 'binary', x.dtype);
  const o = out ?? be.zeros(x.dtype, x.shape);
  owned(be, 'out', o);
  sameDType('out', o, x.dtype);
  checkShape('out', o, x.shape);
  await run({ op, x, y, out: o, n: x.size });
  return o;
}
