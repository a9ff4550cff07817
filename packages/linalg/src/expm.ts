/**
 * The matrix exponential by scaling and squaring with a diagonal Padé approximant (Higham, "The scaling
 * and squaring method for the matrix exponential revisited", SIAM J. Matrix Anal. Appl. 26(4), 2005,
 * Algorithm 2.3 — the method scipy.linalg.expm refines with Al-Mohy and Higham's 2009 norm estimates):
 *
 *   pick the least m ∈ {3, 5, 7, 9, 13} with ‖A‖₁ ≤ θ_m (θ of the computing precision, Higham's Table 2.3;
 *   single precision stops at m = 7), else m = 13 (m = 7 in f32) and A ← A/2^s with s = ⌈log₂(‖A‖₁/θ_m)⌉;
 *   r_m = (V − U)⁻¹(V + U), U the odd and V the even part of the Padé numerator p_m(A) (p_m(−A) the
 *   denominator), by an LU solve; X = r_m^(2^s) by s squarings.
 *
 * Every product and the solve run on the backend (GEMM, AXPY, SCAL, LU, TRSM). θ_m makes the Padé
 * approximant's backward error ≤ u in the precision: the computed X is as accurate as exp's own
 * condition allows (κ_exp(A)·u, relative), up to the squaring phase's rounding (≲ s·n·u·‖X‖).
 */
import {
  NonFiniteError,
  ShapeError,
  formatShape,
  hostTensor,
  ops,
  type Backend,
  type DeviceTensor,
  type DType,
} from '@lowrank/core';
import { luSolve } from './factor.ts';

/** Padé numerator coefficients b_j of p_m(x) = Σ_j b_j x^j (Higham 2005, eq. 2.12). */
const PADE: Readonly<Record<number, readonly number[]>> = {
  3: [120, 60, 12, 1],
  5: [30240, 15120, 3360, 420, 30, 1],
  7: [17297280, 8648640, 1995840, 277200, 25200, 1512, 56, 1],
  9: [17643225600, 8821612800, 2075673600, 302702400, 30270240, 2162160, 110880, 3960, 90, 1],
  13: [
    64764752532480000, 32382376266240000, 7771770303897600, 1187353796428800, 129060195264000, 10559470521600,
    670442572800, 33522128640, 1323241920, 40840800, 960960, 16380, 182, 1,
  ],
};

/** θ_m: the largest ‖A‖₁ for which r_m has backward error ≤ u (Higham 2005, Table 2.3, double and single). */
const THETA: Readonly<Record<'f64' | 'f32', ReadonlyArray<readonly [number, number]>>> = {
  f64: [
    [3, 1.495585217958292e-2],
    [5, 2.53939833006323e-1],
    [7, 9.504178996162932e-1],
    [9, 2.097847961257068],
    [13, 5.371920351148152],
  ],
  f32: [
    [3, 4.258730016922831e-1],
    [5, 1.880152677804762],
    [7, 3.92572478313866],
  ],
};

/** ‖A‖₁, the largest column sum of |a_ij| (NaN when A holds NaN or ±Inf). */
async function normOne(be: Backend, a: DeviceTensor): Promise<number> {
  const sums = await ops.reduce(be, 'sum', await ops.unary(be, 'abs', a), 'cols');
  let worst = 0;
  for (const v of (await be.download(sums)).data) worst = Number.isNaN(v) || v > worst ? v : worst;
  return worst;
}

/** Σ_k c_k·X_k + c·I over n×n tensors, into a new tensor. */
async function combination(
  be: Backend,
  dtype: DType,
  n: number,
  terms: ReadonlyArray<readonly [number, DeviceTensor]>,
  identity: number,
  eye: DeviceTensor,
): Promise<DeviceTensor> {
  const out = be.zeros(dtype, [n, n]);
  for (const [c, x] of terms) await ops.axpy(be, c, x, out);
  if (identity !== 0) await ops.axpy(be, identity, eye, out);
  return out;
}

export interface Expm {
  x: DeviceTensor;
  /** The Padé degree and the number of squarings used. */
  degree: number;
  squarings: number;
}

/** exp(A) of a square A (f32 or f64); a NonFiniteError for NaN or ±Inf in A. */
export async function expm(be: Backend, a: DeviceTensor): Promise<Expm> {
  const [n, cols] = a.shape;
  if (a.shape.length !== 2 || n !== cols) throw new ShapeError(`expm: a must be square, got ${formatShape(a.shape)}`);
  const dtype = a.dtype;
  const table = THETA[dtype === 'f64' ? 'f64' : 'f32'];
  const norm = await normOne(be, a);
  if (!Number.isFinite(norm)) throw new NonFiniteError(`expm: a holds NaN or ±Inf (‖a‖₁ = ${norm})`);
  const release = be.track();
  try {
    const pick = table.find(([, theta]) => norm <= theta);
    const [m, theta] = pick ?? table[table.length - 1];
    const squarings = pick !== undefined ? 0 : Math.max(0, Math.ceil(Math.log2(norm / theta)));
    const scaled = squarings === 0 ? a : await ops.scal(be, 2 ** -squarings, await ops.copy(be, a));
    const eye = await be.upload(
      hostTensor(
        dtype,
        [n, n],
        Float64Array.from({ length: n * n }, (_, i) => +(i % (n + 1) === 0)),
      ),
    );
    const b = PADE[m];
    const sq = (x: DeviceTensor) => ops.gemm(be, x, x);
    const a2 = await sq(scaled);
    let u: DeviceTensor, v: DeviceTensor;
    if (m === 13) {
      const a4 = await sq(a2),
        a6 = await ops.gemm(be, a2, a4);
      // b_i·A⁶ + b_j·A⁴ + b_k·A² (+ b_l·I): U = A·[A⁶·(13, 11, 9) + (7, 5, 3, 1)], V = A⁶·(12, 10, 8) + (6, 4, 2, 0).
      const mix = (i: number, j: number, k: number, l?: number) =>
        combination(
          be,
          dtype,
          n,
          [
            [b[i], a6],
            [b[j], a4],
            [b[k], a2],
          ],
          l === undefined ? 0 : b[l],
          eye,
        );
      const odd = await mix(7, 5, 3, 1);
      await ops.gemm(be, a6, await mix(13, 11, 9), { c: odd, beta: 1 });
      u = await ops.gemm(be, scaled, odd);
      v = await mix(6, 4, 2, 0);
      await ops.gemm(be, a6, await mix(12, 10, 8), { c: v, beta: 1 });
    } else {
      // Powers A², A⁴, … up to A^(m−1); U = A·Σ_odd b_j A^(j−1), V = Σ_even b_j A^j.
      const powers = [eye, a2];
      while (2 * powers.length <= m) powers.push(await ops.gemm(be, powers[powers.length - 1], a2));
      const oddTerms = powers.slice(1).map((p, i) => [b[2 * (i + 1) + 1], p] as const);
      const evenTerms = powers.slice(1).map((p, i) => [b[2 * (i + 1)], p] as const);
      u = await ops.gemm(be, scaled, await combination(be, dtype, n, oddTerms, b[1], eye));
      v = await combination(be, dtype, n, evenTerms, b[0], eye);
    }
    // r_m = (V − U)⁻¹ (V + U).
    const num = await ops.copy(be, v);
    await ops.axpy(be, 1, u, num);
    const den = await ops.copy(be, v);
    await ops.axpy(be, -1, u, den);
    let x = await luSolve(be, den, num);
    for (let k = 0; k < squarings; k++) x = await sq(x);
    release(x);
    return { x, degree: m, squarings };
  } catch (e) {
    release();
    throw e;
  }
}
