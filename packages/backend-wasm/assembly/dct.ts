// Orthonormal DCT-II of rows and its inverse by Makhoul's method (core/primitives/dct.ts): one complex
// FFT of length n per row in `work` (2n elements, this thread's), the quarter-wave factors from the
// table's tail (shared/fft.ts). Forward: v = (x₀, x₂, …, x₃, x₁) bit-reversed into work, V = FFT(v),
// out_k = c_k(cos·Re V_k + sin·Im V_k). Inverse: V_k = e^{iπk/2n}(X_k − i·X_{n−k}) with X = out/c
// (X_n = 0), v = Re FFT(conj V)/n, then x unpermuted. The error is the FFT's plus O(ε) per step.
import { at, butterflies, nextReversed } from './shared/fft';

/** Position in x of the j-th sample of Makhoul's reordering v: even samples, then odd ones reversed. */
// @ts-ignore: decorator
@inline function source(j: i32, n: i32): i32 { return 2 * j < n ? 2 * j : 2 * (n - 1 - j) + 1; }

function forward<T>(x: usize, out: usize, n: i32, table: usize, re: usize, im: usize): void {
  const qcos = at<T>(table, 2 * n), qsin = at<T>(table, 3 * n);
  let r = 0;
  for (let j = 0; j < n; j++) {
    store<T>(at<T>(re, r), load<T>(at<T>(x, source(j, n))));
    store<T>(at<T>(im, r), <T>0);
    r = nextReversed(r, n);
  }
  butterflies<T>(re, im, n, table);
  const c0 = <T>Math.sqrt(1.0 / <f64>n), ck = <T>Math.sqrt(2.0 / <f64>n);
  for (let k = 0; k < n; k++) {
    const v = load<T>(at<T>(qcos, k)) * load<T>(at<T>(re, k)) + load<T>(at<T>(qsin, k)) * load<T>(at<T>(im, k));
    store<T>(at<T>(out, k), (k == 0 ? c0 : ck) * v);
  }
}

function inverse<T>(x: usize, out: usize, n: i32, table: usize, re: usize, im: usize): void {
  const qcos = at<T>(table, 2 * n), qsin = at<T>(table, 3 * n);
  // X_k = x_k / c_k: 1/c_0 = √n, 1/c_k = √(n/2).
  const u0 = <T>Math.sqrt(<f64>n), uk = <T>Math.sqrt(<f64>n / 2.0);
  let r = 0;
  for (let k = 0; k < n; k++) {
    const a = load<T>(at<T>(x, k)) * (k == 0 ? u0 : uk);
    const b = k == 0 ? <T>0 : load<T>(at<T>(x, n - k)) * uk;
    const c = load<T>(at<T>(qcos, k)), s = load<T>(at<T>(qsin, k));
    store<T>(at<T>(re, r), c * a + s * b);
    store<T>(at<T>(im, r), c * b - s * a);
    r = nextReversed(r, n);
  }
  butterflies<T>(re, im, n, table);
  const scale = <T>1 / <T>n;
  for (let j = 0; j < n; j++) store<T>(at<T>(out, source(j, n)), load<T>(at<T>(re, j)) * scale);
}

export function dct<T>(x: usize, out: usize, rows: i32, n: i32, inv: i32, table: usize, work: usize): void {
  const re = work, im = at<T>(work, n);
  for (let row = 0; row < rows; row++) {
    const xr = at<T>(x, row * n), yr = at<T>(out, row * n);
    if (inv != 0) inverse<T>(xr, yr, n, table, re, im);
    else forward<T>(xr, yr, n, table, re, im);
  }
}

// The exports, as src/abi.ts declares them (index.ts re-exports every one).
export function dct_f32(x: usize, out: usize, rows: i32, n: i32, inv: i32, table: usize, work: usize): void { dct<f32>(x, out, rows, n, inv, table, work); }
export function dct_f64(x: usize, out: usize, rows: i32, n: i32, inv: i32, table: usize, work: usize): void { dct<f64>(x, out, rows, n, inv, table, work); }
