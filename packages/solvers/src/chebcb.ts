/**
 * ChebCB, the contextual bandit of S37 (Khodak et al., "Learning to relax"; learners/ChebCB.m of the
 * authors' code): for a scalar context c ∈ [a, b] (the diagonal offset), each arm's cost is regressed
 * on the Chebyshev features T_0…T_{m−1} of c mapped to [−1, 1], and arms are drawn by inverse-gap
 * weighting around the predicted best (SquareCB):
 *
 *   p_i = 1/(d + η·(ŷ_i − ŷ*)) for i ≠ i*,  p_{i*} = 1 − Σ_{i≠i*} p_i.
 *
 * After each round, with K = max cost, L = (max − min cost)/(b − a), N = 2 + 4(b − a)L/K·(1 + ln m) and
 * scale = K·N, an arm's coefficients are the least-squares fit of (cost − 1)/scale on its own rounds —
 * refitted for every arm when the scale changes — and, when a coefficient leaves the box
 * |θ_0| ≤ 1/N, |θ_j| ≤ 2(b − a)L/(scale·j), the box-constrained fit; then
 * η = 2t·√(d·t/(R − resnorm + 2α²t)), R the squared error of the past predictions against cost/scale,
 * α = (π + (2/π)ln(2m + 1))/(2·scale·(m + 1))·(b − a)·L, resnorm the last box fit's residual.
 *
 * Two numerical choices where MATLAB's library calls have no equivalent here, both on the m×m normal
 * equations accumulated per arm: the minimum-norm fit (lsqminnorm) is a ridge solve with λ = 1e-10 of the
 * Gram matrix's mean diagonal (its null-space component is then O(ε/λ)); the box fit (lsqlin) is projected
 * gradient with Nesterov momentum, 500 steps of 1/λ_max (a convex QP: it converges to the same point).
 */
import {
  ArgumentError,
  NonFiniteError,
  StreamReader,
  choleskyFactor,
  choleskySolve,
  type StreamId,
} from '@lowrank/core';

/** T_0(x)…T_{m−1}(x) by the three-term recurrence. */
export function chebyshevFeatures(x: number, m: number): Float64Array {
  const t = new Float64Array(m);
  t[0] = 1;
  if (m > 1) t[1] = x;
  for (let j = 2; j < m; j++) t[j] = 2 * x * t[j - 1] - t[j - 2];
  return t;
}

/** Per arm: Fᵀ·F, Fᵀ·(ℓ − 1) and Σ(ℓ − 1)² over the rounds it was played. */
interface ArmData {
  gram: Float64Array;
  moment: Float64Array;
  sumSq: number;
  rounds: number;
}

const quad = (g: Float64Array, v: Float64Array, m: number) => {
  let s = 0;
  for (let i = 0; i < m; i++) for (let j = 0; j < m; j++) s += v[i] * g[i * m + j] * v[j];
  return s;
};

export class ChebCb {
  readonly #m: number;
  readonly #theta: Float64Array[];
  readonly #arms: ArmData[];
  readonly #draws: StreamReader;
  readonly #losses: number[] = [];
  readonly #predicted: number[] = [];
  #t = 1;
  #eta = 0;
  #scale = 0;
  #feature: Float64Array = new Float64Array(0);
  #action = -1;

  constructor(
    readonly grid: readonly number[],
    readonly degree: number,
    readonly lower: number,
    readonly upper: number,
    id: StreamId,
  ) {
    if (grid.length < 1) throw new ArgumentError('ChebCB needs at least one arm');
    if (!Number.isInteger(degree) || degree < 1)
      throw new ArgumentError(`ChebCB's m must be an integer ≥ 1, got ${degree}`);
    if (!(upper > lower))
      throw new ArgumentError(`ChebCB's context interval must have b > a, got [${lower}, ${upper}]`);
    this.#m = degree;
    this.#theta = grid.map(() => new Float64Array(degree));
    this.#arms = grid.map(() => ({
      gram: new Float64Array(degree * degree),
      moment: new Float64Array(degree),
      sumSq: 0,
      rounds: 0,
    }));
    this.#draws = new StreamReader(id);
  }

  /** Draws an arm for context c by inverse-gap weighting around the arm with the least predicted cost. */
  predict(context: number): number {
    if (!Number.isFinite(context)) throw new NonFiniteError(`ChebCB: the context must be finite, got ${context}`);
    const width = this.upper - this.lower;
    this.#feature = chebyshevFeatures((2 / width) * (context - this.lower) - 1, this.#m);
    const yhat = this.#theta.map((th) => th.reduce((s, v, j) => s + v * this.#feature[j], 0));
    const best = yhat.indexOf(Math.min(...yhat));
    const d = this.grid.length;
    const p = yhat.map((y, i) => (i === best ? 0 : 1 / (d + this.#eta * (y - yhat[best]))));
    p[best] = 1 - p.reduce((s, v) => s + v, 0);
    const u = this.#draws.uniform();
    let acc = 0;
    this.#action = d - 1;
    for (let i = 0; i < d; i++) {
      acc += p[i];
      if (u < acc) {
        this.#action = i;
        break;
      }
    }
    this.#predicted.push(yhat[this.#action]);
    return this.#action;
  }

  /** The unconstrained fit: the ridge-regularized normal equations (a minimum-norm fit where F is rank-deficient). */
  #fit(arm: ArmData): Float64Array {
    const m = this.#m;
    const g = Float64Array.from(arm.gram);
    let trace = 0;
    for (let i = 0; i < m; i++) trace += g[i * m + i];
    const ridge = (1e-10 * trace) / m || 1e-300;
    for (let i = 0; i < m; i++) g[i * m + i] += ridge;
    return choleskySolve(
      choleskyFactor(g, m, 'ChebCB Gram'),
      m,
      arm.moment.map((v) => v / this.#scale),
    );
  }

  /** min ‖Fθ − y‖² over the box |θ| ≤ ub, from θ: projected gradient with momentum; returns θ and the residual. */
  #boxFit(arm: ArmData, start: Float64Array, ub: Float64Array): { theta: Float64Array; resnorm: number } {
    const m = this.#m;
    const h = arm.moment.map((v) => v / this.#scale);
    let lmax = 0;
    for (let i = 0; i < m; i++) {
      let r = 0;
      for (let j = 0; j < m; j++) r += Math.abs(arm.gram[i * m + j]);
      lmax = Math.max(lmax, r);
    }
    const clip = (v: Float64Array) => v.map((x, j) => Math.min(ub[j], Math.max(-ub[j], x)));
    let theta = clip(start),
      previous = theta,
      y = theta;
    for (let k = 1; k <= 500 && lmax > 0; k++) {
      const grad = new Float64Array(m);
      for (let i = 0; i < m; i++) {
        let s = -h[i];
        for (let j = 0; j < m; j++) s += arm.gram[i * m + j] * y[j];
        grad[i] = s;
      }
      previous = theta;
      theta = clip(y.map((v, i) => v - grad[i] / lmax));
      y = theta.map((v, i) => v + ((k - 1) / (k + 2)) * (v - previous[i]));
    }
    // ‖Fθ − y‖² = θᵀGθ − 2θᵀh + Σy².
    const resnorm =
      quad(arm.gram, theta, m) - 2 * theta.reduce((s, v, i) => s + v * h[i], 0) + arm.sumSq / this.#scale ** 2;
    return { theta, resnorm: Math.max(0, resnorm) };
  }

  /** Feeds the chosen arm's cost and refits as the authors' update does. */
  update(loss: number): void {
    if (this.#action < 0) throw new ArgumentError('ChebCB: update before predict');
    if (!Number.isFinite(loss)) throw new NonFiniteError(`ChebCB: the cost must be finite, got ${loss}`);
    const m = this.#m,
      width = this.upper - this.lower;
    const arm = this.#arms[this.#action];
    for (let i = 0; i < m; i++) {
      arm.moment[i] += this.#feature[i] * (loss - 1);
      for (let j = 0; j < m; j++) arm.gram[i * m + j] += this.#feature[i] * this.#feature[j];
    }
    arm.sumSq += (loss - 1) ** 2;
    arm.rounds++;
    this.#losses.push(loss);
    const big = Math.max(...this.#losses),
      small = Math.min(...this.#losses);
    const lip = (big - small) / width;
    const n = 2 + ((4 * width * lip) / big) * (1 + Math.log(m));
    const rescaled = this.#scale !== big * n;
    this.#scale = big * n;
    const ub = Float64Array.from({ length: m }, (_, j) => (j === 0 ? 1 / n : (2 * width * lip) / this.#scale / j));
    let resnorm = 0;
    this.#arms.forEach((a, i) => {
      if ((!rescaled && i !== this.#action) || a.rounds === 0) return;
      this.#theta[i] = this.#fit(a);
      if (this.#theta[i].some((v, j) => Math.abs(v) > ub[j])) {
        const box = this.#boxFit(a, this.#theta[i], ub);
        this.#theta[i] = box.theta;
        resnorm = box.resnorm;
      }
    });
    const alpha = ((Math.PI + (2 / Math.PI) * Math.log(2 * m + 1)) / (2 * this.#scale * (m + 1))) * width * lip;
    let r = 0;
    for (let s = 0; s < this.#t; s++) r += (this.#predicted[s] - this.#losses[s] / big / n) ** 2;
    const d = this.grid.length;
    // The code's denominator can reach zero or below (MATLAB's sqrt then goes complex); the rate is kept.
    const denominator = r - resnorm + 2 * alpha * alpha * this.#t;
    if (denominator > 0) this.#eta = 2 * this.#t * Math.sqrt((d * this.#t) / denominator);
    this.#t++;
  }
}
