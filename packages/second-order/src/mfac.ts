/**
 * M-FAC (S41, Frantar, Kurtic & Alistarh, "M-FAC: Efficient Matrix-Free Approximations of
 * Second-Order Information", NeurIPS 2021): products with the inverse of the empirical Fisher
 *   F = λI + (1/m)·Σ_{i≤m} g_i g_iᵀ
 * without forming any d×d matrix.
 *
 * Static (their §3, Algorithm 1): the Sherman–Morrison recursion
 *   F_i⁻¹ = F_{i−1}⁻¹ − v_i v_iᵀ / (m + g_iᵀv_i),  v_i = F_{i−1}⁻¹ g_i,  F_0 = λI,
 * stored implicitly: every v_i is a combination of the gradients, v_i = Σ_{j≤i} C_ij g_j, and C
 * follows from the Gram matrix K = GGᵀ alone (O(dm²) for K, O(m³) for C). With B = D^{-1/2}C,
 * D = diag(m + g_iᵀv_i):  F⁻¹x = x/λ − Gᵀ·Bᵀ·B·G·x, O(dm) per product; [F⁻¹]_qq = 1/λ − Σ_i (BG)_iq².
 *
 * Dynamic (their §4, sliding window): a ring buffer of the last m gradients and their Gram matrix,
 * one row and column of it refreshed per new gradient (m dot products, O(dm)); the m×m system of
 * Woodbury's identity F⁻¹x = (x − Gᵀ(mλI + K)⁻¹Gx)/λ is refactored per update (O(m³), Cholesky:
 * mλI + K is symmetric positive definite, so this is the paper's unpivoted LU of λ⁻¹K + mI up to
 * scaling), and each product costs O(dm + m²).
 */
import {
  choleskyFactor,
  choleskySolve,
  hostTensor,
  ops,
  type Backend,
  type DeviceTensor,
  type DType,
} from '@lowrank/core';

export interface StaticMfac {
  /** The m gradients as rows (m×d). */
  g: DeviceTensor;
  /** B = D^{-1/2}·C (m×m). */
  b: DeviceTensor;
  lambda: number;
  m: number;
  d: number;
}

/** The recursion's coefficients from the Gram matrix K (row-major m×m): returns B = D^{-1/2}C. */
export function mfacCoefficients(k: ArrayLike<number>, m: number, lambda: number): Float64Array {
  const c = new Float64Array(m * m);
  const dInv = new Float64Array(m);
  for (let i = 0; i < m; i++) {
    // w_j = v_jᵀ g_i = Σ_l C_jl K_li for j < i; then C_i = e_i/λ − Σ_j (w_j/d_j)·C_j.
    c[i * m + i] = 1 / lambda;
    for (let j = 0; j < i; j++) {
      let w = 0;
      for (let l = 0; l <= j; l++) w += c[j * m + l] * k[l * m + i];
      const f = w * dInv[j];
      for (let l = 0; l <= j; l++) c[i * m + l] -= f * c[j * m + l];
    }
    let gv = 0;
    for (let l = 0; l <= i; l++) gv += c[i * m + l] * k[l * m + i];
    dInv[i] = 1 / (m + gv);
  }
  for (let i = 0; i < m; i++) for (let l = 0; l <= i; l++) c[i * m + l] *= Math.sqrt(dInv[i]);
  return c;
}

/** Set-up: K = GGᵀ on the backend (O(dm²)), the coefficients on the host (O(m³)). */
export async function staticMfac(be: Backend, g: DeviceTensor, lambda: number): Promise<StaticMfac> {
  const [m, d] = g.shape;
  const k = await ops.gemm(be, g, g, { transB: true });
  const kh = (await be.download(k)).data;
  be.dispose(k);
  const b = await be.upload(hostTensor(g.dtype, [m, m], mfacCoefficients(kh, m, lambda)));
  return { g, b, lambda, m, d };
}

/** y = F⁻¹x in O(dm): q = Gx, r = Bq, s = Bᵀr, y = x/λ − Gᵀs. */
export async function mfacIhvp(be: Backend, f: StaticMfac, x: DeviceTensor): Promise<DeviceTensor> {
  const q = await ops.gemv(be, f.g, x);
  const r = await ops.gemv(be, f.b, q);
  const s = await ops.gemv(be, f.b, r, { trans: true });
  const y = await ops.axpy(be, 1 / f.lambda, x, be.zeros(x.dtype, [f.d]));
  await ops.gemv(be, f.g, s, { trans: true, alpha: -1, beta: 1, y });
  for (const t of [q, r, s]) be.dispose(t);
  return y;
}

/** All d diagonal entries of F⁻¹: 1/λ − Σ_i (BG)_iq² (V = BG once, then O(m) per entry). */
export async function mfacInverseDiagonal(be: Backend, f: StaticMfac): Promise<Float64Array> {
  const v = await ops.gemm(be, f.b, f.g);
  const sq = await ops.reduce(be, 'sumsq', v, 'cols');
  const out = Float64Array.from((await be.download(sq)).data, (s) => 1 / f.lambda - s);
  be.dispose(v);
  be.dispose(sq);
  return out;
}

/** The dynamic algorithm: a window of the last m gradients, each its own device vector. */
export class SlidingMfac {
  private readonly rows: Array<DeviceTensor | null>;
  private readonly gram: Float64Array;
  private factor: Float64Array | null = null;
  private next = 0;

  constructor(
    private readonly be: Backend,
    readonly m: number,
    readonly d: number,
    readonly lambda: number,
    readonly dtype: DType,
  ) {
    this.rows = new Array<DeviceTensor | null>(m).fill(null);
    this.gram = new Float64Array(m * m);
  }

  /** Replaces the oldest gradient: one Gram row/column by m dot products (O(dm)), then the O(m³) refactorization. */
  async add(g: Float64Array): Promise<void> {
    const i = this.next;
    this.next = (i + 1) % this.m;
    const old = this.rows[i];
    if (old !== null) this.be.dispose(old);
    const row = await this.be.upload(hostTensor(this.dtype, [this.d], g));
    this.rows[i] = row;
    for (let j = 0; j < this.m; j++) {
      const other = this.rows[j];
      const v = other === null ? 0 : await ops.dot(this.be, row, other);
      this.gram[i * this.m + j] = v;
      this.gram[j * this.m + i] = v;
    }
    const a = Float64Array.from(this.gram);
    for (let j = 0; j < this.m; j++) a[j * this.m + j] += this.m * this.lambda;
    this.factor = choleskyFactor(a, this.m, 'the M-FAC window matrix');
  }

  /** y = F⁻¹x = (x − Gᵀ(mλI + K)⁻¹Gx)/λ in O(dm + m²); empty slots are zero gradients. */
  async ihvp(x: DeviceTensor): Promise<DeviceTensor> {
    if (this.factor === null) throw new RangeError('SlidingMfac.ihvp: no gradient added yet');
    const q = new Float64Array(this.m);
    for (let j = 0; j < this.m; j++) {
      const r = this.rows[j];
      q[j] = r === null ? 0 : await ops.dot(this.be, r, x);
    }
    const s = choleskySolve(this.factor, this.m, q);
    const y = await ops.axpy(this.be, 1 / this.lambda, x, this.be.zeros(x.dtype, [this.d]));
    for (let j = 0; j < this.m; j++) {
      const r = this.rows[j];
      if (r !== null && s[j] !== 0) await ops.axpy(this.be, -s[j] / this.lambda, r, y);
    }
    return y;
  }

  dispose(): void {
    for (const r of this.rows) if (r !== null) this.be.dispose(r);
  }
}
