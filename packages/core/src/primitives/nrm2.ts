import type { Backend, DeviceTensor } from '../backend.ts';
import { kernel, owned } from './check.ts';

export interface Nrm2Params<T = DeviceTensor> {
  x: T;
  n: number;
}

declare module '../backend.ts' {
  interface PrimitiveSignatures<T> {
    nrm2(p: Nrm2Params<T>): number | Promise<number>;
  }
}

/** Euclidean norm of all elements, without overflow or underflow in intermediate sums. */
export async function nrm2(be: Backend, x: DeviceTensor): Promise<number> {
  owned(be, 'x', x);
  return kernel(be, 'nrm2', x.dtype)({ x, n: x.size });
}
