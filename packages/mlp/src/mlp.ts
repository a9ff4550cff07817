/**
 * A small reverse-mode automatic differentiation for multilayer perceptrons, written once against the
 * Backend interface (every product is a GEMM on the backend; the k-class softmax head, N×k numbers,
 * runs on the host in f64).
 *
 *   Z_l = H_l·W_l + 1·b_lᵀ,  H_{l+1} = tanh(Z_l)  (hidden layers),  logits = Z_{L−1},
 *   loss = (1/N)·Σ_i −log softmax(logits_i)[y_i]   (or, with the 'mse' head, (1/N)·Σ_i ‖logits_i − y_i‖²).
 *
 * Parameters are one flat vector θ, layer by layer: W_l (w_l×w_{l+1}, row-major) then b_l (w_{l+1}).
 * Hessian-vector products use Pearlmutter's R-operator (forward-over-reverse, "Fast exact
 * multiplication by the Hessian", 1994): R{·} = d/dr (·)(θ + r·v) at r = 0 pushed through the forward
 * pass and then through the backward pass; exact to rounding, at the cost of about two gradients.
 * Gauss–Newton-vector products G·v = Jᵀ·∇²ℓ·J·v (the matrix S39 compares the Hessian's outliers with)
 * use the same R-forward pass and a plain backward pass.
 */
import {
  fillRandom,
  hostTensor,
  ops,
  ShapeError,
  ArgumentError,
  type Backend,
  type DeviceTensor,
  type DType,
} from '@lowrank/core';

/** Number of parameters of an MLP with layer widths w_0 (inputs) … w_L (classes). */
export function parameterCount(widths: readonly number[]): number {
  let p = 0;
  for (let l = 0; l + 1 < widths.length; l++) p += widths[l] * widths[l + 1] + widths[l + 1];
  return p;
}

/** Where layer l's W_l (w_l×w_{l+1}, row-major) starts in θ; its bias follows at + w_l·w_{l+1}. */
export function layerOffsets(widths: readonly number[]): number[] {
  const out: number[] = [];
  for (let l = 0, off = 0; l + 1 < widths.length; l++) {
    out.push(off);
    off += widths[l] * widths[l + 1] + widths[l + 1];
  }
  return out;
}

/** LeCun-normal weights (variance 1/fan-in, the scale that keeps tanh units out of saturation), zero biases. */
export function initialParameters(widths: readonly number[], seed: number): Float64Array {
  const theta = new Float64Array(parameterCount(widths));
  let off = 0;
  for (let l = 0; l + 1 < widths.length; l++) {
    const w = fillRandom({ seed, stream: 40 + l }, 'normal', 'f64', widths[l] * widths[l + 1]);
    for (let i = 0; i < w.length; i++) theta[off + i] = w[i] / Math.sqrt(widths[l]);
    off += widths[l] * widths[l + 1] + widths[l + 1];
  }
  return theta;
}

export type CurvatureMode = 'hessian' | 'gauss-newton';

/**
 * The loss on the last layer's outputs z: 'softmax', the mean cross-entropy of class labels,
 * (1/N)·Σ_i −log softmax(z_i)[y_i]; 'mse', the mean squared error against real targets (N×k),
 * (1/N)·Σ_i ‖z_i − y_i‖² (regression).
 */
export type MlpHead = 'softmax' | 'mse';

/**
 * Validates inputs (n×w₀, finite) and the targets: class labels (integers in [0, k), one per sample) or,
 * for 'mse', k finite reals per sample. Returns the sample count and the targets.
 */
function checkData(
  widths: readonly number[],
  x: Float64Array,
  labels: ArrayLike<number>,
  head: MlpHead,
): { n: number; y: Float64Array } {
  const k = widths[widths.length - 1];
  if (head === 'mse' && labels.length % k !== 0)
    throw new ShapeError(`mlp: ${labels.length} targets is not a whole number of samples of ${k} outputs`);
  const n = head === 'mse' ? labels.length / k : labels.length;
  if (x.length !== n * widths[0])
    throw new ShapeError(`mlp: x has ${x.length} values but ${n} samples × ${widths[0]} inputs were expected`);
  const bad = Array.from(x).findIndex((v) => !Number.isFinite(v));
  if (bad >= 0) throw new ArgumentError(`mlp: x[${bad}] is ${x[bad]}`);
  const y = Float64Array.from(labels);
  y.forEach((c, i) => {
    if (head === 'mse' && !Number.isFinite(c)) throw new ArgumentError(`mlp: target ${i} is ${labels[i]}`);
    if (head === 'softmax' && !(c >= 0 && c < k && Number.isInteger(c)))
      throw new ArgumentError(`mlp: label ${i} is ${labels[i]}, not a class in [0, ${k})`);
  });
  return { n, y };
}

interface Forward {
  /** hs[l]: the input of layer l (hs[0] = X; hs[l + 1] = tanh(Z_l) for hidden layers). */
  hs: DeviceTensor[];
  /** Softmax probabilities (N×k) or, for 'mse', the residuals z − y, on the host. */
  probs: Float64Array;
  loss: number;
}

/**
 * An MLP bound to a backend, a dtype and a data set (inputs X, N×w_0, and class labels or, with the
 * 'mse' head, real targets).
 * Methods that allocate release their intermediates before returning; results come back to the host.
 */
export class Mlp {
  readonly parameters: number;
  readonly #weights: DeviceTensor[] = [];
  readonly #biases: DeviceTensor[] = [];
  /** N×w matrices of ones by width w, made once in `create`. */
  readonly #ones = new Map<number, DeviceTensor>();

  private constructor(
    readonly be: Backend,
    readonly dtype: DType,
    readonly widths: readonly number[],
    readonly n: number,
    private x: DeviceTensor,
    private labels: Float64Array,
    readonly head: MlpHead,
  ) {
    this.parameters = parameterCount(widths);
  }

  /** Checks shapes, labels and finiteness, uploads the data. */
  static async create(
    be: Backend,
    dtype: DType,
    widths: readonly number[],
    x: Float64Array,
    labels: ArrayLike<number>,
    o: { head?: MlpHead } = {},
  ): Promise<Mlp> {
    if (widths.length < 2 || widths.some((w) => !Number.isInteger(w) || w < 1))
      throw new ArgumentError(`mlp: widths must be at least two positive integers, got [${widths.join(', ')}]`);
    const head = o.head ?? 'softmax';
    const { n, y } = checkData(widths, x, labels, head);
    const net = new Mlp(be, dtype, widths, n, await be.upload(hostTensor(dtype, [n, widths[0]], x)), y, head);
    // N×w matrices of ones, kept: 1·bᵀ adds a bias by GEMM (w = 1) and tanh′ = 1 − T² needs one per hidden width.
    for (const w of new Set([1, ...widths.slice(1, -1)]))
      net.#ones.set(w, await be.upload(hostTensor(dtype, [n, w], new Float64Array(n * w).fill(1))));
    return net;
  }

  /** Replaces the data by another batch of the same size (minibatch training), with the same checks as `create`. */
  async setBatch(x: Float64Array, labels: ArrayLike<number>): Promise<void> {
    const { n, y } = checkData(this.widths, x, labels, this.head);
    if (n !== this.n) throw new ShapeError(`mlp: a batch of ${n} samples for a network made for ${this.n}`);
    const next = await this.be.upload(hostTensor(this.dtype, [this.n, this.widths[0]], x));
    this.be.dispose(this.x);
    this.x = next;
    this.labels = y;
  }

  get layers(): number {
    return this.widths.length - 1;
  }

  /** Uploads θ (length `parameters`), replacing the current parameters. */
  async setParameters(theta: ArrayLike<number>): Promise<void> {
    if (theta.length !== this.parameters)
      throw new ShapeError(`mlp: θ has ${theta.length} values, the network ${this.parameters}`);
    for (const t of [...this.#weights, ...this.#biases]) this.be.dispose(t);
    const parts = await this.#split(theta);
    this.#weights.splice(0, this.#weights.length, ...parts.w);
    this.#biases.splice(0, this.#biases.length, ...parts.b);
  }

  /** Per-layer device tensors W_l (w_l×w_{l+1}) and b_l (1×w_{l+1}) of a flat vector. */
  async #split(theta: ArrayLike<number>): Promise<{ w: DeviceTensor[]; b: DeviceTensor[] }> {
    const w: DeviceTensor[] = [],
      b: DeviceTensor[] = [];
    // A view where θ is typed (copying a few hundred thousand numbers into an array cost 20 ms a call).
    const flat = theta instanceof Float64Array ? theta : Float64Array.from(theta);
    const part = (at: number, length: number) => flat.subarray(at, at + length);
    let off = 0;
    for (let l = 0; l < this.layers; l++) {
      const [fanIn, fanOut] = [this.widths[l], this.widths[l + 1]];
      w.push(await this.be.upload(hostTensor(this.dtype, [fanIn, fanOut], part(off, fanIn * fanOut))));
      off += fanIn * fanOut;
      b.push(await this.be.upload(hostTensor(this.dtype, [1, fanOut], part(off, fanOut))));
      off += fanOut;
    }
    return { w, b };
  }

  /** Z = H·W + 1·bᵀ. */
  async #affine(h: DeviceTensor, w: DeviceTensor, b: DeviceTensor): Promise<DeviceTensor> {
    const z = await ops.gemm(this.be, h, w);
    return ops.gemm(this.be, this.#ones.get(1)!, b, { c: z, beta: 1 });
  }

  async #forward(): Promise<Forward> {
    if (this.#weights.length === 0) throw new ArgumentError('mlp: no parameters set (call setParameters first)');
    const hs = [this.x];
    let logits: DeviceTensor | null = null;
    for (let l = 0; l < this.layers; l++) {
      const z = await this.#affine(hs[l], this.#weights[l], this.#biases[l]);
      if (l + 1 < this.layers) hs.push(await ops.unary(this.be, 'tanh', z));
      else logits = z;
    }
    const out = Float64Array.from((await this.be.download(logits!)).data);
    const { probs, loss } = this.head === 'mse' ? this.#squaredErrorHead(out) : this.#softmaxHead(out);
    return { hs, probs, loss };
  }

  /** Row-wise softmax (max-shifted) and the mean cross-entropy, in f64 on the host. */
  #softmaxHead(logits: Float64Array): { probs: Float64Array; loss: number } {
    const k = this.widths[this.layers];
    const probs = new Float64Array(logits.length);
    let loss = 0;
    for (let i = 0; i < this.n; i++) {
      let max = -Infinity,
        sum = 0;
      for (let c = 0; c < k; c++) max = Math.max(max, logits[i * k + c]);
      for (let c = 0; c < k; c++) sum += probs[i * k + c] = Math.exp(logits[i * k + c] - max);
      for (let c = 0; c < k; c++) probs[i * k + c] /= sum;
      loss += Math.log(sum) + max - logits[i * k + this.labels[i]];
    }
    return { probs, loss: loss / this.n };
  }

  /** Residuals z − y and the mean squared error, on the host. */
  #squaredErrorHead(out: Float64Array): { probs: Float64Array; loss: number } {
    const residual = out.map((z, i) => z - this.labels[i]);
    return { probs: residual, loss: residual.reduce((s, r) => s + r * r, 0) / this.n };
  }

  /** ∂loss/∂logits = (P − Y)·scale, or 2·(z − y)·scale for 'mse' (scale 1/N for the mean loss, 1 per sample). */
  #outputGradient(probs: Float64Array, scale: number): Float64Array {
    if (this.head === 'mse') return probs.map((r) => 2 * r * scale);
    const k = this.widths[this.layers];
    const g = probs.map((p) => p * scale);
    for (let i = 0; i < this.n; i++) g[i * k + this.labels[i]] -= scale;
    return g;
  }

  /** 1 − T² = tanh′ at the layer whose output is T. */
  async #tanhSlope(t: DeviceTensor): Promise<DeviceTensor> {
    return ops.binary(this.be, 'sub', this.#ones.get(t.shape[1])!, await ops.unary(this.be, 'square', t));
  }

  /**
   * dZ_{l−1} = (dZ_l·W_lᵀ + G_l) ⊙ tanh′(Z_{l−1}), tanh′ from the layer's output hs[l]: one step back
   * through a hidden layer; G_l, when given, is a loss term's own gradient with respect to hs[l].
   */
  async #backThrough(dz: DeviceTensor, hs: DeviceTensor[], l: number, direct?: DeviceTensor): Promise<DeviceTensor> {
    const dh = await ops.gemm(this.be, dz, this.#weights[l], { transB: true });
    if (direct !== undefined) await ops.axpy(this.be, 1, direct, dh);
    return ops.binary(this.be, 'mul', dh, await this.#tanhSlope(hs[l]));
  }

  async #upload(rows: number, cols: number, data: Float64Array): Promise<DeviceTensor> {
    return this.be.upload(hostTensor(this.dtype, [rows, cols], data));
  }

  /**
   * Gathers per-layer (∂W_l, ∂b_l) device tensors into one flat host vector. The reads are issued
   * together: on a GPU each is a round trip (at least 10 ms under Deno), and together they wait once.
   */
  async #flatten(gw: DeviceTensor[], gb: DeviceTensor[]): Promise<Float64Array> {
    const parts = await Promise.all(gw.flatMap((w, l) => [w, gb[l]]).map((t) => this.be.download(t)));
    const out = new Float64Array(this.parameters);
    let off = 0;
    for (const { data } of parts) {
      out.set(data, off);
      off += data.length;
    }
    return out;
  }

  /**
   * The backward pass from ∂/∂logits = dOut: ∂W_l = H_lᵀ·dZ_l, ∂b_l = 1ᵀ·dZ_l,
   * dZ_{l−1} = (dZ_l·W_lᵀ + G_l) ⊙ tanh′(Z_{l−1}) with G_l = direct(l), the gradient of a loss term on the
   * hidden output hs[l] (none by default). Linear in dOut (so it is also Jᵀ for Gauss–Newton).
   */
  async #backward(
    hs: DeviceTensor[],
    dOut: DeviceTensor,
    o: { inputGradient?: boolean; direct?: (l: number) => Promise<DeviceTensor> } = {},
  ): Promise<{ gw: DeviceTensor[]; gb: DeviceTensor[]; dx?: DeviceTensor }> {
    const gw: DeviceTensor[] = [],
      gb: DeviceTensor[] = [];
    let dz = dOut;
    let dx: DeviceTensor | undefined;
    for (let l = this.layers - 1; l >= 0; l--) {
      if (l === 0 && o.inputGradient === true) dx = await ops.gemm(this.be, dz, this.#weights[0], { transB: true }); // ∂X = dZ_0·W_0ᵀ
      gw[l] = await ops.gemm(this.be, hs[l], dz, { transA: true });
      gb[l] = await ops.reduce(this.be, 'sum', dz, 'cols');
      if (l > 0) dz = await this.#backThrough(dz, hs, l, await o.direct?.(l));
    }
    return { gw, gb, dx };
  }

  /** The mean cross-entropy loss. */
  async loss(): Promise<number> {
    const release = this.be.track();
    try {
      return (await this.#forward()).loss;
    } finally {
      release();
    }
  }

  /** The input of layer l (N×w_l, host): the data for l = 0, a hidden layer's tanh output after. */
  async layerInput(l: number): Promise<Float64Array> {
    if (!Number.isInteger(l) || l < 0 || l >= this.layers)
      throw new ArgumentError(`mlp: layer ${l} is not in [0, ${this.layers})`);
    const release = this.be.track();
    try {
      return Float64Array.from((await this.be.download((await this.#forward()).hs[l])).data);
    } finally {
      release();
    }
  }

  /** The most probable class of every sample (softmax head). */
  async predict(): Promise<Int32Array> {
    const probs = await this.probabilities();
    const k = this.widths[this.layers],
      out = new Int32Array(this.n);
    for (let i = 0; i < this.n; i++) {
      let best = 0;
      for (let c = 1; c < k; c++) if (probs[i * k + c] > probs[i * k + best]) best = c;
      out[i] = best;
    }
    return out;
  }

  /** The fraction of samples whose most probable class is their label. */
  async accuracy(): Promise<number> {
    const predicted = await this.predict();
    return predicted.reduce((hits, c, i) => hits + (c === this.labels[i] ? 1 : 0), 0) / this.n;
  }

  /** The loss and its gradient ∇θ (flat, host). */
  async gradient(): Promise<{ loss: number; grad: Float64Array }> {
    const { loss, grad } = await this.#gradient(false);
    return { loss, grad };
  }

  /** The loss, ∇θ and ∂loss/∂X (N×w₀, host): for inputs that are parameters themselves, such as embeddings. */
  async gradientWithInput(): Promise<{ loss: number; grad: Float64Array; dx: Float64Array }> {
    const { loss, grad, dx } = await this.#gradient(true);
    return { loss, grad, dx: dx as Float64Array };
  }

  async #gradient(inputGradient: boolean): Promise<{ loss: number; grad: Float64Array; dx?: Float64Array }> {
    const release = this.be.track();
    try {
      const f = await this.#forward();
      const dOut = await this.#upload(this.n, this.widths[this.layers], this.#outputGradient(f.probs, 1 / this.n));
      const { gw, gb, dx } = await this.#backward(f.hs, dOut, { inputGradient });
      const grad = await this.#flatten(gw, gb);
      return {
        loss: f.loss,
        grad,
        dx: dx === undefined ? undefined : Float64Array.from((await this.be.download(dx)).data),
      };
    } finally {
      release();
    }
  }

  /** Softmax probabilities of every sample (N×k, host). */
  async probabilities(): Promise<Float64Array> {
    if (this.head !== 'softmax')
      throw new ArgumentError(`mlp: probabilities need the softmax head, not '${this.head}'`);
    const release = this.be.track();
    try {
      return (await this.#forward()).probs;
    } finally {
      release();
    }
  }

  /**
   * Feature matching (distillation of hidden layers): loss = Σ_l ‖H_l − T_l‖²_F / N over the hidden layers'
   * outputs (T_l given for each, N×w_l) and its gradient ∇θ; the output layer does not enter.
   */
  async featureMatchGradient(targets: readonly Float64Array[]): Promise<{ loss: number; grad: Float64Array }> {
    if (targets.length !== this.layers - 1)
      throw new ShapeError(`mlp: ${targets.length} feature targets for ${this.layers - 1} hidden layers`);
    targets.forEach((t, i) => {
      if (t.length !== this.n * this.widths[i + 1])
        throw new ShapeError(
          `mlp: feature target ${i} has ${t.length} values, hidden layer ${i} ${this.n}×${this.widths[i + 1]}`,
        );
    });
    const release = this.be.track();
    try {
      const f = await this.#forward();
      let loss = 0;
      /** 2·(H_l − T_l)/N for the hidden output hs[l], on the device. */
      const residual = async (l: number) => {
        const r = await ops.binary(this.be, 'sub', f.hs[l], await this.#upload(this.n, this.widths[l], targets[l - 1]));
        const norm = await ops.nrm2(this.be, r);
        loss += norm ** 2 / this.n;
        return ops.scal(this.be, 2 / this.n, r);
      };
      // The output layer does not enter: the pass starts from a zero ∂/∂logits.
      const zero = this.be.zeros(this.dtype, [this.n, this.widths[this.layers]]);
      const { gw, gb } = await this.#backward(f.hs, zero, { direct: residual });
      return { loss, grad: await this.#flatten(gw, gb) };
    } finally {
      release();
    }
  }

  /**
   * ∇²loss·v (mode 'hessian', Pearlmutter's R-operator) or G·v with G = (1/N)·Σ J_iᵀ·∇²ℓ_i·J_i
   * (mode 'gauss-newton'), for a flat direction v.
   */
  async curvatureProduct(v: ArrayLike<number>, mode: CurvatureMode = 'hessian'): Promise<Float64Array> {
    if (v.length !== this.parameters)
      throw new ShapeError(`mlp: v has ${v.length} values, the network ${this.parameters}`);
    const release = this.be.track();
    try {
      return await this.#curvatureProduct(await this.#forward(), v, mode);
    } finally {
      release();
    }
  }

  /** The curvature product at the forward pass `f` (its tensors stay; the product's own are the caller's to free). */
  async #curvatureProduct(f: Forward, v: ArrayLike<number>, mode: CurvatureMode): Promise<Float64Array> {
    const dir = await this.#split(v);
    const k = this.widths[this.layers];
    // R-forward: R{Z_l} = R{H_l}·W_l + H_l·V_l + 1·v_bᵀ, R{H_{l+1}} = tanh′(Z_l) ⊙ R{Z_l}; R{H_0} = 0.
    const rh: (DeviceTensor | null)[] = [null],
      rz: DeviceTensor[] = [];
    for (let l = 0; l < this.layers; l++) {
      const z = await this.#affine(f.hs[l], dir.w[l], dir.b[l]);
      if (rh[l]) await ops.gemm(this.be, rh[l]!, this.#weights[l], { c: z, beta: 1 });
      rz.push(z);
      if (l + 1 < this.layers) rh.push(await ops.binary(this.be, 'mul', await this.#tanhSlope(f.hs[l + 1]), z));
    }
    // R{∂/∂logits} = (1/N)·(diag(p_i) − p_i·p_iᵀ)·R{z_i}: the softmax cross-entropy's Hessian, per sample
    // (for 'mse', (2/N)·R{z_i}).
    const rOut = Float64Array.from((await this.be.download(rz[this.layers - 1])).data);
    const rg = this.head === 'mse' ? rOut.map((r) => (2 * r) / this.n) : new Float64Array(rOut.length);
    for (let i = 0; i < this.n && this.head === 'softmax'; i++) {
      let pr = 0;
      for (let c = 0; c < k; c++) pr += f.probs[i * k + c] * rOut[i * k + c];
      for (let c = 0; c < k; c++) rg[i * k + c] = (f.probs[i * k + c] * (rOut[i * k + c] - pr)) / this.n;
    }
    const rdOut = await this.#upload(this.n, k, rg);
    if (mode === 'gauss-newton') {
      const { gw, gb } = await this.#backward(f.hs, rdOut);
      return await this.#flatten(gw, gb);
    }
    // R-backward: R{∂W_l} = R{H_l}ᵀ·dZ_l + H_lᵀ·R{dZ_l}, R{∂b_l} = 1ᵀ·R{dZ_l},
    // R{dZ_{l−1}} = (R{dZ_l}·W_lᵀ + dZ_l·V_lᵀ) ⊙ tanh′ + (dZ_l·W_lᵀ) ⊙ tanh″ ⊙ R{Z_{l−1}}, tanh″ = −2T·(1 − T²).
    const gw: DeviceTensor[] = [],
      gb: DeviceTensor[] = [];
    let dz = await this.#upload(this.n, k, this.#outputGradient(f.probs, 1 / this.n)),
      rdz = rdOut;
    for (let l = this.layers - 1; l >= 0; l--) {
      gw[l] = await ops.gemm(this.be, f.hs[l], rdz, { transA: true });
      if (rh[l]) await ops.gemm(this.be, rh[l]!, dz, { transA: true, c: gw[l], beta: 1 });
      gb[l] = await ops.reduce(this.be, 'sum', rdz, 'cols');
      if (l === 0) break;
      const slope = await this.#tanhSlope(f.hs[l]);
      const dh = await ops.gemm(this.be, dz, this.#weights[l], { transB: true });
      const rdh = await ops.gemm(this.be, rdz, this.#weights[l], { transB: true });
      await ops.gemm(this.be, dz, dir.w[l], { transB: true, c: rdh, beta: 1 });
      const curve = await ops.binary(this.be, 'mul', await ops.binary(this.be, 'mul', f.hs[l], slope), dh); // T·(1 − T²)·dH
      const second = await ops.binary(this.be, 'mul', curve, rz[l - 1]);
      rdz = await ops.binary(this.be, 'mul', rdh, slope);
      await ops.axpy(this.be, -2, second, rdz);
      dz = await ops.binary(this.be, 'mul', dh, slope);
    }
    return await this.#flatten(gw, gb);
  }

  /**
   * Per-sample gradients ∇θ ℓ_i of the unaveraged losses, as the rows of an N×P host matrix (their mean
   * is the gradient): ∂W_l for sample i is the outer product h_i ⊗ dz_i, one batched GEMM per layer.
   */
  async perSampleGradients(): Promise<Float64Array> {
    const release = this.be.track();
    try {
      const f = await this.#forward();
      const out = new Float64Array(this.n * this.parameters);
      let dz = await this.#upload(this.n, this.widths[this.layers], this.#outputGradient(f.probs, 1));
      const offsets = layerOffsets(this.widths);
      for (let l = this.layers - 1; l >= 0; l--) {
        const [fanIn, fanOut] = [this.widths[l], this.widths[l + 1]];
        const outer = await ops.batchedGemm(
          this.be,
          await ops.reshape(this.be, f.hs[l], [this.n, fanIn, 1]),
          await ops.reshape(this.be, dz, [this.n, 1, fanOut]),
        );
        const w = (await this.be.download(outer)).data,
          b = (await this.be.download(dz)).data;
        for (let i = 0; i < this.n; i++) {
          const row = i * this.parameters + offsets[l];
          out.set(w.subarray(i * fanIn * fanOut, (i + 1) * fanIn * fanOut), row);
          out.set(b.subarray(i * fanOut, (i + 1) * fanOut), row + fanIn * fanOut);
        }
        if (l > 0) dz = await this.#backThrough(dz, f.hs, l);
      }
      return out;
    } finally {
      release();
    }
  }

  /** The dense curvature matrix (P×P) from P products with unit vectors, at one forward pass. */
  async denseCurvature(mode: CurvatureMode = 'hessian'): Promise<Float64Array> {
    const p = this.parameters,
      out = new Float64Array(p * p),
      e = new Float64Array(p);
    const release = this.be.track();
    try {
      const f = await this.#forward();
      for (let j = 0; j < p; j++) {
        e.fill(0);
        e[j] = 1;
        const product = this.be.track();
        try {
          const col = await this.#curvatureProduct(f, e, mode);
          for (let i = 0; i < p; i++) out[i * p + j] = col[i];
        } finally {
          product();
        }
      }
      return out;
    } finally {
      release();
    }
  }

  dispose(): void {
    for (const t of [this.x, ...this.#weights, ...this.#biases, ...this.#ones.values()]) this.be.dispose(t);
    this.#weights.length = 0;
    this.#biases.length = 0;
    this.#ones.clear();
  }
}
