/**
 * The Chebyshev–Tucker format (S31; Khoromskaia & Khoromskij, "A mesh-free hybrid Chebyshev-Tucker tensor format
 * with applications to multi-particle modelling"). A function on [−1, 1]³ is sampled on the (n+1)³
 * Chebyshev–Gauss–Lobatto grid x_j = cos(πj/n); its interpolant is p(x, y, z) = Σ_{abc} C_abc T_a(x) T_b(y) T_c(z),
 * with C the sampled values transformed along each mode by
 *
 *   a_k = (w_k/n)·Σ''_j f_j cos(πjk/n),   w_0 = w_n = 1, else 2   (Σ'': first and last terms halved),
 *
 * a DCT-I: with the ends of the input divided by √2 beforehand, the orthonormal DCT-I (the `dct` primitive, type 1)
 * gives a_k times √n at the ends and √(n/2) inside. The diagonal scalings along one mode commute with the transforms
 * along the others, so all of them run on the host before and after three passes of the primitive, the modes
 * rotated between passes by a 2-D transpose ([a·b, c] → [c, a·b]). C is small ((n+1)³) and its Tucker
 * C ≈ G ×₁ U₁ ×₂ U₂ ×₃ U₃ (hooi.ts) carries the function mesh-free: f(x, y, z) ≈ G ×₁ (U₁ᵀT(x)) ×₂ (U₂ᵀT(y))
 * ×₃ (U₃ᵀT(z)), T(t) = (T_0(t), …, T_n(t)) by the three-term recurrence T_{k+1} = 2tT_k − T_{k−1}.
 */
import { ArgumentError, hostTensor, ops, ShapeError, type Backend, type DeviceTensor, type DType } from '@lowrank/core';
import type { Tucker } from './hooi.ts';

/** x_j = cos(πj/n), j = 0 … n. */
export function cglGrid(n: number): Float64Array {
  if (!Number.isInteger(n) || n < 1) throw new ArgumentError(`the Chebyshev degree must be an integer ≥ 1, got ${n}`);
  return Float64Array.from({ length: n + 1 }, (_, j) => Math.cos((Math.PI * j) / n));
}

/** f sampled on the grid, C-order: value (i, j, k) at index (i·(n+1) + j)·(n+1) + k. */
export function sampleOnGrid(f: (x: number, y: number, z: number) => number, n: number): Float64Array {
  const g = cglGrid(n),
    m = n + 1;
  const out = new Float64Array(m * m * m);
  for (let i = 0; i < m; i++)
    for (let j = 0; j < m; j++) for (let k = 0; k < m; k++) out[(i * m + j) * m + k] = f(g[i], g[j], g[k]);
  return out;
}

/** Multiplies entry (i, j, k) of an m³ tensor by d[i]·d[j]·d[k]. */
function scaleModes(t: Float64Array, m: number, d: Float64Array): void {
  for (let i = 0; i < m; i++)
    for (let j = 0; j < m; j++) for (let k = 0; k < m; k++) t[(i * m + j) * m + k] *= d[i] * d[j] * d[k];
}

/** The coefficient tensor C ((n+1)³) of the grid values: three DCT-I passes on the backend (n a power of two). */
export async function chebCoefficients(
  be: Backend,
  dtype: DType,
  values: ArrayLike<number>,
  n: number,
): Promise<Float64Array> {
  const m = n + 1;
  if (values.length !== m * m * m)
    throw new ShapeError(`Chebyshev coefficients: ${values.length} values for an ${m}³ grid`);
  const pre = Float64Array.from({ length: m }, (_, j) => (j === 0 || j === n ? Math.SQRT1_2 : 1));
  const post = Float64Array.from({ length: m }, (_, k) => (k === 0 || k === n ? 1 / Math.sqrt(n) : Math.sqrt(2 / n)));
  const x = Float64Array.from(values);
  scaleModes(x, m, pre);
  const release = be.track();
  try {
    let t = await be.upload(hostTensor(dtype, [m * m, m], x));
    for (let pass = 0; pass < 3; pass++) {
      const y = await ops.dct(be, t, { type: 1 });
      // [a·b, c] → [c, a·b]: the next pass transforms what was the middle mode.
      const r = await ops.transpose(be, y);
      t = await ops.reshape(be, r, [m * m, m]);
    }
    const c = Float64Array.from((await be.download(t)).data);
    scaleModes(c, m, post);
    return c;
  } finally {
    release();
  }
}

/** T_0 … T_n at each point: [P, n+1] row-major, by the three-term recurrence (stable on [−1, 1]). */
export function chebBasis(t: ArrayLike<number>, n: number): Float64Array {
  const m = n + 1,
    out = new Float64Array(t.length * m);
  for (let p = 0; p < t.length; p++) {
    const x = t[p],
      row = p * m;
    out[row] = 1;
    if (n >= 1) out[row + 1] = x;
    for (let k = 1; k < n; k++) out[row + k + 1] = 2 * x * out[row + k] - out[row + k - 1];
  }
  return out;
}

/**
 * The Tucker-format function at P points: V_k = T(t_k)·U_k ([P, r_k], GEMM), M = V₁·G_(1) ([P, r₂r₃], GEMM), then
 * f_p = Σ_{bc} M[p, b·r₃ + c]·V₂[p, b]·V₃[p, c] (an elementwise product with the rows' Kronecker products and a row
 * sum on the backend).
 */
export async function chebTuckerEval(
  be: Backend,
  dtype: DType,
  t: Pick<Tucker, 'core' | 'coreShape' | 'factors'>,
  points: readonly [ArrayLike<number>, ArrayLike<number>, ArrayLike<number>],
  n: number,
): Promise<Float64Array> {
  const P = points[0].length,
    [r1, r2, r3] = t.coreShape;
  if (points.some((p) => p.length !== P))
    throw new ShapeError('Chebyshev–Tucker evaluation: one coordinate per mode per point');
  const release = be.track();
  try {
    const v: DeviceTensor[] = [];
    for (let k = 0; k < 3; k++) {
      const basis = await be.upload(hostTensor(dtype, [P, n + 1], chebBasis(points[k], n)));
      v.push(await ops.gemm(be, basis, t.factors[k]));
    }
    const g1 = await ops.reshape(be, t.core, [r1, r2 * r3]);
    const mm = await ops.gemm(be, v[0], g1);
    const v2 = (await be.download(v[1])).data,
      v3 = (await be.download(v[2])).data;
    const kr = new Float64Array(P * r2 * r3);
    for (let p = 0; p < P; p++)
      for (let b = 0; b < r2; b++)
        for (let c = 0; c < r3; c++) kr[(p * r2 + b) * r3 + c] = v2[p * r2 + b] * v3[p * r3 + c];
    const prod = await ops.binary(be, 'mul', mm, await be.upload(hostTensor(dtype, [P, r2 * r3], kr)));
    const sums = await ops.reduce(be, 'sum', prod, 'rows');
    return Float64Array.from((await be.download(sums)).data);
  } finally {
    release();
  }
}
