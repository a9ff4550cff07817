/**
 * Storage buffers pooled by size class (powers of two from 256 bytes), so the steady state of a
 * benchmark allocates nothing. Every buffer is STORAGE | COPY_SRC | COPY_DST.
 */
export class BufferPool {
  readonly #free = new Map<number, GPUBuffer[]>();
  constructor(private readonly device: GPUDevice) {}

  static sizeClass(bytes: number): number {
    return Math.max(256, 2 ** Math.ceil(Math.log2(Math.max(1, bytes))));
  }

  acquire(bytes: number): GPUBuffer {
    const size = BufferPool.sizeClass(bytes);
    const list = this.#free.get(size);
    if (list !== undefined && list.length > 0) return list.pop() as GPUBuffer;
    return this.device.createBuffer({
      size,
      usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST,
    });
  }

  release(buffer: GPUBuffer): void {
    const list = this.#free.get(buffer.size) ?? [];
    list.push(buffer);
    this.#free.set(buffer.size, list);
  }

  destroy(): void {
    for (const list of this.#free.values()) for (const b of list) b.destroy();
    this.#free.clear();
  }
}
