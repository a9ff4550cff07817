/**
 * Adam (Kingma & Ba, 2015, Algorithm 1) on a flat host parameter vector: the optimizer S39 trains its
 * networks with. Updates are elementwise over P ≤ a few thousand values, so they run on the host.
 */
export class Adam {
  readonly #m: Float64Array;
  readonly #v: Float64Array;
  #t = 0;

  constructor(size: number, readonly lr = 1e-3, readonly beta1 = 0.9, readonly beta2 = 0.999, readonly eps = 1e-8) {
    this.#m = new Float64Array(size);
    this.#v = new Float64Array(size);
  }

  /** θ ← θ − lr·m̂/(√v̂ + ε) with bias-corrected moments m̂ = m/(1 − β₁ᵗ), v̂ = v/(1 − β₂ᵗ); in place. */
  step(theta: Float64Array, grad: ArrayLike<number>): void {
    this.#t++;
    const c1 = 1 - this.beta1 ** this.#t, c2 = 1 - this.beta2 ** this.#t;
    for (let i = 0; i < theta.length; i++) {
      this.#m[i] = this.beta1 * this.#m[i] + (1 - this.beta1) * grad[i];
      this.#v[i] = this.beta2 * this.#v[i] + (1 - this.beta2) * grad[i] * grad[i];
      theta[i] -= (this.lr * (this.#m[i] / c1)) / (Math.sqrt(this.#v[i] / c2) + this.eps);
    }
  }
}
