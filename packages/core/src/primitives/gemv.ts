import type { Backend, DeviceTensor } from '../backend.ts';
import { BYTES_PER_ELEMENT, type DType } from '../dtype.ts';
import { ArgumentError } from '../errors.ts';
import { checkShape, finiteScalar, kernel, owned, rank, sameDType } from './check.ts';
import type { CostModel } from './cost.ts';

/** y ← α·op(A)·x + β·y, A m×n stored. */
export interface GemvParams<T = DeviceTensor> {
  a: T;
  x: T;
  y: T;
  m: number;
  n: number;
  trans: boolean;
  alpha: number;
  beta: number;
}

declare module '../backend.ts' {
  interface PrimitiveSignatures<T> {
    gemv(p: GemvParams<T>): void | Promise<void>;
  }
}

export function gemvCost(m: number, n: number, dtype: DType): CostModel {
  return { flops: 2 * m * n, bytes: BYTES_PER_ELEMENT[dtype] * (m * n + m + n) };
}

export interface GemvOptions {
  trans?: boolean;
  alpha?: number;
  beta?: number;
  y?: DeviceTensor;
}

/** y ← α·op(A)·x + β·y, A 2-D, x and y 1-D. Returns y. */
export async function gemv(be: Backend, a: DeviceTensor, x: DeviceTensor, o: GemvOptions = {}): Promise<DeviceTensor> {
  owned(be, 'a', a);
  owned(be, 'x', x);
  rank('a', a, 2);
  rank('x', x, 1);
  sameDType('x', x, a.dtype);
  const trans = o.trans ?? false;
  const alpha = o.alpha ?? 1;
  const beta = o.beta ?? 0;
  finiteScalar('alpha', alpha);
  finiteScalar('beta', beta);
  if (o.y === undefined && beta !== 0)
    throw new ArgumentError('beta is non-zero but no y was given to accumulate into');
  const [m, n] = a.shape;
  const [xLen, yLen] = trans ? [m, n] : [n, m];
  checkShape('x', x, [xLen]);
  const run = kernel(be, 'gemv', a.dtype);
  const y = o.y ?? be.zeros(a.dtype, [yLen]);
  owned(be, 'y', y);
  sameDType('y', y, a.dtype);
  checkShape('y', y, [yLen]);
  await run({ a, x, y, m, n, trans, alpha, beta });
  return y;
}
