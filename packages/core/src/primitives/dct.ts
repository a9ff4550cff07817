import type { Backend, DeviceTensor } from '../backend.ts';
import { BYTES_PER_ELEMENT, type DType } from '../dtype.ts';
import { kernel, owned } from './check.ts';
import type { CostModel } from './cost.ts';
import { rowsOfPowerOfTwo } from './fft.ts';

/**
 * Orthonormal DCT-II of every row of x [batch, n] (scipy.fft.dct(x, type=2, norm='ortho')):
 * out_k = c_k Σ_j x_j cos(πk(2j+1)/(2n)), c_0 = √(1/n), c_k = √(2/n); `inverse` applies its transpose,
 * the orthonormal DCT-III. Every backend computes it by Makhoul's method (IEEE TASSP 28(1), 1980): the
 * even samples then the odd ones reversed, one complex FFT of length n, a quarter-wave twiddle
 * (the inverse reverses the three steps), so n is a power of two like the FFT's.
 */
export interface DctParams<T = DeviceTensor> {
  x: T;
  out: T;
  batch: number;
  n: number;
  inverse: boolean;
}

declare module '../backend.ts' {
  interface PrimitiveSignatures<T> {
    dct(p: DctParams<T>): void | Promise<void>;
  }
}

/** One complex FFT of length n per row plus 6n for the permutation and twiddle; x read, out written. */
export function dctCost(batch: number, n: number, dtype: DType): CostModel {
  return {
    flops: batch * (5 * n * Math.log2(Math.max(n, 1)) + 6 * n),
    bytes: 2 * batch * n * BYTES_PER_ELEMENT[dtype],
  };
}

export interface DctOptions {
  /** The orthonormal DCT-III, inverse (and transpose) of the DCT-II. Default false. */
  inverse?: boolean;
}

/** Orthonormal DCT-II (or, inverse, DCT-III) along the last axis of x; a new tensor. */
export async function dct(be: Backend, x: DeviceTensor, o: DctOptions = {}): Promise<DeviceTensor> {
  owned(be, 'x', x);
  const { batch, n } = rowsOfPowerOfTwo('x', x, 'dct');
  const run = kernel(be, 'dct', x.dtype);
  const out = be.zeros(x.dtype, x.shape);
  if (batch > 0) await run({ x, out, batch, n, inverse: o.inverse ?? false });
  return out;
}
