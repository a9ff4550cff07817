import type { Backend, DeviceTensor } from '../backend.ts';
import { kernel, owned, rank } from './check.ts';

export interface TransposeParams<T = DeviceTensor> {
  x: T;
  out: T;
  rows: number;
  cols: number;
}

declare module '../backend.ts' {
  interface PrimitiveSignatures<T> {
    transpose(p: TransposeParams<T>): void | Promise<void>;
  }
}

/** Transpose of a 2-D tensor into a new tensor. */
export async function transpose(be: Backend, x: DeviceTensor): Promise<DeviceTensor> {
  owned(be, 'x', x);
  rank('x', x, 2);
  const [rows, cols] = x.shape;
  const run = kernel(be, 'transpose', x.dtype);
  const out = be.zeros(x.dtype, [cols, rows]);
  await run({ x, out, rows, cols });
  return out;
}
