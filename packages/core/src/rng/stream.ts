import { allocArray, type DType, type FloatArray } from '../dtype.ts';
import { ArgumentError } from '../errors.ts';
import { detCos2Pi, detLog } from './detmath.ts';
import { philox4x32 } from './philox.ts';

/**
 * A random stream is addressed by (seed, stream): key = seed split into two u32 words, and element i
 * uses the Philox block at counter (i mod 2^32, ⌊i / 2^32⌋, stream, 0). Element i never depends on
 * element i−1, so any backend can fill any slice in parallel and get the same numbers.
 */
export interface StreamId {
  /** Integer in [0, 2^53). */
  readonly seed: number;
  /** Integer in [0, 2^32): separates independent streams under one seed (A, B, noise…). */
  readonly stream: number;
}

export type Distribution = 'uniform' | 'normal';

const TWO_POW_32 = 2 ** 32;
const TWO_POW_26 = 2 ** 26;
const TWO_POW_M53 = 2 ** -53;

export function checkStreamId({ seed, stream }: StreamId): void {
  if (!Number.isSafeInteger(seed) || seed < 0)
    throw new ArgumentError(`seed must be an integer in [0, 2^53), got ${seed}`);
  if (!Number.isInteger(stream) || stream < 0 || stream >= TWO_POW_32) {
    throw new ArgumentError(`stream must be an integer in [0, 2^32), got ${stream}`);
  }
}

/** The four u32 words of block `index`. */
export function blockAt(id: StreamId, index: number, out: Uint32Array): void {
  philox4x32(
    index >>> 0,
    Math.floor(index / TWO_POW_32) >>> 0,
    id.stream >>> 0,
    0,
    id.seed >>> 0,
    Math.floor(id.seed / TWO_POW_32) >>> 0,
    out,
  );
}

/** 53 random bits from two words: an integer in [0, 2^53). */
function bits53(w0: number, w1: number): number {
  return (w0 >>> 5) * TWO_POW_26 + (w1 >>> 6);
}

/** Uniform on [0, 1) from words 0 and 1 of the block (exact multiple of 2^-53). */
export function uniformFromBlock(b: Uint32Array): number {
  return bits53(b[0], b[1]) * TWO_POW_M53;
}

/** Standard normal by Box–Muller (cosine branch), u1 ∈ (0, 1] from words 0–1, u2 ∈ [0, 1) from words 2–3. */
export function normalFromBlock(b: Uint32Array): number {
  const u1 = (bits53(b[0], b[1]) + 1) * TWO_POW_M53;
  const u2 = bits53(b[2], b[3]) * TWO_POW_M53;
  return Math.sqrt(-2 * detLog(u1)) * detCos2Pi(u2);
}

/**
 * Fills `count` elements starting at element `offset` of the stream. f32 output is the f64 draw
 * rounded to nearest, so an f32 and an f64 tensor from one stream agree to f32 rounding.
 */
export function fillRandom(id: StreamId, dist: Distribution, dtype: DType, count: number, offset = 0): FloatArray {
  checkStreamId(id);
  const out = allocArray(dtype, count);
  const block = new Uint32Array(4);
  const draw = dist === 'uniform' ? uniformFromBlock : normalFromBlock;
  for (let i = 0; i < count; i++) {
    blockAt(id, offset + i, block);
    out[i] = draw(block);
  }
  return out;
}
