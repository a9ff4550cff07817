// Level-1 BLAS. Vectors are processed 16 bytes at a time with a scalar tail.
import { lanes, vmadd } from './shared/simd';

/** y ← α·x + y. One rounding per product and one per sum (two with the plain build). */
export function axpy<T>(alpha: T, x: usize, y: usize, n: i32): void {
  const L = lanes<T>();
  const av = v128.splat<T>(alpha);
  let i = 0;
  for (; i + L <= n; i += L) {
    const o = <usize>i * sizeof<T>();
    v128.store(y + o, vmadd<T>(av, v128.load(x + o), v128.load(y + o)));
  }
  for (; i < n; i++) {
    const o = <usize>i * sizeof<T>();
    store<T>(y + o, alpha * load<T>(x + o) + load<T>(y + o));
  }
}

// The exports, as src/abi.ts declares them (index.ts re-exports every one).
export function axpy_f32(alpha: f32, x: usize, y: usize, n: i32): void { axpy<f32>(alpha, x, y, n); }
export function axpy_f64(alpha: f64, x: usize, y: usize, n: i32): void { axpy<f64>(alpha, x, y, n); }
