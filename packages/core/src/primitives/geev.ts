import type { Backend, DeviceTensor } from '../backend.ts';
import { BYTES_PER_ELEMENT, type DType } from '../dtype.ts';
import { NonFiniteError, NumericalError } from '../errors.ts';
import { hostTensor } from '../tensor.ts';
import { kernel, owned, square } from './check.ts';
import type { CostModel } from './cost.ts';

/**
 * Eigendecomposition of a general real n×n A (LAPACK dgeev's task, EISPACK's orthes + hqr2 algorithm): Householder
 * reduction to upper Hessenberg form, the Francis double-shift QR iteration to real Schur form (exceptional shifts
 * after 10 and 30 iterations on an eigenvalue), eigenvectors by back-substitution on the quasi-triangular factor and
 * back-transformation. The kernel writes the eigenvalues as (wr, wi) and the eigenvectors in LAPACK's real packing
 * (`v`, n×n): a real eigenvalue's vector in its column; for a conjugate pair at j, j + 1 (wi[j] > 0) the vector of
 * wr[j] + i·wi[j] is v[:, j] + i·v[:, j+1] and its conjugate belongs to j + 1. Returns the QR iterations, −1 for
 * NaN/±Inf in A, −2 when an eigenvalue has not converged within 30·n iterations.
 */
export interface GeevParams<T = DeviceTensor> {
  a: T;
  wr: T;
  wi: T;
  v: T;
  n: number;
}

declare module '../backend.ts' {
  interface PrimitiveSignatures<T> {
    geev(p: GeevParams<T>): number | Promise<number>;
  }
}

/** Hessenberg reduction 10n³/3, about two double-shift QR sweeps per eigenvalue (10n² each → 20n³ over all), vectors 4n³. */
export function geevCost(n: number, dtype: DType): CostModel {
  return { flops: (10 / 3 + 20 + 4) * n ** 3, bytes: BYTES_PER_ELEMENT[dtype] * 3 * n * n };
}

/** Eigenvalues and unit eigenvectors of a general matrix, complex numbers as split (re, im) pairs of real tensors. */
export interface Geev {
  valuesRe: DeviceTensor;
  valuesIm: DeviceTensor;
  /** Eigenvectors as columns (n×n), each of unit 2-norm with its largest component real (LAPACK's normalization). */
  vectorsRe: DeviceTensor;
  vectorsIm: DeviceTensor;
  iterations: number;
}

/**
 * The kernel's packed vectors unpacked into split complex columns and normalized as dgeev does: ‖v‖₂ = 1 and the
 * component of largest modulus real and positive. O(n²) on the host.
 */
export function unpackEigenvectors(
  wi: ArrayLike<number>,
  v: ArrayLike<number>,
  n: number,
): { re: Float64Array; im: Float64Array } {
  const re = new Float64Array(n * n),
    im = new Float64Array(n * n);
  for (let j = 0; j < n; j++) {
    const pair = wi[j] !== 0;
    const [cr, ci, sign] = !pair ? [j, -1, 1] : wi[j] > 0 ? [j, j + 1, 1] : [j - 1, j, -1];
    let norm = 0,
      big = 0,
      at = 0;
    for (let i = 0; i < n; i++) {
      const x = v[i * n + cr],
        y = ci < 0 ? 0 : sign * v[i * n + ci];
      re[i * n + j] = x;
      im[i * n + j] = y;
      const mod = Math.hypot(x, y);
      norm = Math.hypot(norm, mod);
      if (mod > big) {
        big = mod;
        at = i;
      }
    }
    if (norm === 0) continue;
    // Divide by ‖v‖ and rotate by the phase of the largest component.
    const pr = re[at * n + j] / big,
      pi = im[at * n + j] / big;
    for (let i = 0; i < n; i++) {
      const x = re[i * n + j],
        y = im[i * n + j];
      re[i * n + j] = (x * pr + y * pi) / norm;
      im[i * n + j] = (y * pr - x * pi) / norm;
    }
    im[at * n + j] = 0;
  }
  return { re, im };
}

/**
 * Eigenvalues (split complex, in the order the QR iteration deflated them: conjugate pairs adjacent, +im first) and
 * unit eigenvectors of a general square A. NonFiniteError for NaN/±Inf, NumericalError when the QR iteration has not
 * converged within 30·n iterations.
 */
export async function geev(be: Backend, a: DeviceTensor): Promise<Geev> {
  owned(be, 'a', a);
  const n = square('a', a);
  const run = kernel(be, 'geev', a.dtype);
  const wr = be.zeros(a.dtype, [n]),
    wi = be.zeros(a.dtype, [n]),
    v = be.zeros(a.dtype, [n, n]);
  try {
    const status = await run({ a, wr, wi, v, n });
    if (status === -1) throw new NonFiniteError('geev: a contains NaN or ±Inf');
    if (status < 0) throw new NumericalError(`geev: the QR iteration did not converge in ${30 * n} iterations`);
    const { re, im } = unpackEigenvectors((await be.download(wi)).data, (await be.download(v)).data, n);
    return {
      valuesRe: wr,
      valuesIm: wi,
      vectorsRe: await be.upload(hostTensor(a.dtype, [n, n], re)),
      vectorsIm: await be.upload(hostTensor(a.dtype, [n, n], im)),
      iterations: status,
    };
  } catch (e) {
    be.dispose(wr);
    be.dispose(wi);
    throw e;
  } finally {
    be.dispose(v);
  }
}
