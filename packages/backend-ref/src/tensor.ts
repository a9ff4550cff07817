import { DisposedError, type Backend, type DeviceTensor, type DType, type Shape } from '@lowrank/core';

/** Every ref tensor stores float64, whatever its dtype: the reference computes in f64 and rounds only on download. */
export class RefTensor implements DeviceTensor {
  #data: Float64Array | null;
  constructor(
    readonly backend: Backend<RefTensor>,
    readonly dtype: DType,
    readonly shape: Shape,
    data: Float64Array,
  ) {
    this.#data = data;
  }
  get size(): number {
    return this.data.length;
  }
  get data(): Float64Array {
    if (this.#data === null)
      throw new DisposedError(`a ${this.dtype} tensor [${this.shape.join('×')}] was used after dispose`);
    return this.#data;
  }
  dispose(): void {
    this.#data = null;
  }
}
