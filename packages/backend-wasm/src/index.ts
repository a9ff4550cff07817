import {
  ArgumentError,
  BYTES_PER_ELEMENT,
  DeviceError,
  DTypeError,
  LiveTensors,
  isDType,
  PRIMITIVES,
  hostTensor,
  sizeOf,
  type Backend,
  type KernelSupport,
  type DType,
  type HostTensor,
  type KernelTable,
  type Release,
  type PrimitiveName,
  type Shape,
} from '@lowrank/core';
import { HEAP_BASE, WasmHeap } from './heap.ts';
import { loadKernels, type WasmFeatures } from './loader.ts';
import { ThreadPool, type Task } from './pool.ts';
import { WasmTensor } from './tensor.ts';
import { CLAIM_SLOT, type Kernel, type KernelContext } from './kernel-context.ts';
import { gemm } from './kernels/gemm.ts';
import { batchedGemm } from './kernels/batchedGemm.ts';
import { gemv } from './kernels/gemv.ts';
import { dot } from './kernels/dot.ts';
import { axpy } from './kernels/axpy.ts';
import { scal } from './kernels/scal.ts';
import { nrm2 } from './kernels/nrm2.ts';
import { unary } from './kernels/unary.ts';
import { binary } from './kernels/binary.ts';
import { reduce } from './kernels/reduce.ts';
import { transpose } from './kernels/transpose.ts';
import { random } from './kernels/random.ts';
import { cholesky } from './kernels/cholesky.ts';
import { trsm } from './kernels/trsm.ts';
import { lu } from './kernels/lu.ts';
import { qr } from './kernels/qr.ts';
import { svd } from './kernels/svd.ts';
import { syev } from './kernels/syev.ts';
import { sddmm } from './kernels/sddmm.ts';
import { spmm } from './kernels/spmm.ts';
import { sor } from './kernels/sor.ts';
import { fft } from './kernels/fft.ts';
import { dct } from './kernels/dct.ts';
import { kalman } from './kernels/kalman.ts';
import { geev } from './kernels/geev.ts';

export { WasmTensor } from './tensor.ts';
export { detectWasmFeatures, type WasmFeatures } from './loader.ts';

/** The kernel registry of this backend: one glue function per primitive (src/kernels/). */
const GLUE: { [P in PrimitiveName]: Kernel<never> } = {
  gemm,
  batchedGemm,
  gemv,
  dot,
  axpy,
  scal,
  nrm2,
  unary,
  binary,
  reduce,
  transpose,
  random,
  cholesky,
  trsm,
  lu,
  qr,
  svd,
  syev,
  sddmm,
  spmm,
  sor,
  fft,
  dct,
  kalman,
  geev,
};

/** Every primitive has an f32 and an f64 kernel here; WASM has no f16 arithmetic. */
export const WASM_SUPPORT: KernelSupport = {
  capabilities: Object.fromEntries(PRIMITIVES.map((p) => [p, ['f32', 'f64'] as const])),
  noKernelReason: (_p: PrimitiveName, dtype: DType) =>
    dtype === 'f16' ? 'f16 on wasm: WebAssembly has no f16 arithmetic' : `${dtype} on wasm: no kernel`,
};

export interface WasmBackendOptions {
  /** Threads including the calling one; default: all cores. 1 when shared memory is unavailable. */
  threads?: number;
  /** Force (true) or forbid (false) the relaxed-SIMD build; default: use it when the runtime validates it. */
  relaxedSimd?: boolean;
  /**
   * Guard bytes after every allocation, checked after every kernel call (slower; for tests and
   * debugging). Default: on when the environment sets LOWRANK_WASM_GUARD=1 (the conformance tests do).
   */
  guard?: boolean;
}

declare const Deno: unknown;

/** All cores: `navigator.hardwareConcurrency` in Deno and browsers, `os.availableParallelism()` in Node. */
async function defaultThreads(): Promise<number> {
  const g = globalThis as { navigator?: { hardwareConcurrency?: number }; process?: { versions?: { node?: string } } };
  if (g.navigator?.hardwareConcurrency !== undefined) return Math.max(1, g.navigator.hardwareConcurrency);
  if (typeof Deno === 'undefined' && g.process?.versions?.node !== undefined) {
    return (await import('node:os')).availableParallelism();
  }
  return 1;
}

export class WasmBackend implements Backend<WasmTensor> {
  readonly name = 'wasm';
  readonly capabilities = WASM_SUPPORT.capabilities;
  readonly noKernelReason = WASM_SUPPORT.noKernelReason;
  readonly kernels: KernelTable<WasmTensor>;
  readonly info;
  readonly features: WasmFeatures;
  readonly #exports: Record<string, (...args: number[]) => number>;
  readonly #heap: WasmHeap;
  readonly #pool: ThreadPool;
  readonly #scratch: Array<{ ptr: number; bytes: number }> = [];
  readonly #live = new LiveTensors<WasmTensor>();

  private constructor(
    exports: WebAssembly.Exports,
    heap: WasmHeap,
    pool: ThreadPool,
    features: WasmFeatures,
    variant: string,
  ) {
    this.#exports = exports as Record<string, (...args: number[]) => number>;
    this.#heap = heap;
    this.#pool = pool;
    this.features = features;
    const simd = variant.includes('relaxed') ? 'relaxed-simd' : 'simd128';
    this.info = {
      description: `wasm (${simd}, ${pool.threads} thread${pool.threads > 1 ? 's' : ''})`,
      computeDType: { f16: 'f16', f32: 'f32', f64: 'f64' } as const, // f16 is not offered (see WASM_SUPPORT)
      details: {
        threads: pool.threads,
        variant,
        relaxedSimd: variant.includes('relaxed'),
        sharedMemory: features.threads,
        guard: heap.guard,
      },
    };
    const ctx: KernelContext = {
      threads: pool.threads,
      call: (fn, ...args) => this.#exports[fn](...args),
      parallel: (lists, more, claimed) =>
        this.#pool.run(
          lists,
          (tasks: Task[]) => {
            for (const t of tasks) this.#exports[t.fn](...t.args);
          },
          more,
          claimed === undefined ? undefined : { counter: this.#scratchFor(CLAIM_SLOT, 4), tasks: claimed },
        ),
      scratch: (thread, bytes) => this.#scratchFor(thread, bytes),
      writeInt32: (slot, data) => {
        const ptr = this.#scratchFor(slot, Math.max(4, data.byteLength));
        new Int32Array(this.#heap.memory.buffer, ptr, data.length).set(data);
        return ptr;
      },
      readInt32: (ptr) => new Int32Array(this.#heap.memory.buffer, ptr, 1)[0],
    };
    // In guard mode every kernel call ends with a check of the guard bytes after every block it could
    // write (its tensors and the scratch): an overrun fails that call, naming the kernel, instead of
    // corrupting whatever lies next in the heap.
    const guarded = (name: string, k: (ctx: KernelContext, p: never) => unknown) => async (p: never) => {
      const r = await k(ctx, p);
      const written = [
        ...Object.values(p as object)
          .filter((v): v is WasmTensor => v instanceof WasmTensor)
          .map((t) => t.ptr),
        ...this.#scratch.map((s) => s.ptr),
      ];
      const overrun = this.#heap.overrun(written);
      if (overrun !== null) throw new DeviceError(`wasm kernel '${name}' wrote past its memory: ${overrun}`);
      return r;
    };
    this.kernels = Object.fromEntries(
      Object.entries(GLUE).map(([name, k]) => [name, heap.guard ? guarded(name, k as never) : (p: never) => k(ctx, p)]),
    ) as KernelTable<WasmTensor>;
  }

  static async create(opts: WasmBackendOptions = {}): Promise<WasmBackend> {
    const requested = opts.threads ?? (await defaultThreads());
    if (!Number.isInteger(requested) || requested < 1 || requested > 256) {
      throw new ArgumentError(`threads must be an integer in [1, 256], got ${String(opts.threads)}`);
    }
    const loaded = await loadKernels({ relaxed: opts.relaxedSimd, shared: requested > 1 ? undefined : false });
    const shared = loaded.variant.includes('shared');
    const threads = shared ? requested : 1;
    const memory = new WebAssembly.Memory({ initial: HEAP_BASE / 65536 + 31, maximum: 65536, shared });
    const instance = await WebAssembly.instantiate(loaded.module, { env: { memory } });
    const pool = await ThreadPool.create(threads, loaded.module, memory);
    const guard =
      opts.guard ??
      (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env?.LOWRANK_WASM_GUARD ===
        '1';
    return new WasmBackend(instance.exports, new WasmHeap(memory, guard), pool, loaded.features, loaded.variant);
  }

  #scratchFor(thread: number, bytes: number): number {
    const s = this.#scratch[thread];
    if (s !== undefined && s.bytes >= bytes) {
      this.#heap.arm(s.ptr, bytes);
      return s.ptr;
    }
    if (s !== undefined) this.#heap.free(s.ptr);
    const ptr = this.#heap.alloc(bytes);
    this.#scratch[thread] = { ptr, bytes };
    return ptr;
  }

  /** A typed-array view of a tensor's memory (valid until the next allocation that grows memory). */
  view(t: WasmTensor): Float32Array | Float64Array {
    const buffer = this.#heap.memory.buffer;
    return t.dtype === 'f32' ? new Float32Array(buffer, t.ptr, t.size) : new Float64Array(buffer, t.ptr, t.size);
  }

  /** Bytes held by live tensors and scratch. */
  get liveBytes(): number {
    return this.#heap.liveBytes;
  }

  async upload(t: HostTensor): Promise<WasmTensor> {
    const n = sizeOf(t.shape);
    if (t.data.length !== n)
      throw new ArgumentError(`upload: data length ${t.data.length} does not match shape [${t.shape.join(', ')}]`);
    const d = this.zeros(t.dtype, t.shape);
    this.view(d).set(t.data);
    return d;
  }

  async download(t: WasmTensor): Promise<HostTensor> {
    return hostTensor(t.dtype, t.shape, this.view(t));
  }

  zeros(dtype: DType, shape: Shape): WasmTensor {
    // Checked here, at the boundary: a dtype the kernels do not hold ('f16', or a string from outside)
    // would size the block with one element width and view it with another.
    if (dtype !== 'f32' && dtype !== 'f64')
      throw new DTypeError(
        `wasm: holds f32 and f64 tensors only, got ${isDType(dtype) ? dtype : `'${String(dtype)}'`}`,
      );
    const size = sizeOf(shape);
    const ptr = this.#heap.alloc(size * BYTES_PER_ELEMENT[dtype]);
    const t = new WasmTensor(this, dtype, [...shape], size, ptr);
    this.view(t).fill(0);
    return this.#live.add(t);
  }

  dispose(t: WasmTensor): void {
    this.#live.delete(t);
    const p = t.release();
    if (p !== null) this.#heap.free(p);
  }

  track(): Release {
    return this.#live.track((t) => this.dispose(t));
  }

  async sync(): Promise<void> {}

  async close(): Promise<void> {
    await this.#pool.close();
  }
}

export function createWasmBackend(opts?: WasmBackendOptions): Promise<WasmBackend> {
  return WasmBackend.create(opts);
}
