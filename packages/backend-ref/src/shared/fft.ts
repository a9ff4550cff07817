/**
 * Radix-2 decimation-in-time FFT in f64 over split real/imaginary arrays, the shared core of the fft
 * and dct kernels. Twiddles w_j = e^{−iπj/h} of every stage come from one table of the largest stage
 * (cos and sin of f64 angles, each within an ulp), subsampled, so the error is the butterflies' alone:
 * ‖ŷ − y‖ ≲ log₂n·ε·‖y‖ (Higham, Accuracy and Stability, §24.1).
 */

/** cos and sin of −πj/(n/2), j < n/2: the twiddles of the last stage. */
export function twiddles(n: number): { cos: Float64Array; sin: Float64Array } {
  const half = n >> 1;
  const cos = new Float64Array(half),
    sin = new Float64Array(half);
  for (let j = 0; j < half; j++) {
    cos[j] = Math.cos((-Math.PI * j) / half);
    sin[j] = Math.sin((-Math.PI * j) / half);
  }
  return { cos, sin };
}

/** Bit reversal of the log₂n low bits of j. */
function reverse(j: number, bits: number): number {
  let r = 0;
  for (let b = 0; b < bits; b++) r = (r << 1) | ((j >> b) & 1);
  return r;
}

/**
 * In-place forward FFT of re/im[off, off + n) whose input was stored bit-reversed (use `scatter`).
 * The stage of half-length h uses every (n/2h)-th twiddle of the last stage.
 */
export function butterflies(
  re: Float64Array,
  im: Float64Array,
  off: number,
  n: number,
  tw: { cos: Float64Array; sin: Float64Array },
): void {
  for (let h = 1; h < n; h <<= 1) {
    const stride = n / (2 * h);
    for (let b = off; b < off + n; b += 2 * h) {
      for (let j = 0; j < h; j++) {
        const wr = tw.cos[j * stride],
          wi = tw.sin[j * stride];
        const p = b + j,
          q = p + h;
        const tr = re[q] * wr - im[q] * wi,
          ti = re[q] * wi + im[q] * wr;
        re[q] = re[p] - tr;
        im[q] = im[p] - ti;
        re[p] += tr;
        im[p] += ti;
      }
    }
  }
}

/** dst[off + rev(j)] = value(j) for j < n: the bit-reversed order the butterflies read. */
export function scatter(dst: Float64Array, off: number, n: number, value: (j: number) => number): void {
  const bits = Math.round(Math.log2(n));
  for (let j = 0; j < n; j++) dst[off + reverse(j, bits)] = value(j);
}
