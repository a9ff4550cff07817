// Level-1 BLAS. Vectors are processed 16 bytes at a time with a scalar tail.
import { lanes } from './shared/simd';

/** x ← α·x, exactly rounded per element. */
export function scal<T>(alpha: T, x: usize, n: i32): void {
  const L = lanes<T>();
  const av = v128.splat<T>(alpha);
  let i = 0;
  for (; i + L <= n; i += L) {
    const o = <usize>i * sizeof<T>();
    v128.store(x + o, v128.mul<T>(av, v128.load(x + o)));
  }
  for (; i < n; i++) {
    const o = <usize>i * sizeof<T>();
    store<T>(x + o, alpha * load<T>(x + o));
  }
}

// The exports, as src/abi.ts declares them (index.ts re-exports every one).
export function scal_f32(alpha: f32, x: usize, n: i32): void { scal<f32>(alpha, x, n); }
export function scal_f64(alpha: f64, x: usize, n: i32): void { scal<f64>(alpha, x, n); }
