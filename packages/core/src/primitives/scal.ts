import type { Backend, DeviceTensor } from '../backend.ts';
import { finiteScalar, kernel, owned } from './check.ts';

/** x ← α·x. */
export interface ScalParams<T = DeviceTensor> {
  alpha: number;
  x: T;
  n: number;
}

declare module '../backend.ts' {
  interface PrimitiveSignatures<T> {
    scal(p: ScalParams<T>): void | Promise<void>;
  }
}

/** x ← α·x in place. Returns x. */
export async function scal(be: Backend, alpha: number, x: DeviceTensor): Promise<DeviceTensor> {
  finiteScalar('alpha', alpha);
  owned(be, 'x', x);
  await kernel(be, 'scal', x.dtype)({ alpha, x, n: x.size });
  return x;
}
