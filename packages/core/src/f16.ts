/**
 * IEEE 754 binary16 (half precision) on the host. JavaScript has no Float16Array in Node 20, so f16
 * tensors live in Float32Arrays holding f16-representable values; these functions round (from f64,
 * once, to nearest even, as numpy's astype(float16)) and convert to and from the 16-bit encoding a
 * GPU buffer holds.
 */
const MAX_F16 = 65504;

/** x rounded to the nearest binary16 value (ties to even), ±Inf beyond the range, NaN kept. */
export function roundToF16(x: number): number {
  if (!Number.isFinite(x) || x === 0) return x;
  const a = Math.abs(x);
  // Quantum (spacing) of binary16 at |x|: 2^(e − 10) for normal numbers, 2^-24 below 2^-14.
  const e = Math.max(Math.floor(Math.log2(a)), -14);
  let q = 2 ** (e - 10);
  if (a / q >= 2048)
    q *= 2; // log2 rounding up near a power of two
  else if (a / q < 1024 && e > -14) q /= 2;
  const y = a / q;
  let r = Math.floor(y);
  const d = y - r;
  if (d > 0.5 || (d === 0.5 && r % 2 === 1)) r += 1;
  const v = r * q;
  return Math.sign(x) * (v > MAX_F16 ? Infinity : v);
}

/** The 16-bit encoding of an f16-representable value. */
export function f16Bits(v: number): number {
  if (Number.isNaN(v)) return 0x7e00;
  const sign = v < 0 || Object.is(v, -0) ? 0x8000 : 0;
  const a = Math.abs(v);
  if (a === Infinity) return sign | 0x7c00;
  if (a < 2 ** -14) return sign | Math.round(a / 2 ** -24);
  const e = Math.floor(Math.log2(a));
  const exp = a / 2 ** e >= 2 ? e + 1 : a / 2 ** e < 1 ? e - 1 : e;
  return sign | ((exp + 15) << 10) | Math.round((a / 2 ** exp - 1) * 1024);
}

/** The value of a 16-bit encoding. */
export function fromF16Bits(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >> 10) & 0x1f,
    mant = h & 0x3ff;
  if (exp === 0) return sign * mant * 2 ** -24;
  if (exp === 31) return mant === 0 ? sign * Infinity : NaN;
  return sign * (1 + mant / 1024) * 2 ** (exp - 15);
}
