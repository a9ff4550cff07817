import type { FftParams } from '@lowrank/core';
import type { RefTensor } from '../tensor.ts';
import { butterflies, scatter, twiddles } from '../shared/fft.ts';

/** Each row bit-reversed into out, then the butterflies; the inverse as conj(FFT(conj x))/n. */
export function fft(p: FftParams<RefTensor>): void {
  const { batch, n, inverse } = p;
  const re = p.re.data,
    im = p.im.data,
    outRe = p.outRe.data,
    outIm = p.outIm.data;
  const tw = twiddles(n);
  const sign = inverse ? -1 : 1;
  for (let r = 0; r < batch; r++) {
    const off = r * n;
    scatter(outRe, off, n, (j) => re[off + j]);
    scatter(outIm, off, n, (j) => sign * im[off + j]);
    butterflies(outRe, outIm, off, n, tw);
    if (inverse) {
      for (let k = off; k < off + n; k++) {
        outRe[k] /= n;
        outIm[k] = -outIm[k] / n;
      }
    }
  }
}
