/**
 * log and cos built from +, −, ×, ÷ alone, in a fixed order of operations. IEEE 754 rounds each of
 * these exactly the same way in V8, AssemblyScript/WASM and numpy (none of them contracts a·b+c into
 * an FMA), so Gaussian draws are bit-identical across TypeScript, WASM and the Python golden
 * generator. Library log/cos give no such promise (V8's fdlibm port and glibc differ in the last ulp).
 * Accuracy: both are within a few ulp of the true function on the ranges used by Box–Muller; that only
 * affects how Gaussian the draws are, never their reproducibility.
 */

/**
 * Coefficients, written as shortest round-trip decimal literals so that TypeScript, AssemblyScript and
 * Python parse them to the same doubles: 1/(2k+1) for log(m) = 2s·Σ s^{2k}/(2k+1) (atanh series),
 * (−1)^k/(2k)! for cos and (−1)^k/(2k+1)! for sin, k = 0..12.
 */
export const ATANH_COEFFS: readonly number[] = [
  1.0, 0.3333333333333333, 0.2, 0.14285714285714285, 0.1111111111111111, 0.09090909090909091, 0.07692307692307693,
  0.06666666666666667, 0.058823529411764705, 0.05263157894736842, 0.047619047619047616, 0.043478260869565216, 0.04,
];
export const COS_COEFFS: readonly number[] = [
  1.0, -0.5, 0.041666666666666664, -0.0013888888888888887, 2.4801587301587298e-5, -2.755731922398589e-7,
  2.0876756987868096e-9, -1.1470745597729723e-11, 4.7794773323873846e-14, -1.5619206968586225e-16,
  4.1103176233121644e-19, -8.896791392450572e-22, 1.6117375710961182e-24,
];
export const SIN_COEFFS: readonly number[] = [
  1.0, -0.16666666666666666, 0.008333333333333333, -0.0001984126984126984, 2.7557319223985893e-6, -2.505210838544172e-8,
  1.6059043836821616e-10, -7.647163731819817e-13, 2.811457254345521e-15, -8.220635246624331e-18, 1.9572941063391266e-20,
  -3.868170170630685e-23, 6.446950284384475e-26,
];

const LN2_HI = 0.6931471803691238; // ln 2 with its low 32 bits zero (fdlibm): e·LN2_HI is exact
const LN2_LO = 1.9082149292705877e-10;
const SQRT2 = 1.4142135623730951;
const TWO_PI = 6.283185307179586;

const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);
const HI = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 1 : 0; // index of the high word

function horner(coeffs: readonly number[], z: number): number {
  let p = coeffs[coeffs.length - 1];
  for (let k = coeffs.length - 2; k >= 0; k--) p = p * z + coeffs[k];
  return p;
}

/** Natural log of a positive normal double. */
export function detLog(x: number): number {
  f64[0] = x;
  let e = ((u32[HI] >>> 20) & 0x7ff) - 1023;
  u32[HI] = (u32[HI] & 0x800fffff) | 0x3ff00000; // mantissa scaled into [1, 2)
  let m = f64[0];
  if (m > SQRT2) {
    m = m / 2;
    e = e + 1;
  }
  const s = (m - 1) / (m + 1);
  const logM = 2 * s * horner(ATANH_COEFFS, s * s);
  return e * LN2_HI + (logM + e * LN2_LO);
}

/** cos(2πu) for u ∈ [0, 1), reduced to a quarter period so the Taylor series converges fast. */
export function detCos2Pi(u: number): number {
  const w = Math.abs(u - 0.5); // cos(2πu) = −cos(2πw); exact for u on the 2^-53 grid
  if (w <= 0.25) {
    const x = TWO_PI * w;
    return -horner(COS_COEFFS, x * x);
  }
  const x = TWO_PI * (w - 0.25); // −cos(2πw) = sin(2π(w − ¼))
  return x * horner(SIN_COEFFS, x * x);
}
