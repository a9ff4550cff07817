import type { DctParams } from '@lowrank/core';
import type { RefTensor } from '../tensor.ts';
import { butterflies, scatter, twiddles } from '../shared/fft.ts';

/**
 * Makhoul's DCT through one complex FFT per row (core/primitives/dct.ts). With v the even samples
 * followed by the odd ones reversed and V = FFT(v), the unnormalized DCT-II is
 * X_k = cos(πk/2n)·Re V_k + sin(πk/2n)·Im V_k. Inverting: V_k = e^{iπk/2n}(X_k − i·X_{n−k}) (X_n = 0),
 * v = IFFT(V), computed as Re FFT(conj V)/n since v is real.
 */
export function dct(p: DctParams<RefTensor>): void {
  if (p.kind === 'i') return dctOne(p);
  const { batch, n } = p;
  const inverse = p.kind === 'iii';
  const x = p.x.data,
    out = p.out.data;
  const tw = twiddles(n);
  const re = new Float64Array(n),
    im = new Float64Array(n);
  const c0 = Math.sqrt(1 / n),
    ck = Math.sqrt(2 / n);
  const quarter = (k: number) => [Math.cos((Math.PI * k) / (2 * n)), Math.sin((Math.PI * k) / (2 * n))];
  for (let r = 0; r < batch; r++) {
    const off = r * n;
    im.fill(0);
    if (!inverse) {
      scatter(re, 0, n, (j) => (2 * j < n ? x[off + 2 * j] : x[off + 2 * (n - 1 - j) + 1]));
      butterflies(re, im, 0, n, tw);
      for (let k = 0; k < n; k++) {
        const [c, s] = quarter(k);
        out[off + k] = (k === 0 ? c0 : ck) * (c * re[k] + s * im[k]);
      }
    } else {
      const unscaled = (k: number) => (k === n ? 0 : x[off + k] / (k === 0 ? c0 : ck));
      scatter(re, 0, n, (k) => {
        const [c, s] = quarter(k);
        return c * unscaled(k) + s * unscaled(n - k);
      });
      scatter(im, 0, n, (k) => {
        const [c, s] = quarter(k);
        return -(s * unscaled(k) - c * unscaled(n - k));
      });
      butterflies(re, im, 0, n, tw);
      for (let j = 0; j < n; j++) out[off + (2 * j < n ? 2 * j : 2 * (n - 1 - j) + 1)] = re[j] / n;
    }
  }
}

/**
 * The orthonormal DCT-I as the real part of the FFT of the even extension v = (x₀ … x_{n−1} … x₁),
 * length M = 2(n − 1), with the ends weighted √2 on the way in and 1/√2 on the way out, scaled by
 * √(1/M) (core/primitives/dct.ts).
 */
function dctOne(p: DctParams<RefTensor>): void {
  const { batch, n } = p;
  const x = p.x.data,
    out = p.out.data;
  const m = 2 * (n - 1);
  const tw = twiddles(m);
  const re = new Float64Array(m),
    im = new Float64Array(m);
  const end = (j: number) => (j === 0 || j === n - 1 ? Math.SQRT2 : 1);
  for (let r = 0; r < batch; r++) {
    const off = r * n;
    im.fill(0);
    scatter(re, 0, m, (j) => {
      const src = j < n ? j : m - j;
      return end(src) * x[off + src];
    });
    butterflies(re, im, 0, m, tw);
    for (let k = 0; k < n; k++) out[off + k] = (re[k] * Math.sqrt(1 / m)) / end(k);
  }
}
