import type { Backend, DeviceTensor } from '../backend.ts';
import { checkShape, kernel, oneOf, owned, sameDType } from './check.ts';

export const UNARY_OPS = ['neg', 'abs', 'square', 'sqrt', 'exp', 'log', 'tanh', 'relu', 'reciprocal'] as const;

export type UnaryOp = (typeof UNARY_OPS)[number];

export interface UnaryParams<T = DeviceTensor> {
  op: UnaryOp;
  x: T;
  out: T;
  n: number;
}

declare module '../backend.ts' {
  interface PrimitiveSignatures<T> {
    unary(p: UnaryParams<T>): void | Promise<void>;
  }
}

/** Elementwise f(x) into a new tensor (or `out`). */
export async function unary(be: Backend, op: UnaryOp, x: DeviceTensor, out?: DeviceTensor): Promise<DeviceTensor> {
  oneOf('op', op, UNARY_OPS);
  owned(be, 'x', x);
  const run = kernel(be, 'unary', x.dtype);
  const o = out ?? be.zeros(x.dtype, x.shape);
  owned(be, 'out', o);
  sameDType('out', o, x.dtype);
  checkShape('out', o, x.shape);
  await run({ op, x, out: o, n: x.size });
  return o;
}
