import { createRefBackend } from '@lowrank/backend-ref';
import { createWasmBackend } from '@lowrank/backend-wasm';
import { createWebGpuBackend, probeWebGpu } from '@lowrank/backend-webgpu';
import type { Backend, DType, PrimitiveName } from '@lowrank/core';

/**
 * The backends the cross-backend test suite runs on, each with an explicit, visible skip list
 * (tfjs TEST_FILTERS style): a (primitive, dtype) pair listed here is reported as skipped with its
 * reason, and every pair not listed must pass.
 */
export interface TestBackend {
  label: string;
  /** Null when the backend can run here, else why not (the suite skips it visibly, and fails in CI). */
  unavailable(): Promise<string | null>;
  open(): Promise<Backend>;
  /** Whether NaN and ±Inf are guaranteed to propagate (WGSL lets implementations assume they never occur). */
  ieeeSpecials: boolean;
  skips: ReadonlyArray<{ primitive: PrimitiveName | '*'; dtype: DType; why: string }>;
}

export const TEST_BACKENDS: readonly TestBackend[] = [
  {
    label: 'ref',
    unavailable: async () => null,
    open: async () => createRefBackend(),
    ieeeSpecials: true,
    skips: [{ primitive: '*', dtype: 'f32', why: 'the reference backend is the f64 oracle and has no f32 kernels by design' }],
  },
  { label: 'wasm (1 thread)', unavailable: async () => null, open: () => createWasmBackend({ threads: 1 }), ieeeSpecials: true, skips: [] },
  { label: 'wasm (2 threads)', unavailable: async () => null, open: () => createWasmBackend({ threads: 2 }), ieeeSpecials: true, skips: [] },
  {
    label: 'webgpu',
    unavailable: async () => {
      const r = await probeWebGpu();
      return r.ok ? null : r.reason ?? 'unavailable';
    },
    open: () => createWebGpuBackend(),
    ieeeSpecials: false,
    skips: [{ primitive: '*', dtype: 'f64', why: 'WGSL has no f64' }],
  },
];

export function skipReason(tb: TestBackend, primitive: PrimitiveName, dtype: DType): string | undefined {
  return tb.skips.find((s) => (s.primitive === '*' || s.primitive === primitive) && s.dtype === dtype)?.why;
}
