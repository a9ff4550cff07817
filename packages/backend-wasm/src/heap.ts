import { ArgumentError } from '@lowrank/core';

/**
 * A first-fit allocator over WASM linear memory, kept on the JS side so that the kernels never
 * allocate (several instances share one memory). Blocks are 64-byte aligned (a cache line, and
 * every v128 access is aligned); adjacent free blocks coalesce; memory grows on demand.
 */
const ALIGN = 64;
const PAGE = 65536;
/** Below this the AssemblyScript module keeps its static data (≈10 KiB of math tables). */
export const HEAP_BASE = PAGE;
const MAX_BYTES = 65536 * PAGE; // the 4 GiB wasm32 limit, as declared by the modules

interface Block { offset: number; bytes: number }

export class WasmHeap {
  readonly #memory: WebAssembly.Memory;
  #free: Block[] = [];
  #top = HEAP_BASE;
  readonly #live = new Map<number, number>();

  constructor(memory: WebAssembly.Memory) {
    this.#memory = memory;
  }

  get memory(): WebAssembly.Memory {
    return this.#memory;
  }

  /** Bytes currently allocated. */
  get liveBytes(): number {
    let s = 0;
    for (const b of this.#live.values()) s += b;
    return s;
  }

  alloc(bytes: number): number {
    const size = Math.max(ALIGN, Math.ceil(bytes / ALIGN) * ALIGN);
    const i = this.#free.findIndex((b) => b.bytes >= size);
    let offset: number;
    if (i >= 0) {
      const b = this.#free[i];
      offset = b.offset;
      if (b.bytes === size) this.#free.splice(i, 1);
      else this.#free[i] = { offset: b.offset + size, bytes: b.bytes - size };
    } else {
      offset = this.#top;
      this.#ensure(offset + size);
      this.#top += size;
    }
    this.#live.set(offset, size);
    return offset;
  }

  free(offset: number): void {
    const size = this.#live.get(offset);
    if (size === undefined) return;
    this.#live.delete(offset);
    this.#free.push({ offset, bytes: size });
    this.#free.sort((a, b) => a.offset - b.offset);
    const merged: Block[] = [];
    for (const b of this.#free) {
      const last = merged[merged.length - 1];
      if (last !== undefined && last.offset + last.bytes === b.offset) last.bytes += b.bytes;
      else merged.push({ ...b });
    }
    const tail = merged[merged.length - 1];
    if (tail !== undefined && tail.offset + tail.bytes === this.#top) {
      this.#top = tail.offset;
      merged.pop();
    }
    this.#free = merged;
  }

  #ensure(end: number): void {
    if (end > MAX_BYTES) throw new ArgumentError(`wasm: allocation needs ${end} bytes of linear memory, over the 4 GiB wasm32 limit`);
    const have = this.#memory.buffer.byteLength;
    if (end > have) this.#memory.grow(Math.ceil((end - have) / PAGE));
  }
}
