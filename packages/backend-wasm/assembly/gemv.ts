// GEMV, y ← α·op(A)·x + β·y, A m×n row-major. No transpose: one SIMD dot product per row.
// Transpose: rows of A are streamed once, accumulating Σ_i x_i·A[i, :] into `acc` (n elements of
// scratch) with SIMD multiply-adds, so A is read contiguously either way.
// Error bound: each y_i is a length-(m or n) dot product: |ŷ − y| ≤ γ_{len+2}(|α||op(A)||x| + |β||y|).
import { dot } from './dot';
import { madd2, madd4 } from './shared/simd';

// @ts-ignore: decorator
@inline function vmadd<T>(a: v128, b: v128, acc: v128): v128 {
  return sizeof<T>() == 4 ? madd4(a, b, acc) : madd2(a, b, acc);
}

export function gemv<T>(trans: bool, m: i32, n: i32, alpha: T, a: usize, x: usize, beta: T, y: usize, acc: usize): void {
  const w = sizeof<T>();
  if (!trans) {
    for (let i = 0; i < m; i++) {
      const s = <T>dot<T>(a + <usize>i * n * w, x, n);
      const yi = y + <usize>i * w;
      store<T>(yi, beta == 0 ? alpha * s : alpha * s + beta * load<T>(yi));
    }
    return;
  }
  memory.fill(acc, 0, <usize>n * w);
  const L = 16 / <i32>w;
  for (let i = 0; i < m; i++) {
    const xi = load<T>(x + <usize>i * w);
    const xv = v128.splat<T>(xi);
    const row = a + <usize>i * n * w;
    let j = 0;
    for (; j + L <= n; j += L) {
      const o = <usize>j * w;
      v128.store(acc + o, vmadd<T>(xv, v128.load(row + o), v128.load(acc + o)));
    }
    for (; j < n; j++) {
      const o = <usize>j * w;
      store<T>(acc + o, xi * load<T>(row + o) + load<T>(acc + o));
    }
  }
  for (let j = 0; j < n; j++) {
    const o = <usize>j * w;
    const s = load<T>(acc + o);
    store<T>(y + o, beta == 0 ? alpha * s : alpha * s + beta * load<T>(y + o));
  }
}

// The exports, as src/abi.ts declares them (index.ts re-exports every one).
export function gemv_f32(t: bool, m: i32, n: i32, alpha: f32, a: usize, x: usize, beta: f32, y: usize, acc: usize): void { gemv<f32>(t, m, n, alpha, a, x, beta, y, acc); }
export function gemv_f64(t: bool, m: i32, n: i32, alpha: f64, a: usize, x: usize, beta: f64, y: usize, acc: usize): void { gemv<f64>(t, m, n, alpha, a, x, beta, y, acc); }
