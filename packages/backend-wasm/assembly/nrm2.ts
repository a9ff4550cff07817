// Level-1 BLAS. Vectors are processed 16 bytes at a time with a scalar tail.
import { hsum2, lanes } from './shared/simd';

/** max |x_i|, NaN if any x_i is NaN (wasm max propagates NaN). */
export function absmax<T>(x: usize, n: i32): f64 {
  const L = lanes<T>();
  let m = v128.splat<T>(0);
  let i = 0;
  for (; i + L <= n; i += L) m = v128.max<T>(m, v128.abs<T>(v128.load(x + <usize>i * sizeof<T>())));
  let r: f64 = 0;
  if (sizeof<T>() == 4) {
    r = max(max(<f64>f32x4.extract_lane(m, 0), <f64>f32x4.extract_lane(m, 1)), max(<f64>f32x4.extract_lane(m, 2), <f64>f32x4.extract_lane(m, 3)));
  } else {
    r = max(f64x2.extract_lane(m, 0), f64x2.extract_lane(m, 1));
  }
  for (; i < n; i++) r = max(r, <f64>abs<T>(load<T>(x + <usize>i * sizeof<T>())));
  return r;
}

/**
 * ‖x‖₂ of f32 data: squares summed in f64 (|x|² ≤ 1.2e77 for any finite f32, so no overflow and no
 * scaling), error ≤ γ_n in f64, far below f32 resolution.
 */
export function nrm2_f32(x: usize, n: i32): f64 {
  let s0 = f64x2.splat(0), s1 = f64x2.splat(0);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const v = v128.load(x + (<usize>i << 2));
    const lo = f64x2.promote_low_f32x4(v);
    const hi = f64x2.promote_low_f32x4(v128.shuffle<f32>(v, v, 2, 3, 0, 1));
    s0 = f64x2.add(s0, f64x2.mul(lo, lo));
    s1 = f64x2.add(s1, f64x2.mul(hi, hi));
  }
  let s = f64x2.extract_lane(s0, 0) + f64x2.extract_lane(s0, 1) + f64x2.extract_lane(s1, 0) + f64x2.extract_lane(s1, 1);
  for (; i < n; i++) {
    const v = <f64>load<f32>(x + (<usize>i << 2));
    s += v * v;
  }
  return Math.sqrt(s);
}

/**
 * ‖x‖₂ of f64 data in two passes: m = max|x_i|, then Σ(x_i·2^-e)² with 2^e ≥ m a power of two, so
 * the scaling is exact, the sum stays in [0, 4n] (no overflow, no harmful underflow) and the result
 * is 2^e·√sum. Error ≤ (γ_n/2 + 2u)·‖x‖₂. The power is applied as two factors so 2^±e never overflows.
 */
export function nrm2_f64(x: usize, n: i32): f64 {
  const m = absmax<f64>(x, n);
  if (m == 0 || isNaN(m) || m == Infinity) return m;
  const e = <i32>((reinterpret<u64>(m) >> 52) & 0x7ff) - 1022; // m < 2^e for normal m
  const e1 = e >> 1, e2 = e - e1;
  const s1 = f64x2.splat(Math.scalbn(1, -e1)), s2 = f64x2.splat(Math.scalbn(1, -e2));
  let acc0 = f64x2.splat(0), acc1 = f64x2.splat(0);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const a = f64x2.mul(f64x2.mul(v128.load(x + (<usize>i << 3)), s1), s2);
    const b = f64x2.mul(f64x2.mul(v128.load(x + (<usize>i << 3), 16), s1), s2);
    acc0 = f64x2.add(acc0, f64x2.mul(a, a));
    acc1 = f64x2.add(acc1, f64x2.mul(b, b));
  }
  let s = hsum2(acc0) + hsum2(acc1);
  const t1 = Math.scalbn(1, -e1), t2 = Math.scalbn(1, -e2);
  for (; i < n; i++) {
    const v = load<f64>(x + (<usize>i << 3)) * t1 * t2;
    s += v * v;
  }
  return Math.scalbn(Math.sqrt(s), e);
}
