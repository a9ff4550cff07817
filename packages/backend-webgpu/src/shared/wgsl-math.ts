/**
 * exp, log and tanh for f32 in WGSL built from +, −, × and bit operations. WGSL's builtins are not
 * good enough to verify against: log has an *absolute* error of 2^-21 on [0.5, 2] (so no relative
 * accuracy near x = 1) and exp's bound grows as 3 + 2|x| ulp (WGSL spec, §15.5). These keep a few
 * ulp of relative error everywhere, like the CPU backends. WGSL +, −, × are correctly rounded; ÷ is
 * within 2.5 ulp, used once per call.
 */
export const WGSL_MATH = /* wgsl */ `
// Private variables, not constants: WGSL rejects a constant expression that evaluates to ±Inf or NaN.
var<private> INF_BITS: u32 = 0x7f800000u;
var<private> NAN_BITS: u32 = 0x7fc00000u;
fn inf32() -> f32 { return bitcast<f32>(INF_BITS); }
fn nan32() -> f32 { return bitcast<f32>(NAN_BITS); }
fn isNan32(x: f32) -> bool { return (bitcast<u32>(x) & 0x7fffffffu) > 0x7f800000u; }

// log(x) = e·ln2 + 2·atanh(s), s = (m−1)/(m+1), m ∈ [√½, √2): |s| ≤ 0.1716, 6 series terms reach 2^-24.
fn logAccurate(x: f32) -> f32 {
  let bits = bitcast<u32>(x);
  if (x <= 0.0 || bits >= 0x7f800000u) {
    if (x == 0.0) { return -inf32(); }
    if (bits == 0x7f800000u) { return x; }
    return nan32();
  }
  var e = i32((bits >> 23u) & 0xffu) - 127;
  var m = bitcast<f32>((bits & 0x007fffffu) | 0x3f800000u);
  if (e == -127) { // subnormal: renormalize
    let y = x * 8388608.0;
    let b2 = bitcast<u32>(y);
    e = i32((b2 >> 23u) & 0xffu) - 127 - 23;
    m = bitcast<f32>((b2 & 0x007fffffu) | 0x3f800000u);
  }
  if (m > 1.41421356) { m = m * 0.5; e = e + 1; }
  let s = (m - 1.0) / (m + 1.0);
  let z = s * s;
  let poly = 1.0 + z * (0.33333334 + z * (0.2 + z * (0.14285715 + z * (0.11111111 + z * 0.09090909))));
  let ef = f32(e);
  return ef * 0.693145751953125 + (2.0 * s * poly + ef * 1.4286068203094172e-6);
}

// exp(x) = 2^k·exp(r), r = x − k·ln2 with ln2 split so k·ln2_hi is exact; degree-7 Taylor on |r| ≤ ln2/2.
fn expAccurate(x: f32) -> f32 {
  if (isNan32(x)) { return x; }
  if (x > 88.72284) { return inf32(); }
  if (x < -103.97208) { return 0.0; }
  let k = round(x * 1.44269504);
  let r = (x - k * 0.693145751953125) - k * 1.4286068203094172e-6;
  let p = 1.0 + r * (1.0 + r * (0.5 + r * (0.16666667 + r * (0.041666668 + r * (0.008333334 + r * (0.0013888889 + r * 0.0001984127))))));
  // 2^k in two factors so that k down to −149 (subnormal results) and up to 128 stay representable.
  let k1 = i32(k) / 2;
  let k2 = i32(k) - k1;
  return p * bitcast<f32>(u32(k1 + 127) << 23u) * bitcast<f32>(u32(k2 + 127) << 23u);
}

// tanh: odd Taylor series below |x| = 0.25 (next term < 2^-26 relative), else 1 − 2/(exp(2|x|) + 1).
fn tanhAccurate(x: f32) -> f32 {
  if (isNan32(x)) { return x; }
  let a = abs(x);
  if (a < 0.25) {
    let z = x * x;
    return x * (1.0 + z * (-0.33333334 + z * (0.13333334 + z * (-0.053968254 + z * 0.021869488))));
  }
  if (a > 9.1) { return sign(x); }
  let t = 1.0 - 2.0 / (expAccurate(2.0 * a) + 1.0);
  return select(t, -t, x < 0.0);
}
`;
