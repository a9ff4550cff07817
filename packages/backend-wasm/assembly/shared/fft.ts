// Radix-2 decimation-in-time FFT over split real/imaginary rows, shared by fft.ts and dct.ts.
//
// Twiddles. The table holds, for every stage of half-length h, w_j = e^{−iπj/h} (j < h) at [h, 2h) of
// two arrays (cos, sin): contiguous per stage, so a stage's butterflies load them 16 bytes at a time.
// The last stage's entries are cos/sin of f64 angles rounded once to T (NativeMath: < 1 ulp); each
// smaller stage copies every other entry of the next (w_j at h is w_2j at 2h), so every twiddle is
// within an ulp and the transform's error is the butterflies': ‖ŷ − y‖ ≲ log₂n·ε·‖y‖ (Higham,
// Accuracy and Stability, Thm 24.2). After them, the quarter-wave factors cos, sin(πk/2n) (k < n) of
// Makhoul's DCT. Table: 4n elements of T.
//
// Butterflies. Stages with h ≥ lanes run 16 bytes at a time (4 f32 or 2 f64 butterflies per step,
// the j loop is contiguous in data and twiddles); the first stages (h < lanes) are scalar. Rejected:
// Stockham autosort (no bit reversal, but a second buffer per row and no in-place rows for dct's work).
import { lanes, vadd, vmul, vsub } from './simd';

// @ts-ignore: decorator
@inline function at<T>(base: usize, i: i32): usize { return base + (<usize>i) * sizeof<T>(); }

/** Fills the 4n-element table for length n (see the header). */
export function fillTable<T>(table: usize, n: i32): void {
  const cos = table, sin = at<T>(table, n), qcos = at<T>(table, 2 * n), qsin = at<T>(table, 3 * n);
  const half = n >> 1;
  for (let j = 0; j < half; j++) {
    const a = (-Math.PI * <f64>j) / <f64>half;
    store<T>(at<T>(cos, half + j), <T>Math.cos(a));
    store<T>(at<T>(sin, half + j), <T>Math.sin(a));
  }
  for (let h = half >> 1; h >= 1; h >>= 1) {
    for (let j = 0; j < h; j++) {
      store<T>(at<T>(cos, h + j), load<T>(at<T>(cos, 2 * h + 2 * j)));
      store<T>(at<T>(sin, h + j), load<T>(at<T>(sin, 2 * h + 2 * j)));
    }
  }
  for (let k = 0; k < n; k++) {
    const a = (Math.PI * <f64>k) / (2.0 * <f64>n);
    store<T>(at<T>(qcos, k), <T>Math.cos(a));
    store<T>(at<T>(qsin, k), <T>Math.sin(a));
  }
}

/** The bit reversal of r within n (a power of two), incremented: the next index in reversed order. */
// @ts-ignore: decorator
@inline export function nextReversed(r: i32, n: i32): i32 {
  let bit = n >> 1;
  while ((r & bit) != 0) {
    r ^= bit;
    bit >>= 1;
  }
  return r | bit;
}

/** In place: the forward FFT of re/im[0, n), whose input was stored in bit-reversed order. */
export function butterflies<T>(re: usize, im: usize, n: i32, table: usize): void {
  const cos = table, sin = at<T>(table, n);
  const L = lanes<T>();
  for (let h = 1; h < n; h <<= 1) {
    if (h < L) {
      for (let b = 0; b < n; b += 2 * h) {
        for (let j = 0; j < h; j++) {
          const wr = load<T>(at<T>(cos, h + j)), wi = load<T>(at<T>(sin, h + j));
          const p = b + j, q = p + h;
          const qr = load<T>(at<T>(re, q)), qi = load<T>(at<T>(im, q));
          const pr = load<T>(at<T>(re, p)), pi = load<T>(at<T>(im, p));
          const tr = qr * wr - qi * wi, ti = qr * wi + qi * wr;
          store<T>(at<T>(re, q), pr - tr);
          store<T>(at<T>(im, q), pi - ti);
          store<T>(at<T>(re, p), pr + tr);
          store<T>(at<T>(im, p), pi + ti);
        }
      }
      continue;
    }
    for (let b = 0; b < n; b += 2 * h) {
      for (let j = 0; j < h; j += L) {
        const wr = v128.load(at<T>(cos, h + j)), wi = v128.load(at<T>(sin, h + j));
        const p = b + j, q = p + h;
        const qr = v128.load(at<T>(re, q)), qi = v128.load(at<T>(im, q));
        const pr = v128.load(at<T>(re, p)), pi = v128.load(at<T>(im, p));
        const tr = vsub<T>(vmul<T>(qr, wr), vmul<T>(qi, wi));
        const ti = vadd<T>(vmul<T>(qr, wi), vmul<T>(qi, wr));
        v128.store(at<T>(re, q), vsub<T>(pr, tr));
        v128.store(at<T>(im, q), vsub<T>(pi, ti));
        v128.store(at<T>(re, p), vadd<T>(pr, tr));
        v128.store(at<T>(im, p), vadd<T>(pi, ti));
      }
    }
  }
}

export { at };
