// Complex FFT of rows (core/primitives/fft.ts): each row copied into out in bit-reversed order, then the
// butterflies in place (shared/fft.ts, where the error bound and the table are). The inverse is
// conj(FFT(conj x))/n: the same butterflies, the sign of im flipped on the way in and out.
import { at, butterflies, fillTable, nextReversed } from './shared/fft';

/** The 4n-element twiddle table for length n, filled once per call before the row tasks. */
export function fftTable<T>(table: usize, n: i32): void {
  fillTable<T>(table, n);
}

export function fft<T>(re: usize, im: usize, outRe: usize, outIm: usize, rows: i32, n: i32, inverse: i32, table: usize): void {
  const sign: T = inverse != 0 ? <T>-1 : <T>1;
  const scale: T = inverse != 0 ? <T>1 / <T>n : <T>1;
  for (let row = 0; row < rows; row++) {
    const off = row * n;
    const xr = at<T>(re, off), xi = at<T>(im, off), yr = at<T>(outRe, off), yi = at<T>(outIm, off);
    let r = 0;
    for (let j = 0; j < n; j++) {
      store<T>(at<T>(yr, r), load<T>(at<T>(xr, j)));
      store<T>(at<T>(yi, r), sign * load<T>(at<T>(xi, j)));
      r = nextReversed(r, n);
    }
    butterflies<T>(yr, yi, n, table);
    if (inverse != 0) {
      for (let k = 0; k < n; k++) {
        store<T>(at<T>(yr, k), load<T>(at<T>(yr, k)) * scale);
        store<T>(at<T>(yi, k), -load<T>(at<T>(yi, k)) * scale);
      }
    }
  }
}

// The exports, as src/abi.ts declares them (index.ts re-exports every one).
export function fftTable_f32(table: usize, n: i32): void { fftTable<f32>(table, n); }
export function fftTable_f64(table: usize, n: i32): void { fftTable<f64>(table, n); }
export function fft_f32(re: usize, im: usize, outRe: usize, outIm: usize, rows: i32, n: i32, inverse: i32, table: usize): void { fft<f32>(re, im, outRe, outIm, rows, n, inverse, table); }
export function fft_f64(re: usize, im: usize, outRe: usize, outIm: usize, rows: i32, n: i32, inverse: i32, table: usize): void { fft<f64>(re, im, outRe, outIm, rows, n, inverse, table); }
