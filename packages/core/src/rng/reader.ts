import { detLog } from './detmath.ts';
import { blockAt, checkStreamId, normalFromBlock, uniformFromBlock, type StreamId } from './stream.ts';

/**
 * Reads one stream element after another, for samplers that use a variable number of draws (rejection
 * sampling): element i is still the counter-based element i of `fillRandom`, so a reader restarted at
 * `offset` reproduces the rest of its sequence.
 */
export class StreamReader {
  readonly #id: StreamId;
  readonly #block = new Uint32Array(4);
  #offset: number;

  constructor(id: StreamId, offset = 0) {
    checkStreamId(id);
    this.#id = id;
    this.#offset = offset;
  }

  get offset(): number {
    return this.#offset;
  }

  uniform(): number {
    blockAt(this.#id, this.#offset++, this.#block);
    return uniformFromBlock(this.#block);
  }

  normal(): number {
    blockAt(this.#id, this.#offset++, this.#block);
    return normalFromBlock(this.#block);
  }

  /**
   * Gamma(a, 1) by Marsaglia & Tsang (2000): for a ≥ 1 squeeze-and-reject on (1 + x/√(9d))³ with
   * d = a − 1/3; for a < 1, Gamma(a + 1)·U^{1/a}.
   */
  gamma(a: number): number {
    if (a < 1) return this.gamma(a + 1) * this.uniform() ** (1 / a);
    const d = a - 1 / 3,
      c = 1 / Math.sqrt(9 * d);
    for (;;) {
      const x = this.normal();
      const v = (1 + c * x) ** 3;
      if (v <= 0) continue;
      const u = this.uniform();
      if (u < 1 - 0.0331 * x ** 4 || detLog(u) < 0.5 * x * x + d * (1 - v + detLog(v))) return d * v;
    }
  }

  /** Beta(a, b) as X/(X + Y) with X ~ Gamma(a), Y ~ Gamma(b). */
  beta(a: number, b: number): number {
    const x = this.gamma(a);
    return x / (x + this.gamma(b));
  }
}
