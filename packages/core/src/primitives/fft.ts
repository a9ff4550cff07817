import type { Backend, DeviceTensor } from '../backend.ts';
import { BYTES_PER_ELEMENT, type DType } from '../dtype.ts';
import { ArgumentError, ShapeError } from '../errors.ts';
import { formatShape } from '../tensor.ts';
import { kernel, owned, sameDType } from './check.ts';
import type { CostModel } from './cost.ts';

/**
 * Discrete Fourier transform of every row of a [batch, n] complex signal held as two real tensors
 * (re, im): out_k = Σ_j x_j·e^{∓2πi jk/n}, the inverse with the + sign and a factor 1/n (numpy.fft's
 * conventions). Radix-2 Cooley–Tukey, so n is a power of two. Complex numbers are a split pair of
 * real tensors everywhere in lowrank-bench (no complex dtype): every backend's SIMD lanes and WGSL's
 * storage hold reals, and a split pair vectorizes the butterflies without shuffles.
 */
export interface FftParams<T = DeviceTensor> {
  re: T;
  im: T;
  outRe: T;
  outIm: T;
  batch: number;
  n: number;
  inverse: boolean;
}

declare module '../backend.ts' {
  interface PrimitiveSignatures<T> {
    fft(p: FftParams<T>): void | Promise<void>;
  }
}

/** 5·n·log₂n flops per complex transform (the usual count for radix 2); the four arrays move once. */
export function fftCost(batch: number, n: number, dtype: DType): CostModel {
  return { flops: 5 * batch * n * Math.log2(Math.max(n, 1)), bytes: 4 * batch * n * BYTES_PER_ELEMENT[dtype] };
}

/** [batch, n] of a tensor transformed along its last axis; a typed error unless n is a power of two. */
export function rowsOfPowerOfTwo(name: string, t: DeviceTensor, what: string): { batch: number; n: number } {
  if (t.shape.length < 1) throw new ShapeError(`${name} must have rank ≥ 1, got shape ${formatShape(t.shape)}`);
  const n = t.shape[t.shape.length - 1];
  if (n > 0 && (n & (n - 1)) !== 0)
    throw new ArgumentError(`${what} needs a power-of-two length along the last axis (radix 2), got ${n}`);
  return { batch: n === 0 ? 0 : t.size / n, n };
}

export interface FftOptions {
  /** The inverse transform (sign +, scaled by 1/n). Default false. */
  inverse?: boolean;
}

export interface Complex {
  re: DeviceTensor;
  im: DeviceTensor;
}

/** FFT along the last axis of the complex tensor re + i·im (same shape and dtype); new tensors. */
export async function fft(be: Backend, re: DeviceTensor, im: DeviceTensor, o: FftOptions = {}): Promise<Complex> {
  owned(be, 're', re);
  owned(be, 'im', im);
  sameDType('im', im, re.dtype);
  if (im.shape.length !== re.shape.length || im.shape.some((d, i) => d !== re.shape[i]))
    throw new ShapeError(`im has shape ${formatShape(im.shape)} but re has ${formatShape(re.shape)}`);
  const { batch, n } = rowsOfPowerOfTwo('re', re, 'fft');
  const run = kernel(be, 'fft', re.dtype);
  const outRe = be.zeros(re.dtype, re.shape);
  const outIm = be.zeros(re.dtype, re.shape);
  if (batch > 0) await run({ re, im, outRe, outIm, batch, n, inverse: o.inverse ?? false });
  return { re: outRe, im: outIm };
}
