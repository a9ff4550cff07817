import { choleskyFactor, choleskySolve, fillRandom } from '@lowrank/core';

/**
 * m gradients of dimension d with a decaying spectrum: g_iq = z_iq·(1 + q/10)^(-1/2), z standard
 * normal (seeded), so a few coordinates dominate as in the gradients of a trained network.
 */
export function gradients(m: number, d: number, seed: number, stream = 0): Float64Array {
  const z = fillRandom({ seed, stream }, 'normal', 'f64', m * d) as Float64Array;
  for (let i = 0; i < m; i++) for (let q = 0; q < d; q++) z[i * d + q] /= Math.sqrt(1 + q / 10);
  return z;
}

/** λ = 1e-4 · mean ‖g_i‖², the plan's damping. */
export function damping(g: Float64Array, m: number): number {
  let s = 0;
  for (const v of g) s += v * v;
  return (1e-4 * s) / m;
}

/**
 * The independent reference, on the host in f64: Woodbury's identity
 * F⁻¹x = (x − Gᵀ(mλI + GGᵀ)⁻¹Gx)/λ with a fresh Gram matrix and Cholesky factorization.
 */
export class WoodburyReference {
  private readonly l: Float64Array;
  constructor(
    private readonly g: Float64Array,
    private readonly m: number,
    private readonly d: number,
    private readonly lambda: number,
  ) {
    const a = new Float64Array(m * m);
    for (let i = 0; i < m; i++) {
      for (let j = 0; j <= i; j++) {
        let s = 0;
        for (let q = 0; q < d; q++) s += g[i * d + q] * g[j * d + q];
        a[i * m + j] = a[j * m + i] = s;
      }
      a[i * m + i] += m * lambda;
    }
    this.l = choleskyFactor(a, m, 'the Woodbury matrix');
  }

  ihvp(x: ArrayLike<number>): Float64Array {
    const { g, m, d, lambda } = this;
    const gx = new Float64Array(m);
    for (let i = 0; i < m; i++) for (let q = 0; q < d; q++) gx[i] += g[i * d + q] * x[q];
    const s = choleskySolve(this.l, m, gx);
    const y = Float64Array.from(x);
    for (let i = 0; i < m; i++) for (let q = 0; q < d; q++) y[q] -= g[i * d + q] * s[i];
    return y.map((v) => v / lambda);
  }

  /** [F⁻¹]_qq = (1 − g_qᵀ(mλI + K)⁻¹g_q)/λ, g_q the q-th column of G. */
  diagonal(q: number): number {
    const col = Float64Array.from({ length: this.m }, (_, i) => this.g[i * this.d + q]);
    const s = choleskySolve(this.l, this.m, col);
    return (1 - col.reduce((a, v, i) => a + v * s[i], 0)) / this.lambda;
  }
}

/** ‖y − ŷ‖/‖y‖. */
export function relativeError(y: ArrayLike<number>, yHat: ArrayLike<number>): number {
  let num = 0,
    den = 0;
  for (let i = 0; i < y.length; i++) {
    num += (y[i] - yHat[i]) ** 2;
    den += y[i] ** 2;
  }
  return Math.sqrt(num / den);
}
