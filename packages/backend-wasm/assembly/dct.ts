// Orthonormal DCT-II of rows, its inverse by Makhoul's method, and the DCT-I (core/primitives/dct.ts): one complex
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

// DCT-I: the real part of the FFT of the even extension (x₀ … x_{n−1} … x₁), length m = 2(n − 1), ends
// weighted √2 in and 1/√2 out, scaled by √(1/m). The table is the one of length m.
function typeOne<T>(x: usize, out: usize, n: i32, table: usize, re: usize, im: usize): void {
  const m = 2 * (n - 1);
  const root2 = <T>Math.SQRT2;
  let r = 0;
  for (let j = 0; j < m; j++) {
    const src = j < n ? j : m - j;
    const v = load<T>(at<T>(x, src));
    store<T>(at<T>(re, r), src == 0 || src == n - 1 ? v * root2 : v);
    store<T>(at<T>(im, r), <T>0);
    r = nextReversed(r, m);
  }
  butterflies<T>(re, im, m, table);
  const f = <T>Math.sqrt(1.0 / <f64>m);
  for (let k = 0; k < n; k++) {
    const v = load<T>(at<T>(re, k)) * f;
    store<T>(at<T>(out, k), k == 0 || k == n - 1 ? v / root2 : v);
  }
}

/** kind: 0 the DCT-II, 1 its inverse (DCT-III), 2 the DCT-I; work holds 2·(FFT length) elements. */
export function dct<T>(x: usize, out: usize, rows: i32, n: i32, kind: i32, table: usize, work: usize): void {
  const m = kind == 2 ? 2 * (n - 1) : n;
  const re = work, im = at<T>(work, m);
  for (let row = 0; row < rows; row++) {
    const xr = at<T>(x, row * n), yr = at<T>(out, row * n);
    if (kind == 2) typeOne<T>(xr, yr, n, table, re, im);
    else if (kind == 1) inverse<T>(xr, yr, n, table, re, im);
    else forward<T>(xr, yr, n, table, re, im);
  }
}

// The exports, as src/abi.ts declares them (index.ts re-exports every one).
export function dct_f32(x: usize, out: usize, rows: i32, n: i32, kind: i32, table: usize, work: usize): void { dct<f32>(x, out, rows, n, kind, table, work); }
export function dct_f64(x: usize, out: usize, rows: i32, n: i32, kind: i32, table: usize, work: usize): void { dct<f64>(x, out, rows, n, kind, table, work); }
