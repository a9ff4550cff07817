import type { Backend, DeviceTensor } from '../backend.ts';
import { kernel, vectorPair } from './check.ts';

export interface DotParams<T = DeviceTensor> {
  x: T;
  y: T;
  n: number;
}

declare module '../backend.ts' {
  interface PrimitiveSignatures<T> {
    dot(p: DotParams<T>): number | Promise<number>;
  }
}

/** xᵀy over all elements. */
export async function dot(be: Backend, x: DeviceTensor, y: DeviceTensor): Promise<number> {
  const n = vectorPair(be, x, y);
  return kernel(be, 'dot', x.dtype)({ x, y, n });
}
