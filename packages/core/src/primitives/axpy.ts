import type { Backend, DeviceTensor } from '../backend.ts';
import { ShapeError } from '../errors.ts';
import { formatShape, type Shape, sizeOf } from '../tensor.ts';
import { finiteScalar, kernel, owned, vectorPair } from './check.ts';

/** y ← α·x + y. */
export interface AxpyParams<T = DeviceTensor> {
  alpha: number;
  x: T;
  y: T;
  n: number;
}

declare module '../backend.ts' {
  interface PrimitiveSignatures<T> {
    axpy(p: AxpyParams<T>): void | Promise<void>;
  }
}

/** y ← α·x + y in place. Returns y. */
export async function axpy(be: Backend, alpha: number, x: DeviceTensor, y: DeviceTensor): Promise<DeviceTensor> {
  finiteScalar('alpha', alpha);
  const n = vectorPair(be, x, y);
  await kernel(be, 'axpy', x.dtype)({ alpha, x, y, n });
  return y;
}

/**
 * The same elements in a new shape (row-major order kept), as a new tensor: y ← 1·x into zeros of
 * the new shape, through the axpy kernel every backend has (tensors own their buffers, so no view).
 */
export async function reshape(be: Backend, x: DeviceTensor, shape: Shape): Promise<DeviceTensor> {
  owned(be, 'x', x);
  if (sizeOf(shape) !== x.size)
    throw new ShapeError(
      `cannot reshape ${formatShape(x.shape)} (${x.size} elements) to ${formatShape(shape)} (${sizeOf(shape)})`,
    );
  const y = be.zeros(x.dtype, shape);
  await kernel(be, 'axpy', x.dtype)({ alpha: 1, x, y, n: x.size });
  return y;
}

/** A new tensor with the same shape and elements (tensors own their buffers, so this is the way to keep a value while the original is updated). */
export function copy(be: Backend, x: DeviceTensor): Promise<DeviceTensor> {
  return reshape(be, x, x.shape);
}
