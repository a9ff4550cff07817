import type { RandomParams } from '@lowrank/core';
import { u32 } from '../program.ts';
import type { KernelContext } from '../kernel-context.ts';
import type { WebGpuTensor } from '../tensor.ts';
import { elem, enable } from '../shared/dtype.ts';
import { entry1d, grid1d } from '../shared/grid.ts';
import { WGSL_MATH } from '../shared/wgsl-math.ts';

/**
 * The counter-based PRNG of @lowrank/core in WGSL. Philox4x32-10 uses only u32 arithmetic (the high
 * word of each product by 16-bit halves, as in philox.ts), so the words are bit-identical to the CPU
 * backends'. Uniform f32 draws round the 53-bit fraction to nearest-even with integer operations, so
 * they equal the f64 draw rounded to f32 (or f16) exactly. WGSL has no f64: normal draws are Box–Muller in f32
 * (log via logAccurate, cos by a Taylor series on a quarter period), close to but not bit-identical
 * with the CPU draws; the random case declares that tolerance for this backend.
 */
const PHILOX_WGSL = /* wgsl */ `
fn mulhi(a: u32, b: u32) -> u32 {
  let aL = a & 0xffffu; let aH = a >> 16u; let bL = b & 0xffffu; let bH = b >> 16u;
  let lh = aL * bH; let hl = aH * bL;
  let mid = ((aL * bL) >> 16u) + (lh & 0xffffu) + (hl & 0xffffu);
  return aH * bH + (lh >> 16u) + (hl >> 16u) + (mid >> 16u);
}
fn philox(c: vec4u, key: vec2u) -> vec4u {
  var x = c; var k = key;
  for (var r = 0u; r < 10u; r++) {
    if (r > 0u) { k = k + vec2u(0x9e3779b9u, 0xbb67ae85u); }
    let hi0 = mulhi(0xd2511f53u, x.x); let lo0 = 0xd2511f53u * x.x;
    let hi1 = mulhi(0xcd9e8d57u, x.z); let lo1 = 0xcd9e8d57u * x.z;
    x = vec4u(hi1 ^ x.y ^ k.x, lo1, hi0 ^ x.w ^ k.y, lo0);
  }
  return x;
}
// The 53-bit integer x = (a >> 5)·2^26 + (b >> 6) + add, times 2^-53, rounded to nearest-even with
// \`bits\` significant bits and no quantum below 2^(minShift − 53) (f32: 24 and 0; f16: 11 and 29, its
// subnormal spacing 2^-24). Integer arithmetic only, so it equals rounding the f64 draw exactly.
fn roundFraction(a: u32, b: u32, add: u32, bits: u32, minShift: u32) -> f32 {
  var hi = (a >> 5u) >> 6u; // x = hi·2^32 + lo, hi < 2^21
  var lo = ((a >> 5u) << 26u) | (b >> 6u);
  let sum = lo + add;
  if (sum < lo) { hi = hi + 1u; }
  lo = sum;
  let len = select(32u - countLeadingZeros(lo), 64u - countLeadingZeros(hi), hi != 0u);
  let s = max(select(0u, len - bits, len > bits), minShift);
  if (s == 0u) { return f32(lo) * bitcast<f32>(0x25000000u); } // exact: x < 2^bits ≤ 2^24
  // m = x >> s; rem = x mod 2^s compared with half = 2^(s−1), as (high, low) word pairs.
  var m: u32; var remHi: u32; var remLo: u32; var halfHi: u32; var halfLo: u32;
  if (s >= 32u) {
    m = hi >> (s - 32u);
    remHi = hi & ((1u << (s - 32u)) - 1u); remLo = lo;
    if (s == 32u) { halfHi = 0u; halfLo = 0x80000000u; } else { halfHi = 1u << (s - 33u); halfLo = 0u; }
  } else {
    m = (lo >> s) | select(0u, hi << (32u - s), hi != 0u);
    remHi = 0u; remLo = lo & ((1u << s) - 1u);
    halfHi = 0u; halfLo = 1u << (s - 1u);
  }
  let above = remHi > halfHi || (remHi == halfHi && remLo > halfLo);
  let tie = remHi == halfHi && remLo == halfLo;
  if (above || (tie && (m & 1u) == 1u)) { m = m + 1u; }
  // value = m·2^(s − 53); m ≤ 2^24 and the power of two are exact in f32.
  return f32(m) * bitcast<f32>(u32(i32(s) - 53 + 127) << 23u);
}
fn cos2pi(u: f32) -> f32 {
  let w = abs(u - 0.5);
  if (w <= 0.25) {
    let x = 6.2831855 * w; let z = x * x;
    return -(1.0 + z * (-0.5 + z * (0.041666668 + z * (-0.0013888889 + z * (0.0000248016 + z * (-2.7557319e-7 + z * 2.0876757e-9))))));
  }
  let x = 6.2831855 * (w - 0.25); let z = x * x;
  return x * (1.0 + z * (-0.16666667 + z * (0.008333334 + z * (-0.0001984127 + z * (0.0000027557319 + z * (-2.5052108e-8 + z * 1.6059044e-10))))));
}`;

export function random(ctx: KernelContext, p: RandomParams<WebGpuTensor>): Promise<void> {
  const seedHi = Math.floor(p.seed / 2 ** 32) >>> 0;
  const t = elem(p.out.dtype);
  const [bits, minShift] = t === 'f16' ? ['11u', '29u'] : ['24u', '0u'];
  return ctx.run([
    {
      name: `random-${p.dist}`,
      key: `random-${p.dist}-${t}`,
      dispatch: grid1d(p.n),
      buffers: [p.out.buffer],
      uniforms: [
        u32('n', p.n),
        u32('seedLo', p.seed >>> 0),
        u32('seedHi', seedHi),
        u32('stream', p.stream >>> 0),
        u32('offLo', p.offset >>> 0),
        u32('offHi', Math.floor(p.offset / 2 ** 32) >>> 0),
      ],
      code: (uniforms) => `${enable(t)}${WGSL_MATH}${PHILOX_WGSL}
@group(0) @binding(0) var<storage, read_write> out: array<${t}>;
${uniforms}
${entry1d('i', 'p.n')}
  let lo = p.offLo + i;
  let hi = p.offHi + select(0u, 1u, lo < p.offLo);
  let w = philox(vec4u(lo, hi, p.stream, 0u), vec2u(p.seedLo, p.seedHi));
  ${
    p.dist === 'uniform'
      ? `out[i] = ${t}(roundFraction(w.x, w.y, 0u, ${bits}, ${minShift}));`
      : `let u1 = roundFraction(w.x, w.y, 1u, 24u, 0u); let u2 = roundFraction(w.z, w.w, 0u, 24u, 0u);\n  out[i] = ${t}(sqrt(-2.0 * logAccurate(u1)) * cos2pi(u2));`
  }
}`,
    },
  ]);
}
