// Level-1 BLAS. Vectors are processed 16 bytes at a time with a scalar tail.
// dot: four independent vector accumulators (16 or 8 partial sums), so the error bound is the
// blocked one, |d̂ − d| ≤ γ_{n/L + log2 L + 1}·Σ|x_i y_i| with L lanes·4 partial sums; ≤ γ_n always.
import { hsum, lanes, vmadd } from './shared/simd';

export function dot<T>(x: usize, y: usize, n: i32): f64 {
  const L = lanes<T>();
  let a0 = v128.splat<T>(0), a1 = v128.splat<T>(0), a2 = v128.splat<T>(0), a3 = v128.splat<T>(0);
  let i = 0;
  for (; i + 4 * L <= n; i += 4 * L) {
    const o = <usize>i * sizeof<T>();
    a0 = vmadd<T>(v128.load(x + o), v128.load(y + o), a0);
    a1 = vmadd<T>(v128.load(x + o, 16), v128.load(y + o, 16), a1);
    a2 = vmadd<T>(v128.load(x + o, 32), v128.load(y + o, 32), a2);
    a3 = vmadd<T>(v128.load(x + o, 48), v128.load(y + o, 48), a3);
  }
  let tail: T = 0;
  for (; i < n; i++) {
    const o = <usize>i * sizeof<T>();
    tail += load<T>(x + o) * load<T>(y + o);
  }
  const s = <f64>hsum<T>(v128.add<T>(v128.add<T>(a0, a1), v128.add<T>(a2, a3)));
  return sizeof<T>() == 4 ? <f64>(<f32>s + <f32>tail) : s + <f64>tail;
}

// The exports, as src/abi.ts declares them (index.ts re-exports every one).
export function dot_f32(x: usize, y: usize, n: i32): f64 { return dot<f32>(x, y, n); }
export function dot_f64(x: usize, y: usize, n: i32): f64 { return dot<f64>(x, y, n); }
