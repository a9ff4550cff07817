import { BYTES_PER_ELEMENT, DisposedError, type Backend, type DeviceTensor, type Shape } from '@lowrank/core';

/** A tensor in WASM linear memory: a byte offset and a length; views are made on demand because growing memory detaches old ones. */
export class WasmTensor implements DeviceTensor {
  #ptr: number | null;
  constructor(
    readonly backend: Backend<WasmTensor>,
    readonly dtype: 'f32' | 'f64',
    readonly shape: Shape,
    readonly size: number,
    ptr: number,
  ) {
    this.#ptr = ptr;
  }
  get ptr(): number {
    if (this.#ptr === null)
      throw new DisposedError(`a ${this.dtype} tensor [${this.shape.join('×')}] was used after dispose`);
    return this.#ptr;
  }
  get bytes(): number {
    return this.size * BYTES_PER_ELEMENT[this.dtype];
  }
  /** Marks the tensor disposed and returns its offset for the heap to free. */
  release(): number | null {
    const p = this.#ptr;
    this.#ptr = null;
    return p;
  }
}
