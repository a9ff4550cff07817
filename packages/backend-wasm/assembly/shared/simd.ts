// SIMD helpers shared by the kernels. ASC_FEATURE_RELAXED_SIMD is a compile-time constant: the
// relaxed build gets a fused multiply-add (one rounding), the plain build a multiply then an add
// (two roundings). Error bounds quoted beside each kernel hold for both (they assume two roundings).

/** acc + a·b on four f32 lanes. */
// @ts-ignore: decorator
@inline export function madd4(a: v128, b: v128, acc: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, acc);
  return f32x4.add(f32x4.mul(a, b), acc);
}

/** acc + a·b on two f64 lanes. */
// @ts-ignore: decorator
@inline export function madd2(a: v128, b: v128, acc: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f64x2.relaxed_madd(a, b, acc);
  return f64x2.add(f64x2.mul(a, b), acc);
}

/** Horizontal sum of four f32 lanes, in f32. */
// @ts-ignore: decorator
@inline export function hsum4(v: v128): f32 {
  return (f32x4.extract_lane(v, 0) + f32x4.extract_lane(v, 1)) + (f32x4.extract_lane(v, 2) + f32x4.extract_lane(v, 3));
}

/** Horizontal sum of two f64 lanes. */
// @ts-ignore: decorator
@inline export function hsum2(v: v128): f64 {
  return f64x2.extract_lane(v, 0) + f64x2.extract_lane(v, 1);
}

/** Horizontal sum of the lanes of T, in T (hsum4 or hsum2). */
// @ts-ignore: decorator
@inline export function hsum<T>(v: v128): T { return sizeof<T>() == 4 ? <T>hsum4(v) : <T>hsum2(v); }

/** acc + a·b on the lanes of T (madd4 or madd2). */
// @ts-ignore: decorator
@inline export function vmadd<T>(a: v128, b: v128, acc: v128): v128 {
  return sizeof<T>() == 4 ? madd4(a, b, acc) : madd2(a, b, acc);
}

/** Elements of T in one 16-byte vector. */
// @ts-ignore: decorator
@inline export function lanes<T>(): i32 { return 16 / sizeof<T>(); }

/** a + b, a − b and a·b on the lanes of T. */
// @ts-ignore: decorator
@inline export function vadd<T>(a: v128, b: v128): v128 { return sizeof<T>() == 4 ? f32x4.add(a, b) : f64x2.add(a, b); }
// @ts-ignore: decorator
@inline export function vsub<T>(a: v128, b: v128): v128 { return sizeof<T>() == 4 ? f32x4.sub(a, b) : f64x2.sub(a, b); }
// @ts-ignore: decorator
@inline export function vmul<T>(a: v128, b: v128): v128 { return sizeof<T>() == 4 ? f32x4.mul(a, b) : f64x2.mul(a, b); }
