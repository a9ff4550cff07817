/**
 * Adam (Kingma & Ba, 2015, Algorithm 1) on host parameters: the optimizer the families train their
 * networks with. Updates are elementwise over at most a few hundred thousand values, so they run on the host.
 */
export class Adam {
  readonly #m: Float64Array;
  readonly #v: Float64Array;
  #t = 0;

  constructor(
    size: number,
    readonly lr = 1e-3,
    readonly beta1 = 0.9,
    readonly beta2 = 0.999,
    readonly eps = 1e-8,
  ) {
    this.#m = new Float64Array(size);
    this.#v = new Float64Array(size);
  }

  /** θ ← θ − lr·m̂/(√v̂ + ε) with bias-corrected moments m̂ = m/(1 − β₁ᵗ), v̂ = v/(1 − β₂ᵗ); in place. */
  step(theta: Float64Array, grad: ArrayLike<number>): void {
    this.stepParts([theta], [grad]);
  }

  /**
   * The same step for parameters held in several arrays — views onto the live parameters are updated in
   * place — taken end to end in the order given (the moments follow that order); grads in the same shapes.
   */
  stepParts(thetas: readonly Float64Array[], grads: readonly ArrayLike<number>[]): void {
    if (grads.length !== thetas.length || thetas.some((t, i) => grads[i].length !== t.length))
      throw new RangeError('adam: every parameter part needs a gradient of its length');
    const total = thetas.reduce((s, t) => s + t.length, 0);
    if (total !== this.#m.length)
      throw new RangeError(`adam: ${total} parameters for an optimizer made for ${this.#m.length}`);
    this.#t++;
    const c1 = 1 - this.beta1 ** this.#t,
      c2 = 1 - this.beta2 ** this.#t;
    let k = 0;
    thetas.forEach((theta, part) => {
      const grad = grads[part];
      for (let i = 0; i < theta.length; i++, k++) {
        this.#m[k] = this.beta1 * this.#m[k] + (1 - this.beta1) * grad[i];
        this.#v[k] = this.beta2 * this.#v[k] + (1 - this.beta2) * grad[i] * grad[i];
        theta[i] -= (this.lr * (this.#m[k] / c1)) / (Math.sqrt(this.#v[k] / c2) + this.eps);
      }
    });
  }
}
