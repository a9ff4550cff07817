import type { DType } from './dtype.ts';
import type { HostTensor, Shape } from './tensor.ts';

/**
 * What each primitive's kernel receives and returns, keyed by the primitive's name. Empty here: each
 * `primitives/<name>.ts` adds its own entry (declaration merging), so a primitive is declared in one
 * file and this module depends on none of them. Every method may be sync or async.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type, @typescript-eslint/no-unused-vars
export interface PrimitiveSignatures<T> {}
export type PrimitiveName = keyof PrimitiveSignatures<unknown>;
export type KernelTable<T> = Partial<PrimitiveSignatures<T>>;

/**
 * A tensor that lives in a backend's memory (a JS array, WASM linear memory, a GPUBuffer).
 * Algorithms hold these and never look inside: only the owning backend's kernels do.
 */
export interface DeviceTensor {
  readonly backend: Backend;
  readonly dtype: DType;
  readonly shape: Shape;
  readonly size: number;
}

/** What a backend can run: per primitive, the dtypes it has a kernel for. Missing = no kernel. */
export type CapabilityTable = { readonly [P in PrimitiveName]?: readonly DType[] };

/**
 * Which (primitive, dtype) pairs a backend has kernels for, and why it lacks the others. Each backend
 * package exports its own as a value, so the test plan reads the same table the backend serves.
 */
export interface KernelSupport {
  readonly capabilities: CapabilityTable;
  /** Why there is no kernel for (primitive, dtype), in a few words; shown everywhere as "not run: …". */
  noKernelReason(primitive: PrimitiveName, dtype: DType): string;
}

export interface BackendInfo {
  /** Human description, e.g. "wasm (simd128, relaxed-simd, 2 threads)". */
  readonly description: string;
  /** The dtype each storage dtype is computed in (the ref backend computes everything in f64). */
  readonly computeDType: Readonly<Record<DType, DType>>;
  /** Free-form facts recorded in results (features, thread count, adapter…). */
  readonly details: Readonly<Record<string, string | number | boolean>>;
}

/**
 * The contract every backend implements. Asynchronous so that CPU and GPU backends share it.
 * Argument checking (shapes, dtypes, ownership) happens once, in `ops.ts`, before a kernel runs:
 * kernels receive validated parameter objects and may trust them.
 */
export interface Backend<T extends DeviceTensor = DeviceTensor> extends KernelSupport {
  readonly name: string;
  readonly info: BackendInfo;
  readonly kernels: KernelTable<T>;
  /** Copies a host tensor into backend memory. */
  upload(t: HostTensor): Promise<T>;
  /** Copies a device tensor back to the host (waits for pending work on it). */
  download(t: T): Promise<HostTensor>;
  /** Allocates a zero-filled device tensor. */
  zeros(dtype: DType, shape: Shape): T;
  /** Frees the tensor's memory; using it afterwards throws `DisposedError`. */
  dispose(t: T): void;
  /**
   * Marks the tensors alive now; the returned function disposes every tensor allocated after the
   * mark that is still alive, except those it is given to keep (the harness wraps each verification
   * entry in one, so a long run does not accumulate device memory; an algorithm keeps its result).
   */
  track(): Release;
  /** Resolves when all submitted work has finished. */
  sync(): Promise<void>;
  /** Releases workers, devices and memory. */
  close(): Promise<void>;
  /**
   * GPU backends: device time of submitted work from timestamp queries, and the number of dispatches,
   * between `start` and `stop` (absent on CPU backends; `available` false without timestamp-query).
   */
  readonly gpuTimer?: GpuTimer;
}

export interface GpuTimer {
  readonly available: boolean;
  start(): void;
  stop(): { gpuMs: number; submits: number; dispatches: number };
}

/** Disposes what was allocated since a `track` mark, except the tensors passed to keep. */
export type Release = (...keep: readonly unknown[]) => void;

/** The bookkeeping behind `Backend.track`, shared by the backends. */
export class LiveTensors<T> {
  readonly #live = new Set<T>();
  add(t: T): T {
    this.#live.add(t);
    return t;
  }
  delete(t: T): void {
    this.#live.delete(t);
  }
  /** A release function disposing, through `dispose`, what is allocated from now on and still alive, but the tensors it keeps. */
  track(dispose: (t: T) => void): Release {
    const before = new Set(this.#live);
    return (...keep) => {
      for (const t of [...this.#live]) if (!before.has(t) && !keep.includes(t)) dispose(t);
    };
  }
}

export function supports(backend: Backend, primitive: PrimitiveName, dtype: DType): boolean {
  return backend.capabilities[primitive]?.includes(dtype) ?? false;
}

/**
 * `not run: <reason>` when the backend lacks a kernel for one of these primitives in `dtype` (the first
 * one's reason), else undefined. Verification, benchmarks, claims and tests all say it in these words.
 */
export function notRunReason(backend: Backend, primitives: readonly PrimitiveName[], dtype: DType): string | undefined {
  const missing = primitives.find((p) => !supports(backend, p, dtype));
  return missing === undefined ? undefined : `not run: ${backend.noKernelReason(missing, dtype)}`;
}
