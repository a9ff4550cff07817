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

interface Block {
  offset: number;
  bytes: number;
}

/** Guard mode: bytes of a known pattern after every block, checked after each kernel call. */
export const GUARD_BYTES = 64;
/**
 * Guard mode: of a reused block's slack past what its user asked for, the bytes guarded. Guarding all of it made
 * every kernel call fill and scan the largest scratch's slack (syev's ~12 MiB at n = 512 after a small kernel
 * reused it): the Lanczos golden test, thousands of small calls, ran past its minute under coverage in CI. A write
 * past the request runs into the first 4 KiB, which a fresh block's 64-byte guard would not all cover either.
 */
export const GUARD_SLACK_BYTES = 4096;
const GUARD_PATTERN = 0xa5;
const GUARD_WORD = 0xa5a5a5a5;

export class WasmHeap {
  readonly #memory: WebAssembly.Memory;
  #free: Block[] = [];
  #top = HEAP_BASE;
  readonly #live = new Map<number, number>();
  /** Guard mode only: for each live block, the bytes its user asked for (the guard starts there). */
  readonly #asked = new Map<number, number>();

  /** `guard`: every block is followed by GUARD_BYTES of a pattern that `overrun` checks (tests, debugging). */
  constructor(
    memory: WebAssembly.Memory,
    readonly guard = false,
  ) {
    this.#memory = memory;
  }

  /**
   * Guard mode: re-arms the guard of a block just after `bytes` (a scratch block reused for a smaller
   * request is guarded from the new end, so a kernel writing past what it asked for is caught too).
   */
  arm(offset: number, bytes: number): void {
    const size = this.#live.get(offset);
    if (!this.guard || size === undefined) return;
    this.#asked.set(offset, bytes);
    new Uint8Array(this.#memory.buffer).fill(GUARD_PATTERN, offset + bytes, guardEnd(offset, size, bytes));
  }

  /** Guard mode: the first of these blocks (default: every live one) whose guard was overwritten, or null. */
  overrun(blocks?: Iterable<number>): string | null {
    if (!this.guard) return null;
    const bytes = new Uint8Array(this.#memory.buffer);
    const words = new Uint32Array(this.#memory.buffer);
    for (const offset of blocks ?? this.#live.keys()) {
      const size = this.#live.get(offset);
      if (size === undefined) continue;
      const asked = this.#asked.get(offset) ?? size;
      const start = offset + asked,
        end = guardEnd(offset, size, asked); // a multiple of 4
      // Byte offsets reach 4 GiB: arithmetic, not int32 bit operations.
      const aligned = Math.min(end, Math.ceil(start / 4) * 4);
      let bad = -1;
      for (let i = start; i < aligned && bad < 0; i++) if (bytes[i] !== GUARD_PATTERN) bad = i;
      for (let w = aligned / 4; w < end / 4 && bad < 0; w++) {
        if (words[w] !== GUARD_WORD)
          for (let i = w * 4; i < w * 4 + 4 && bad < 0; i++) if (bytes[i] !== GUARD_PATTERN) bad = i;
      }
      if (bad >= 0) return `a block of ${asked} bytes at ${offset} was written ${bad - start} bytes past its end`;
    }
    return null;
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
    if (!Number.isSafeInteger(bytes) || bytes < 0)
      throw new ArgumentError(
        `wasm: allocation of ${bytes} bytes: not a byte count (a size computed past its integer range?)`,
      );
    const size = Math.max(ALIGN, Math.ceil((bytes + (this.guard ? GUARD_BYTES : 0)) / ALIGN) * ALIGN);
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
    this.arm(offset, bytes);
    return offset;
  }

  free(offset: number): void {
    const size = this.#live.get(offset);
    if (size === undefined) return;
    this.#live.delete(offset);
    this.#asked.delete(offset);
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
    if (end > MAX_BYTES)
      throw new ArgumentError(`wasm: allocation needs ${end} bytes of linear memory, over the 4 GiB wasm32 limit`);
    const have = this.#memory.buffer.byteLength;
    if (end > have) this.#memory.grow(Math.ceil((end - have) / PAGE));
  }
}

/**
 * Guard mode: where the guard after a request of `asked` bytes in the block at `offset` of `size` bytes ends: the
 * block's end, or GUARD_SLACK_BYTES past the request, down to a multiple of 4 (blocks are 64-byte aligned).
 */
function guardEnd(offset: number, size: number, asked: number): number {
  const window = offset + asked + GUARD_SLACK_BYTES;
  return Math.min(offset + size, window - (window % 4));
}
