import type { Backend, DeviceTensor } from '../backend.ts';
import type { DType } from '../dtype.ts';
import { ArgumentError } from '../errors.ts';
import { checkStreamId, type Distribution } from '../rng/stream.ts';
import { type Shape, sizeOf } from '../tensor.ts';
import { kernel, oneOf } from './check.ts';

export interface RandomParams<T = DeviceTensor> {
  out: T;
  n: number;
  dist: Distribution;
  seed: number;
  stream: number;
  offset: number;
}

declare module '../backend.ts' {
  interface PrimitiveSignatures<T> {
    random(p: RandomParams<T>): void | Promise<void>;
  }
}

export interface RandomOptions {
  dist: Distribution;
  seed: number;
  stream?: number;
  offset?: number;
}

/** A tensor filled on the device from the counter-based stream (bit-identical to `fillRandom`). */
export async function random(be: Backend, dtype: DType, shape: Shape, o: RandomOptions): Promise<DeviceTensor> {
  const stream = o.stream ?? 0;
  const offset = o.offset ?? 0;
  checkStreamId({ seed: o.seed, stream });
  oneOf('dist', o.dist, ['uniform', 'normal'] as const);
  if (!Number.isSafeInteger(offset) || offset < 0)
    throw new ArgumentError(`offset must be a non-negative integer, got ${offset}`);
  const n = sizeOf(shape);
  const run = kernel(be, 'random', dtype);
  const out = be.zeros(dtype, shape);
  await run({ out, n, dist: o.dist, seed: o.seed, stream, offset });
  return out;
}
