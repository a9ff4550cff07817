import { DisposedError, type Backend, type DeviceTensor, type DType, type Shape } from '@lowrank/core';

/** A tensor in a GPUBuffer (f32). The buffer may be larger than the tensor: buffers are pooled by size class. */
export class WebGpuTensor implements DeviceTensor {
  #buffer: GPUBuffer | null;
  constructor(
    readonly backend: Backend<WebGpuTensor>,
    readonly dtype: DType,
    readonly shape: Shape,
    readonly size: number,
    buffer: GPUBuffer,
  ) {
    this.#buffer = buffer;
  }
  get buffer(): GPUBuffer {
    if (this.#buffer === null)
      throw new DisposedError(`a ${this.dtype} tensor [${this.shape.join('×')}] was used after dispose`);
    return this.#buffer;
  }
  release(): GPUBuffer | null {
    const b = this.#buffer;
    this.#buffer = null;
    return b;
  }
}
