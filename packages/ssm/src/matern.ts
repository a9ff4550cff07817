/**
 * Matérn Gaussian processes on the line as linear SDEs (Hartikainen & Särkkä, "Kalman filtering and smoothing
 * solutions to temporal Gaussian process regression models", MLSP 2010; the latent functions of S24, FunBaT).
 * For ν = p + ½ (p = 0, 1, 2) the process and its first p derivatives form the state z (m = p + 1) of
 *
 *   dz = F z dt + L dβ,   F the companion matrix of (s + λ)^m,  λ = √(2ν)/ℓ,  L = e_m,
 *
 * whose stationary covariance P∞ holds k(0) = σ², −k''(0), k''''(0) (below) and f = e₁ᵀz has the Matérn kernel
 * k(r) = σ²·e^{−λr}·(1 | 1 + λr | 1 + λr + λ²r²/3). Between sorted coordinates Δ apart the exact discretization is
 *
 *   A(Δ) = e^{FΔ} = e^{−λΔ}·Σ_{k<m} (NΔ)^k/k!,   N = F + λI nilpotent (F has the single eigenvalue −λ),
 *   Q(Δ) = ∫₀^Δ e^{Fs} L q_c Lᵀ e^{Fᵀs} ds = q_c Σ_{i,j} (Nⁱe_m)(Nʲe_m)ᵀ/(i!j!) · ∫₀^Δ s^{i+j} e^{−2λs} ds,
 *
 * with q_c from the Lyapunov equation F P∞ + P∞ Fᵀ + q_c e_m e_mᵀ = 0 and the integrals by the regularized
 * incomplete gamma function — never as P∞ − A P∞ Aᵀ, which cancels to ε‖P∞‖ when Δ is small (clustered
 * coordinates) and can leave Q indefinite. A is exact, so it is also the golden's check of scipy's expm.
 */
import { ArgumentError, NonFiniteError, ShapeError } from '@lowrank/core';

export type MaternNu = 0.5 | 1.5 | 2.5;
export const MATERN_NUS: readonly MaternNu[] = [0.5, 1.5, 2.5];

export interface MaternSde {
  nu: MaternNu;
  lengthscale: number;
  variance: number;
  /** State dimension m = ν + ½. */
  m: number;
  lambda: number;
  /** F (m×m, row-major). */
  f: Float64Array;
  /** P∞ (m×m). */
  pinf: Float64Array;
  /** The white noise's spectral density q_c. */
  qc: number;
}

/** The SDE of a Matérn-ν kernel with the given lengthscale ℓ and variance σ² (both finite and > 0). */
export function maternSde(nu: MaternNu, lengthscale: number, variance: number): MaternSde {
  if (!MATERN_NUS.includes(nu)) throw new ArgumentError(`Matérn SDEs here take ν ∈ {½, 3/2, 5/2}, got ${nu}`);
  for (const [name, v] of [
    ['lengthscale', lengthscale],
    ['variance', variance],
  ] as const)
    if (!(v > 0 && Number.isFinite(v))) throw new ArgumentError(`the Matérn ${name} must be finite and > 0, got ${v}`);
  const m = nu + 0.5;
  const lambda = Math.sqrt(2 * nu) / lengthscale;
  const f = new Float64Array(m * m);
  for (let i = 0; i + 1 < m; i++) f[i * m + i + 1] = 1;
  // The last row: −C(m, k)·λ^{m−k} for k = 0 … m − 1, the coefficients of (s + λ)^m.
  const binom = [[1], [1, 1], [1, 2, 1], [1, 3, 3, 1]][m];
  for (let k = 0; k < m; k++) f[(m - 1) * m + k] = -binom[k] * lambda ** (m - k);
  const s2 = variance,
    l2 = lambda * lambda;
  const pinf = Float64Array.from(
    m === 1
      ? [s2]
      : m === 2
        ? [s2, 0, 0, l2 * s2]
        : [s2, 0, -(l2 * s2) / 3, 0, (l2 * s2) / 3, 0, -(l2 * s2) / 3, 0, l2 * l2 * s2],
  );
  // q_c from the Lyapunov equation's (m, m) entry: (F P∞ + P∞ Fᵀ)_mm = 2·(F P∞)_mm = −q_c.
  let fp = 0;
  for (let k = 0; k < m; k++) fp += f[(m - 1) * m + k] * pinf[k * m + (m - 1)];
  return { nu, lengthscale, variance, m, lambda, f, pinf, qc: -2 * fp };
}

/** k(r) of the Matérn-ν kernel, r ≥ 0. */
export function maternKernel(sde: MaternSde, r: number): number {
  const x = sde.lambda * Math.abs(r);
  const poly = sde.m === 1 ? 1 : sde.m === 2 ? 1 + x : 1 + x + (x * x) / 3;
  return sde.variance * poly * Math.exp(-x);
}

/** N = F + λI, nilpotent. */
function nilpotent(sde: MaternSde): Float64Array {
  const n = Float64Array.from(sde.f);
  for (let i = 0; i < sde.m; i++) n[i * sde.m + i] += sde.lambda;
  return n;
}

/** Powers N⁰ … N^{m−1}. */
function powers(sde: MaternSde): Float64Array[] {
  const { m } = sde,
    n = nilpotent(sde);
  const out = [Float64Array.from({ length: m * m }, (_, i) => (i % (m + 1) === 0 ? 1 : 0))];
  for (let k = 1; k < m; k++) {
    const prev = out[k - 1],
      next = new Float64Array(m * m);
    for (let i = 0; i < m; i++)
      for (let j = 0; j < m; j++) {
        let s = 0;
        for (let l = 0; l < m; l++) s += prev[i * m + l] * n[l * m + j];
        next[i * m + j] = s;
      }
    out.push(next);
  }
  return out;
}

/**
 * A(Δ) and Q(Δ) for one SDE, with what does not depend on Δ computed once: Nᵏ/k!, and for each k ≤ 2m − 2 the
 * matrix C_k = q_c Σ_{i+j=k} (Nⁱe_m/i!)(Nʲe_m/j!)ᵀ and k!/(2λ)^{k+1}, so Q(Δ) = Σ_k C_k·k!/(2λ)^{k+1}·P(k + 1, 2λΔ).
 */
export class MaternDiscretizer {
  readonly #scaled: Float64Array[];
  readonly #noise: Float64Array[];
  readonly #integral: number[];

  constructor(readonly sde: MaternSde) {
    const { m, lambda, qc } = sde;
    let fact = 1;
    this.#scaled = powers(sde).map((nk, k) => {
      if (k > 0) fact *= k;
      const f = fact;
      return nk.map((v) => v / f);
    });
    this.#noise = Array.from({ length: 2 * m - 1 }, () => new Float64Array(m * m));
    for (let i = 0; i < m; i++)
      for (let j = 0; j < m; j++) {
        const c = this.#noise[i + j];
        for (let a = 0; a < m; a++)
          for (let b = 0; b < m; b++)
            c[a * m + b] += qc * this.#scaled[i][a * m + m - 1] * this.#scaled[j][b * m + m - 1];
      }
    let kf = 1;
    this.#integral = this.#noise.map((_, k) => {
      if (k > 0) kf *= k;
      return kf / (2 * lambda) ** (k + 1);
    });
  }

  /** A(Δ) into a at offset ao: e^{−λΔ}·Σ_k Nᵏ Δᵏ/k!, exactly zero once e^{−λΔ} underflows (λΔ > 745). */
  transition(dt: number, a: Float64Array, ao = 0): void {
    const { m, lambda } = this.sde,
      mm = m * m;
    a.fill(0, ao, ao + mm);
    const x = lambda * dt;
    if (x > 745) return;
    let c = Math.exp(-x);
    for (const nk of this.#scaled) {
      for (let i = 0; i < mm; i++) a[ao + i] += c * nk[i];
      c *= dt;
    }
  }

  /** Q(Δ) into q at offset qo. */
  processNoise(dt: number, q: Float64Array, qo = 0): void {
    const { m, lambda } = this.sde,
      mm = m * m;
    q.fill(0, qo, qo + mm);
    for (const [k, ck] of this.#noise.entries()) {
      const s = this.#integral[k] * lowerGammaRegularized(k + 1, 2 * lambda * dt);
      for (let i = 0; i < mm; i++) q[qo + i] += s * ck[i];
    }
  }
}

/** A(Δ) = e^{FΔ} (m×m), Δ ≥ 0. */
export function maternTransition(sde: MaternSde, dt: number): Float64Array {
  const a = new Float64Array(sde.m * sde.m);
  new MaternDiscretizer(sde).transition(dt, a);
  return a;
}

/** Q(Δ) (m×m, symmetric positive semidefinite) by the integrals above. */
export function maternProcessNoise(sde: MaternSde, dt: number): Float64Array {
  const q = new Float64Array(sde.m * sde.m);
  new MaternDiscretizer(sde).processNoise(dt, q);
  return q;
}

/**
 * P(n, x), the regularized lower incomplete gamma function for integer n ≥ 1: by its series e^{−x}Σ_{j≥n} x^j/j!
 * below x = n + 1 (no cancellation when x is small), else 1 − e^{−x}Σ_{j<n} x^j/j! (both terms ≤ 1, the sum small).
 */
export function lowerGammaRegularized(n: number, x: number): number {
  if (x <= 0) return 0;
  if (x < n + 1) {
    let term = Math.exp(-x),
      sum = 0;
    for (let j = 1; j <= n; j++) term *= x / j;
    for (let j = n; term > 1e-17 * sum || j === n; j++) {
      sum += term;
      term *= x / (j + 1);
    }
    return sum;
  }
  let term = Math.exp(-x),
    sum = 0;
  for (let j = 0; j < n; j++) {
    sum += term;
    term *= x / (j + 1);
  }
  return 1 - sum;
}

/**
 * The model the Kalman primitive takes for coordinates x (any order): the permutation sorting them (stable), and
 * per sorted step A_j, Q_j (A_0 = I, Q_0 = 0: the prior N(0, P∞) is the state at the first coordinate).
 */
export function maternModel(
  sde: MaternSde,
  x: ArrayLike<number>,
): { order: Int32Array; a: Float64Array; q: Float64Array } {
  const n = x.length,
    { m } = sde;
  for (let i = 0; i < n; i++) if (!Number.isFinite(x[i])) throw new NonFiniteError(`coordinate ${i} is not finite`);
  const order = Int32Array.from({ length: n }, (_, i) => i).sort((i, j) => x[i] - x[j] || i - j);
  const a = new Float64Array(n * m * m),
    q = new Float64Array(n * m * m);
  const disc = new MaternDiscretizer(sde);
  for (let i = 0; i < m; i++) a[i * m + i] = 1;
  for (let j = 1; j < n; j++) {
    const dt = x[order[j]] - x[order[j - 1]];
    disc.transition(dt, a, j * m * m);
    disc.processNoise(dt, q, j * m * m);
  }
  return { order, a, q };
}

/** Checks GP data: n coordinates, batch·n targets and precisions (≥ 0, 0 where a coordinate has no observation). */
export function checkGpData(n: number, batch: number, y: ArrayLike<number>, w: ArrayLike<number>): void {
  if (y.length !== batch * n || w.length !== batch * n)
    throw new ShapeError(`GP data: y and w need ${batch}×${n} values, got ${y.length} and ${w.length}`);
  for (let i = 0; i < y.length; i++) {
    if (!Number.isFinite(y[i]) || !Number.isFinite(w[i])) throw new NonFiniteError(`GP data: entry ${i} is not finite`);
    if (!(w[i] >= 0)) throw new ArgumentError(`GP data: precisions must be ≥ 0 (0: no observation), got ${w[i]}`);
  }
}
