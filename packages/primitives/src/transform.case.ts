import {
  dctCost,
  dctFftLength,
  defineCase,
  fftCost,
  gemmCost,
  hostTensor,
  ops,
  prose,
  scaledRatio,
  type Backend,
  type DType,
} from '@lowrank/core';
import { epsFor, get, put } from './io.ts';

/**
 * max over rows of ‖ŷ − y‖₂ / (max(1, log₂M)·ε·‖y‖₂), M the FFT's length, the normwise bound of a radix-2 FFT with
 * accurate twiddles (Higham, Accuracy and Stability, Thm 24.2: ‖ŷ − y‖ ≤ log₂n·η/(1 − log₂n·η)·‖y‖,
 * η = μ + γ₄(√2 + μ), μ the twiddles' error ≤ ε). `got` and `want` list the parts (re, im) of the rows.
 */
export function rowRatio(
  got: ArrayLike<number>[],
  want: ArrayLike<number>[],
  n: number,
  eps: number,
  fftLength = n,
): number {
  let worst = 0;
  const rows = n === 0 ? 0 : want[0].length / n;
  for (let r = 0; r < rows; r++) {
    const span = [r * n, (r + 1) * n] as const;
    // Sums of squares of terms divided by their largest (the data may be near overflow or underflow).
    let s = 0;
    for (const [g, w] of got.map((part, i) => [part, want[i]] as const))
      for (let j = span[0]; j < span[1]; j++) s = Math.max(s, Math.abs(w[j]), Math.abs(g[j] - w[j]));
    if (s === 0) continue;
    let err = 0,
      norm = 0;
    for (const [g, w] of got.map((part, i) => [part, want[i]] as const)) {
      for (let j = span[0]; j < span[1]; j++) {
        err += ((g[j] - w[j]) / s) ** 2;
        norm += (w[j] / s) ** 2;
      }
    }
    const ratio = scaledRatio(Math.sqrt(err), Math.max(1, Math.log2(fftLength)) * eps * Math.sqrt(norm));
    if (!(ratio <= worst)) worst = Number.isNaN(ratio) ? Infinity : ratio;
  }
  return worst;
}

const THRESHOLD = {
  value: 30,
  why: prose`
    LAPACK's LIN threshold on ‖ŷ − y‖/(log₂n·ε·‖y‖) per row; the radix-2 bound with twiddles within an
    ulp is a small constant times log₂n·ε (Higham, Thm 24.2)
  `,
};

/** --sizes rounded up to the transforms' domain, powers of two. */
const powerOfTwo = (n: number) => 2 ** Math.ceil(Math.log2(Math.max(1, n)));

/** Rows of length n, as many as make 2^20 elements (at least one). */
function batchFor(n: number): number {
  return Math.max(1, (1 << 20) / n);
}

async function rows(be: Backend, dtype: DType, batch: number, n: number, stream: number) {
  return ops.random(be, dtype, [batch, n], { dist: 'normal', seed: 6, stream });
}

export const fftCase = defineCase({
  id: 'primitives/fft',
  family: 'primitives',
  title: 'Complex FFT of each row, forward and inverse (radix 2)',
  primitives: ['fft', 'random'],
  dtypes: ['f32', 'f64'],
  verify: {
    golden: 'primitives/fft',
    reads: {
      params: { inverse: 'boolean' },
      inputs: ['re', 'im'],
      outputs: ['outRe', 'outIm'],
      conventions: "[batch, n] rows, n a power of two; numpy.fft's signs, the inverse scaled by 1/n",
    },
    thresholds: { normwise: THRESHOLD },
    async check(be, dtype, entry) {
      const { re, im } = entry.inputs;
      const out = await ops.fft(be, await put(be, dtype, re), await put(be, dtype, im), {
        inverse: entry.params.inverse as boolean,
      });
      const n = re.shape[1];
      const want = [entry.outputs.outRe.data, entry.outputs.outIm.data];
      return { normwise: rowRatio([await get(be, out.re), await get(be, out.im)], want, n, epsFor(be, dtype)) };
    },
  },
  bench: {
    params: (sizes) => (sizes ?? [1 << 10, 1 << 20]).map(powerOfTwo).map((n) => ({ n, batch: batchFor(n) })),
    cost: ({ n, batch }, dtype) => fftCost(batch, n, dtype),
    async setup(be, dtype, { n, batch }) {
      const re = await rows(be, dtype, batch, n, 0),
        im = await rows(be, dtype, batch, n, 1);
      return {
        async run() {
          const out = await ops.fft(be, re, im);
          be.dispose(out.re);
          be.dispose(out.im);
        },
        dispose: () => [re, im].forEach((t) => be.dispose(t)),
      };
    },
  },
});

export const dctCase = defineCase({
  id: 'primitives/dct',
  family: 'primitives',
  title: 'Orthonormal DCT-II of each row, its inverse and the DCT-I, fast (one FFT) and as the dense product X·Q',
  primitives: ['dct', 'gemm', 'random'],
  dtypes: ['f32', 'f64'],
  verify: {
    golden: 'primitives/dct',
    reads: {
      params: { inverse: 'boolean', type: 'integer' },
      inputs: ['x'],
      outputs: ['out'],
      conventions: prose`
        [batch, n] rows; scipy.fft.dct(x, type, norm='ortho'), idct for the inverse; n a power of two for type 2,
        2^k + 1 for type 1 (its own inverse)
      `,
    },
    thresholds: { normwise: THRESHOLD },
    async check(be, dtype, entry) {
      const { x } = entry.inputs;
      const type = entry.params.type as 1 | 2;
      const out = await ops.dct(be, await put(be, dtype, x), { type, inverse: entry.params.inverse as boolean });
      const n = x.shape[1];
      const got = [await get(be, out)];
      return {
        normwise: rowRatio(
          got,
          [entry.outputs.out.data],
          n,
          epsFor(be, dtype),
          dctFftLength(n, type === 1 ? 'i' : 'ii'),
        ),
      };
    },
  },
  bench: {
    // 'dense' multiplies by the n×n DCT matrix (what S05's reference code does), 'fast' transforms.
    params: (sizes) =>
      (sizes ?? [256, 1024]).map(powerOfTwo).flatMap((n) => [
        { n, batch: n, method: 'fast' },
        { n, batch: n, method: 'dense' },
      ]),
    cost: ({ n, batch, method }, dtype) =>
      method === 'dense' ? gemmCost(batch, n, n, dtype) : dctCost(batch, n, dtype),
    async setup(be, dtype, { n, batch, method }) {
      const x = await rows(be, dtype, batch, n, 0);
      const eye = new Float64Array(n * n);
      for (let i = 0; i < n; i++) eye[i * n + i] = 1;
      const identity = await be.upload(hostTensor(dtype, [n, n], eye));
      const q = await ops.dct(be, identity);
      be.dispose(identity);
      const transform = () => (method === 'dense' ? ops.gemm(be, x, q) : ops.dct(be, x));
      return {
        run: async () => be.dispose(await transform()),
        dispose: () => [x, q].forEach((t) => be.dispose(t)),
      };
    },
  },
});
