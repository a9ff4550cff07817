// The counter-based PRNG of @lowrank/core (packages/core/src/rng), written again for WASM so each
// thread fills its slice of a tensor without any shared state. Philox4x32-10 (Salmon et al., SC'11),
// then uniform = 53 bits / 2^53 and normal = Box–Muller with log and cos built from +, −, ×, ÷ in the
// same order and with the same decimal coefficients as detmath.ts: the draws are bit-identical.
const M0: u32 = 0xd2511f53;
const M1: u32 = 0xcd9e8d57;
const W0: u32 = 0x9e3779b9;
const W1: u32 = 0xbb67ae85;

let w0: u32 = 0, w1: u32 = 0, w2: u32 = 0, w3: u32 = 0;

function philox(c0: u32, c1: u32, c2: u32, c3: u32, k0: u32, k1: u32): void {
  for (let r = 0; r < 10; r++) {
    if (r > 0) {
      k0 += W0;
      k1 += W1;
    }
    const p0 = <u64>M0 * <u64>c0;
    const p1 = <u64>M1 * <u64>c2;
    const hi0 = <u32>(p0 >> 32), lo0 = <u32>p0;
    const hi1 = <u32>(p1 >> 32), lo1 = <u32>p1;
    c0 = hi1 ^ c1 ^ k0;
    c1 = lo1;
    c2 = hi0 ^ c3 ^ k1;
    c3 = lo0;
  }
  w0 = c0; w1 = c1; w2 = c2; w3 = c3;
}

/** One block of words into memory: used by the known-answer test. */
export function philoxBlock(c0: u32, c1: u32, c2: u32, c3: u32, k0: u32, k1: u32, out: usize): void {
  philox(c0, c1, c2, c3, k0, k1);
  store<u32>(out, w0); store<u32>(out, w1, 4); store<u32>(out, w2, 8); store<u32>(out, w3, 12);
}

// @ts-ignore: decorator
@inline function bits53(a: u32, b: u32): f64 {
  return <f64>(a >> 5) * 67108864.0 + <f64>(b >> 6);
}

const LN2_HI: f64 = 0.6931471803691238;

const LN2_LO: f64 = 1.9082149292705877e-10;

const SQRT2: f64 = 1.4142135623730951;

const TWO_PI: f64 = 6.283185307179586;

function detLog(x: f64): f64 {
  const bits = reinterpret<u64>(x);
  let e = <i32>((bits >> 52) & 0x7ff) - 1023;
  let m = reinterpret<f64>((bits & 0x800fffffffffffff) | 0x3ff0000000000000);
  if (m > SQRT2) {
    m = m / 2;
    e = e + 1;
  }
  const s = (m - 1) / (m + 1);
  const z = s * s;
  let p: f64 = 0.04;
  p = p * z + 0.043478260869565216;
  p = p * z + 0.047619047619047616;
  p = p * z + 0.05263157894736842;
  p = p * z + 0.058823529411764705;
  p = p * z + 0.06666666666666667;
  p = p * z + 0.07692307692307693;
  p = p * z + 0.09090909090909091;
  p = p * z + 0.1111111111111111;
  p = p * z + 0.14285714285714285;
  p = p * z + 0.2;
  p = p * z + 0.3333333333333333;
  p = p * z + 1.0;
  const logM = 2 * s * p;
  const ef = <f64>e;
  return ef * LN2_HI + (logM + ef * LN2_LO);
}

function cosPoly(z: f64): f64 {
  let p: f64 = 1.6117375710961182e-24;
  p = p * z + -8.896791392450572e-22;
  p = p * z + 4.1103176233121644e-19;
  p = p * z + -1.5619206968586225e-16;
  p = p * z + 4.7794773323873846e-14;
  p = p * z + -1.1470745597729723e-11;
  p = p * z + 2.0876756987868096e-9;
  p = p * z + -2.755731922398589e-7;
  p = p * z + 2.4801587301587298e-5;
  p = p * z + -0.0013888888888888887;
  p = p * z + 0.041666666666666664;
  p = p * z + -0.5;
  p = p * z + 1.0;
  return p;
}

function sinPoly(z: f64): f64 {
  let p: f64 = 6.446950284384475e-26;
  p = p * z + -3.868170170630685e-23;
  p = p * z + 1.9572941063391266e-20;
  p = p * z + -8.220635246624331e-18;
  p = p * z + 2.811457254345521e-15;
  p = p * z + -7.647163731819817e-13;
  p = p * z + 1.6059043836821616e-10;
  p = p * z + -2.505210838544172e-8;
  p = p * z + 2.7557319223985893e-6;
  p = p * z + -0.0001984126984126984;
  p = p * z + 0.008333333333333333;
  p = p * z + -0.16666666666666666;
  p = p * z + 1.0;
  return p;
}

function detCos2Pi(u: f64): f64 {
  const w = abs<f64>(u - 0.5);
  if (w <= 0.25) {
    const x = TWO_PI * w;
    return -cosPoly(x * x);
  }
  const x = TWO_PI * (w - 0.25);
  return x * sinPoly(x * x);
}

/** Fills n elements from stream (seed, stream) starting at element `offset`; dist 0 uniform, 1 normal. */
export function random<T>(out: usize, n: i32, dist: i32, seed: f64, stream: u32, offset: f64): void {
  const s = <u64>seed;
  const k0 = <u32>s, k1 = <u32>(s >> 32);
  const base = <u64>offset;
  for (let i = 0; i < n; i++) {
    const idx = base + <u64>i;
    philox(<u32>idx, <u32>(idx >> 32), stream, 0, k0, k1);
    let v: f64;
    if (dist == 0) {
      v = bits53(w0, w1) * 1.1102230246251565e-16;
    } else {
      const u1 = (bits53(w0, w1) + 1) * 1.1102230246251565e-16;
      const u2 = bits53(w2, w3) * 1.1102230246251565e-16;
      v = Math.sqrt(-2 * detLog(u1)) * detCos2Pi(u2);
    }
    store<T>(out + <usize>i * sizeof<T>(), <T>v);
  }
}

// The exports, as src/abi.ts declares them (index.ts re-exports every one).
export function random_f32(out: usize, n: i32, dist: i32, seed: f64, stream: u32, offset: f64): void { random<f32>(out, n, dist, seed, stream, offset); }
export function random_f64(out: usize, n: i32, dist: i32, seed: f64, stream: u32, offset: f64): void { random<f64>(out, n, dist, seed, stream, offset); }
