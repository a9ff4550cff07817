import type { Backend, DeviceTensor } from '../backend.ts';
import { BYTES_PER_ELEMENT, type DType } from '../dtype.ts';
import { ArgumentError, ShapeError } from '../errors.ts';
import { formatShape } from '../tensor.ts';
import { kernel, owned } from './check.ts';
import type { CostModel } from './cost.ts';
import { rowsOfPowerOfTwo } from './fft.ts';

/**
 * Orthonormal discrete cosine transforms of every row of x [batch, n], as scipy.fft.dct(x, type, norm='ortho'):
 *
 * - 'ii' (type 2): out_k = c_k Σ_j x_j cos(πk(2j+1)/(2n)), c_0 = √(1/n), c_k = √(2/n); by Makhoul's method
 *   (IEEE TASSP 28(1), 1980): the even samples then the odd ones reversed, one complex FFT of length n, a
 *   quarter-wave twiddle. n is a power of two.
 * - 'iii' (type 3): the transpose and inverse of 'ii', the three steps reversed.
 * - 'i' (type 1): out_k = f·Σ_j w_j x_j cos(πjk/(n−1)) with the ends weighted √2 in and 1/√2 out,
 *   f = √(1/(2(n−1))): the real part of one FFT of the even extension (x₀ … x_{n−1} … x₁, length
 *   2(n−1)). It is its own inverse; n − 1 is a power of two (Chebyshev–Gauss–Lobatto grids, S31).
 */
export type DctKind = 'i' | 'ii' | 'iii';

export interface DctParams<T = DeviceTensor> {
  x: T;
  out: T;
  batch: number;
  n: number;
  kind: DctKind;
}

declare module '../backend.ts' {
  interface PrimitiveSignatures<T> {
    dct(p: DctParams<T>): void | Promise<void>;
  }
}

/** The FFT length a DCT of length n runs: n, or 2(n − 1) for type 1. */
export function dctFftLength(n: number, kind: DctKind): number {
  return kind === 'i' ? 2 * (n - 1) : n;
}

/** One complex FFT per row (5M·log₂M, M its length) plus 6n for the permutation and twiddle; x read, out written. */
export function dctCost(batch: number, n: number, dtype: DType, kind: DctKind = 'ii'): CostModel {
  const m = dctFftLength(n, kind);
  return {
    flops: batch * (5 * m * Math.log2(Math.max(m, 1)) + 6 * n),
    bytes: 2 * batch * n * BYTES_PER_ELEMENT[dtype],
  };
}

export interface DctOptions {
  /** 2 (default), or 1: see DctKind. */
  type?: 1 | 2;
  /** The inverse: DCT-III for type 2; type 1 is its own inverse. Default false. */
  inverse?: boolean;
}

/** An orthonormal DCT along the last axis of x (DCT-II by default); a new tensor. */
export async function dct(be: Backend, x: DeviceTensor, o: DctOptions = {}): Promise<DeviceTensor> {
  owned(be, 'x', x);
  const type = o.type ?? 2;
  if (type !== 1 && type !== 2) throw new ArgumentError(`dct type must be 1 or 2, got ${String(type)}`);
  let rows: { batch: number; n: number };
  if (type === 2) rows = rowsOfPowerOfTwo('x', x, 'dct');
  else {
    if (x.shape.length < 1) throw new ShapeError(`x must have rank ≥ 1, got shape ${formatShape(x.shape)}`);
    const n = x.shape[x.shape.length - 1];
    const m = n - 1;
    if (n !== 0 && (m < 1 || (m & (m - 1)) !== 0))
      throw new ArgumentError(`dct type 1 needs a length 2^k + 1 along the last axis (k ≥ 0), got ${n}`);
    rows = { batch: n === 0 ? 0 : x.size / n, n };
  }
  const kind: DctKind = type === 1 ? 'i' : o.inverse === true ? 'iii' : 'ii';
  const run = kernel(be, 'dct', x.dtype);
  const out = be.zeros(x.dtype, x.shape);
  if (rows.batch > 0) await run({ x, out, batch: rows.batch, n: rows.n, kind });
  return out;
}
