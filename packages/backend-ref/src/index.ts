import {
  PRIMITIVES,
  ArgumentError,
  DTypeError,
  LiveTensors,
  hostTensor,
  sizeOf,
  type Backend,
  type KernelSupport,
  type DType,
  type HostTensor,
  type KernelTable,
  type PrimitiveName,
  type Release,
  type Shape,
} from '@lowrank/core';
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
import { RefTensor } from './tensor.ts';

export { RefTensor } from './tensor.ts';
export { UNARY } from './kernels/unary.ts';
export { BINARY } from './kernels/binary.ts';

const KERNELS: KernelTable<RefTensor> = {
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

/** The reference backend has every primitive, in f64 only: it is the oracle, not an f32 implementation. */
export const REF_SUPPORT: KernelSupport = {
  capabilities: Object.fromEntries(PRIMITIVES.map((p) => [p, ['f64'] as const])),
  noKernelReason: (_p: PrimitiveName, dtype: DType) =>
    `${dtype} on ref: the reference backend is the f64 oracle, by design`,
};

export class RefBackend implements Backend<RefTensor> {
  readonly name = 'ref';
  readonly info = {
    description: 'ref (float64 TypeScript oracle)',
    computeDType: { f16: 'f64', f32: 'f64', f64: 'f64' } as const, // only f64 is offered (see REF_SUPPORT)
    details: { threads: 1 },
  };
  readonly capabilities = REF_SUPPORT.capabilities;
  readonly noKernelReason = REF_SUPPORT.noKernelReason;
  readonly kernels = KERNELS;
  readonly #live = new LiveTensors<RefTensor>();

  async upload(t: HostTensor): Promise<RefTensor> {
    if (t.dtype !== 'f64') throw new DTypeError(`ref: the reference backend holds f64 tensors only, got ${t.dtype}`);
    if (t.data.length !== sizeOf(t.shape))
      throw new ArgumentError(`upload: data length ${t.data.length} does not match shape [${t.shape.join(', ')}]`);
    return this.#live.add(new RefTensor(this, t.dtype, [...t.shape], Float64Array.from(t.data)));
  }
  async download(t: RefTensor): Promise<HostTensor> {
    return hostTensor(t.dtype, t.shape, t.data);
  }
  zeros(dtype: DType, shape: Shape): RefTensor {
    if (dtype !== 'f64') throw new DTypeError(`ref: the reference backend holds f64 tensors only, got ${dtype}`);
    return this.#live.add(new RefTensor(this, dtype, [...shape], new Float64Array(sizeOf(shape))));
  }
  dispose(t: RefTensor): void {
    this.#live.delete(t);
    t.dispose();
  }
  track(): Release {
    return this.#live.track((t) => this.dispose(t));
  }
  async sync(): Promise<void> {}
  async close(): Promise<void> {}
}

export function createRefBackend(): RefBackend {
  return new RefBackend();
}
