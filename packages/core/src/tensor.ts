import { allocArray, dtypeOf, type DType, type FloatArray } from './dtype.ts';
import { roundToF16 } from './f16.ts';
import { ArgumentError, NonFiniteError, ShapeError } from './errors.ts';

/** Largest element count a tensor may hold: 2^31 − 1 elements keeps every index an i32 in WASM and WGSL. */
export const MAX_ELEMENTS = 2 ** 31 - 1;

export type Shape = readonly number[];

/** A row-major tensor in host memory: the exchange format between backends, goldens and algorithms. */
export interface HostTensor {
  readonly dtype: DType;
  readonly shape: Shape;
  readonly data: FloatArray;
}

/** Number of elements of a shape, after checking that every extent is a non-negative safe integer. */
export function sizeOf(shape: Shape, name = 'shape'): number {
  let n = 1;
  for (const [i, d] of shape.entries()) {
    if (!Number.isSafeInteger(d) || d < 0) {
      throw new ArgumentError(`${name}[${i}] must be a non-negative integer, got ${String(d)}`);
    }
    n *= d;
  }
  if (n > MAX_ELEMENTS) {
    throw new ArgumentError(`${name} [${shape.join(', ')}] has ${n} elements, more than the limit ${MAX_ELEMENTS}`);
  }
  return n;
}

/** Makes a host tensor; with `data`, checks its length against the shape and its dtype. */
export function hostTensor(dtype: DType, shape: Shape, data?: FloatArray | readonly number[]): HostTensor {
  const n = sizeOf(shape);
  const array = allocArray(dtype, n);
  if (data !== undefined) {
    if (data.length !== n) {
      throw new ShapeError(`data has ${data.length} elements but shape [${shape.join(', ')}] needs ${n}`);
    }
    array.set(data);
    if (dtype === 'f16') for (let i = 0; i < n; i++) array[i] = roundToF16(data[i]);
  }
  return { dtype, shape: [...shape], data: array };
}

/** Wraps an existing typed array without copying. */
export function wrapTensor(shape: Shape, data: FloatArray): HostTensor {
  const n = sizeOf(shape);
  if (data.length !== n) {
    throw new ShapeError(`data has ${data.length} elements but shape [${shape.join(', ')}] needs ${n}`);
  }
  return { dtype: dtypeOf(data), shape: [...shape], data };
}

export function shapeEquals(a: Shape, b: Shape): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

export function formatShape(shape: Shape): string {
  return `[${shape.join('×')}]`;
}

/** Throws `NonFiniteError` naming the tensor and the first offending index. */
export function assertFinite(name: string, data: ArrayLike<number>): void {
  for (let i = 0; i < data.length; i++) {
    if (!Number.isFinite(data[i])) {
      throw new NonFiniteError(`${name}[${i}] is ${data[i]}; this operation needs finite values`);
    }
  }
}

/** The same values in another dtype (f64 → f32 rounds to nearest). */
export function castTensor(t: HostTensor, dtype: DType): HostTensor {
  return t.dtype === dtype ? t : hostTensor(dtype, t.shape, t.data);
}
