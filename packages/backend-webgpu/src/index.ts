import {
  ArgumentError,
  BYTES_PER_ELEMENT,
  DTypeError,
  DeviceLostError,
  LiveTensors,
  f16Bits,
  fromF16Bits,
  hostTensor,
  PRIMITIVES,
  sizeOf,
  type Backend,
  type CapabilityTable,
  type KernelSupport,
  type DType,
  type HostTensor,
  type KernelTable,
  type Release,
  type PrimitiveName,
  type Shape,
} from '@lowrank/core';
import { acquireDevice, type AcquiredDevice } from './device.ts';
import { ensureRuntimeDir } from './discover.ts';
import { BufferPool } from './pool.ts';
import { ProgramRunner, type DispatchStats } from './program.ts';
import { WebGpuTensor } from './tensor.ts';
import type { KernelContext } from './kernel-context.ts';
import { scaleBuffer } from './shared/map.ts';
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
import { fft } from './kernels/fft.ts';
import { dct } from './kernels/dct.ts';
import { kalman } from './kernels/kalman.ts';
import { geev } from './kernels/geev.ts';
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

export { WebGpuTensor } from './tensor.ts';
export { acquireDevice, type AcquiredDevice } from './device.ts';
export { gemmDispatchModel } from './kernels/gemm.ts';
export { assertWebGpuUsable, probeWebGpu, type ProbeResult } from './discover.ts';

type Glue = (ctx: KernelContext, p: never) => unknown;
const GLUE: { [P in PrimitiveName]: Glue } = {
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

const FACTORIZATION = 'factorizations are f32 only (stored in f16 the backward error is ~n·2^-11)';
const TRANSFORM = 'transforms are f32 only (log₂n stages rounded to f16 would lose ~log₂n·2^-11 of the signal)';
const SWEEP = 'SOR sweeps are f32 only (an iterate stored in f16 stalls at a residual of ~2^-11)';
const FILTER =
  'the Kalman filter is f32 only (covariances stored in f16 lose definiteness once an observation shrinks them below ~2^-11 of the prior)';

/** Primitives without an f16 kernel, and why. */
const F32_ONLY: ReadonlyMap<PrimitiveName, string> = new Map([
  ...(['cholesky', 'trsm', 'lu', 'qr', 'svd', 'syev'] as const).map((p) => [p, FACTORIZATION] as const),
  ...(['fft', 'dct'] as const).map((p) => [p, TRANSFORM] as const),
  ['sor', SWEEP],
  ['kalman', FILTER],
  ['geev', FACTORIZATION],
]);

/** f32 kernels for every primitive (WGSL has no f64), and f16 ones when the adapter has shader-f16. */
export function webgpuSupport(f16: boolean): KernelSupport {
  return {
    capabilities: Object.fromEntries(
      PRIMITIVES.map((p) => [p, f16 && !F32_ONLY.has(p) ? (['f16', 'f32'] as const) : (['f32'] as const)]),
    ),
    noKernelReason(p: PrimitiveName, dtype: DType): string {
      if (dtype === 'f64') return 'f64 on webgpu: WGSL has no f64';
      if (dtype === 'f16' && !f16) return 'f16 on webgpu: needs shader-f16, which this adapter lacks';
      const only = F32_ONLY.get(p);
      if (dtype === 'f16' && only !== undefined) return `f16 ${p} on webgpu: ${only}`;
      return `${dtype} ${p} on webgpu: no kernel`;
    },
  };
}

export interface WebGpuBackendOptions {
  /** Use this device instead of finding one (a browser page, a test harness). */
  device?: GPUDevice;
  /** Limit on requestAdapter / requestDevice (ms). */
  timeoutMs?: number;
}

export class WebGpuBackend implements Backend<WebGpuTensor> {
  readonly name = 'webgpu';
  readonly capabilities: CapabilityTable;
  readonly noKernelReason: KernelSupport['noKernelReason'];
  readonly #f16: boolean;
  readonly kernels: KernelTable<WebGpuTensor>;
  readonly info;
  readonly device: GPUDevice;
  readonly adapter: AcquiredDevice['adapterInfo'];
  readonly #gpu: GPU | null;
  readonly #runner: ProgramRunner;
  readonly #pool: BufferPool;
  readonly #scratch: GPUBuffer[] = [];
  readonly #staging: GPUBuffer[] = [];
  readonly #live = new LiveTensors<WebGpuTensor>();
  #closed = false;

  private constructor(acquired: AcquiredDevice) {
    const { device } = acquired;
    this.device = device;
    this.#gpu = acquired.gpu;
    this.adapter = acquired.adapterInfo;
    this.#runner = new ProgramRunner(device, acquired.features.includes('timestamp-query'));
    this.#pool = new BufferPool(device);
    this.#f16 = acquired.features.includes('shader-f16');
    const support = webgpuSupport(this.#f16);
    this.capabilities = support.capabilities;
    this.noKernelReason = support.noKernelReason;
    this.gpuTimer.available = this.#runner.timestampsAvailable;
    void device.lost.then((info) => {
      if (!this.#closed) this.#runner.lost(`${info.reason}: ${info.message}`);
    });
    const label =
      acquired.adapterInfo.description ||
      `${acquired.adapterInfo.vendor} ${acquired.adapterInfo.architecture}`.trim() ||
      'unknown adapter';
    this.info = {
      description: `webgpu (${acquired.runtime}, ${label}${acquired.software ? ', software: correctness only' : ''})`,
      // f16 tensors are computed in f32 but stored (rounded) in f16: the ratios use f16's ε. No f64.
      computeDType: { f16: 'f16', f32: 'f32', f64: 'f64' } as const,
      details: {
        threads: 1,
        runtime: acquired.runtime,
        software: acquired.software,
        adapter: label,
        vendor: acquired.adapterInfo.vendor,
        architecture: acquired.adapterInfo.architecture,
        timestampQuery: this.#runner.timestampsAvailable,
        features: acquired.features.join(' '),
      },
    };
    const ctx: KernelContext = {
      run: (programs) => this.#runner.run(programs),
      scratch: (bytes, slot = 0) => this.#scratchFor(bytes, slot),
      writeScratch: (data, slot) => {
        const b = this.#scratchFor(Math.max(4, data.byteLength), slot);
        this.#runner.flush(); // pending passes may read this slot's old indices
        this.device.queue.writeBuffer(b, 0, data);
        return b;
      },
      scaleInPlace: (x, beta, n) => scaleBuffer(ctx, x, beta, n),
      readScalars: (buffer, count) => this.#read(buffer, count),
    };
    this.kernels = Object.fromEntries(
      Object.entries(GLUE).map(([k, f]) => [k, (p: never) => f(ctx, p)]),
    ) as KernelTable<WebGpuTensor>;
  }

  static async create(opts: WebGpuBackendOptions = {}): Promise<WebGpuBackend> {
    if (opts.device !== undefined) {
      return new WebGpuBackend({
        gpu: null,
        device: opts.device,
        adapterInfo: { vendor: '', architecture: '', device: '', description: 'provided device' },
        features: [...opts.device.features].map(String),
        software: false,
        runtime: 'browser',
      });
    }
    await ensureRuntimeDir();
    return new WebGpuBackend(await acquireDevice({ timeoutMs: opts.timeoutMs }));
  }

  /** Dispatch counts and GPU time (when profiling) since creation. */
  get stats(): DispatchStats {
    return this.#runner.stats;
  }

  /** Timestamp-query timing: while started, each submit records its GPU time (and waits for it). */
  readonly gpuTimer = {
    available: false,
    start: () => {
      this.#mark = { ...this.#runner.stats };
      this.#runner.setProfiling(true);
    },
    stop: () => {
      this.#runner.setProfiling(false);
      const s = this.#runner.stats;
      return {
        gpuMs: (s.gpuNs - this.#mark.gpuNs) / 1e6,
        submits: s.profiled - this.#mark.profiled,
        dispatches: s.dispatches - this.#mark.dispatches,
      };
    },
  };
  #mark: DispatchStats = { dispatches: 0, submits: 0, gpuNs: 0, profiled: 0 };

  #scratchFor(bytes: number, slot: number): GPUBuffer {
    const have = this.#scratch[slot];
    if (have !== undefined && have.size >= bytes) return have;
    if (have !== undefined) this.#release(have);
    const b = this.#pool.acquire(bytes);
    this.#scratch[slot] = b;
    return b;
  }

  /** Reads `count` elements (f32, or f16 widened to f32) from the start of a buffer. */
  async #read(buffer: GPUBuffer, count: number, dtype: DType = 'f32'): Promise<Float32Array> {
    this.#runner.check();
    const width = BYTES_PER_ELEMENT[dtype];
    const bytes = Math.max(4, count * width);
    const size = BufferPool.sizeClass(bytes);
    const staging =
      this.#staging.find((b) => b.size === size) ??
      this.device.createBuffer({ size, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
    this.#staging.splice(this.#staging.indexOf(staging), this.#staging.includes(staging) ? 1 : 0);
    this.#runner.encoder().copyBufferToBuffer(buffer, 0, staging, 0, Math.ceil(bytes / 4) * 4);
    this.#runner.flush();
    try {
      await staging.mapAsync(GPUMapMode.READ);
    } catch (e) {
      this.#runner.check();
      throw new DeviceLostError(`webgpu: reading results back failed (${(e as Error).message})`);
    }
    const raw = staging.getMappedRange(0, Math.ceil((count * width) / 4) * 4).slice(0);
    staging.unmap();
    const out =
      dtype === 'f16'
        ? Float32Array.from(new Uint16Array(raw, 0, count), fromF16Bits)
        : new Float32Array(raw, 0, count);
    this.#staging.push(staging);
    this.#runner.check();
    return out;
  }

  #check(dtype: DType): void {
    if (dtype === 'f64')
      throw new DTypeError('webgpu: WGSL has no f64; this backend holds f32 (and, with shader-f16, f16) tensors');
    if (dtype !== 'f32' && dtype !== 'f16')
      throw new DTypeError(`webgpu: holds f32 and f16 tensors only, got '${String(dtype)}'`);
    if (dtype === 'f16' && !this.#f16)
      throw new DTypeError('webgpu: this adapter has no shader-f16, so no f16 tensors');
    this.#runner.check();
  }

  async upload(t: HostTensor): Promise<WebGpuTensor> {
    this.#check(t.dtype);
    if (t.data.length !== sizeOf(t.shape))
      throw new ArgumentError(`upload: data length ${t.data.length} does not match shape [${t.shape.join(', ')}]`);
    const d = this.#alloc(t.dtype, t.shape, false);
    if (d.size > 0) {
      // writeBuffer needs a multiple of 4 bytes: an odd count of f16 values is padded with one zero.
      const data =
        t.dtype === 'f16'
          ? Uint16Array.from({ length: d.size + (d.size % 2) }, (_, i) => (i < d.size ? f16Bits(t.data[i]) : 0))
          : Float32Array.from(t.data);
      this.device.queue.writeBuffer(d.buffer, 0, data);
    }
    return d;
  }

  async download(t: WebGpuTensor): Promise<HostTensor> {
    return hostTensor(
      t.dtype,
      t.shape,
      t.size === 0 ? new Float32Array(0) : await this.#read(t.buffer, t.size, t.dtype),
    );
  }

  #alloc(dtype: DType, shape: Shape, zero: boolean): WebGpuTensor {
    this.#check(dtype);
    const size = sizeOf(shape);
    const buffer = this.#pool.acquire(size * BYTES_PER_ELEMENT[dtype]);
    if (zero) this.#runner.encoder().clearBuffer(buffer);
    return this.#live.add(new WebGpuTensor(this, dtype, [...shape], size, buffer));
  }

  zeros(dtype: DType, shape: Shape): WebGpuTensor {
    return this.#alloc(dtype, shape, true);
  }

  dispose(t: WebGpuTensor): void {
    this.#live.delete(t);
    const b = t.release();
    if (b !== null) this.#release(b);
  }

  /** Back to the pool once no pending pass binds it: an upload may write it at once. */
  #release(b: GPUBuffer): void {
    this.#runner.afterSubmit(() => this.#pool.release(b));
  }

  track(): Release {
    return this.#live.track((t) => this.dispose(t));
  }

  async sync(): Promise<void> {
    this.#runner.flush();
    await this.device.queue.onSubmittedWorkDone();
    this.#runner.check();
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#runner.flush();
    await this.device.queue.onSubmittedWorkDone().catch(() => {});
    this.#pool.destroy();
    this.#runner.destroy();
    this.device.destroy();
    void this.#gpu; // released with the backend, after the device
  }
}

export function createWebGpuBackend(opts?: WebGpuBackendOptions): Promise<WebGpuBackend> {
  return WebGpuBackend.create(opts);
}
