import { createRefBackend } from '@lowrank/backend-ref';
import { createWasmBackend } from '@lowrank/backend-wasm';
import type { Backend, DType, PrimitiveName } from '@lowrank/core';

/**
 * The backends the cross-backend test suite runs on, each with an explicit, visible skip list
 * (tfjs TEST_FILTERS style): a (primitive, dtype) pair listed here is reported as skipped with its
 * reason, and every pair not listed must pass.
 */
export interface TestBackend {
  label: string;
  open(): Promise<Backend>;
  skips: ReadonlyArray<{ primitive: PrimitiveName | '*'; dtype: DType; why: string }>;
}

export const TEST_BACKENDS: readonly TestBackend[] = [
  {
    label: 'ref',
    open: async () => createRefBackend(),
    skips: [{ primitive: '*', dtype: 'f32', why: 'the reference backend is the f64 oracle and has no f32 kernels by design' }],
  },
  { label: 'wasm (1 thread)', open: () => createWasmBackend({ threads: 1 }), skips: [] },
  { label: 'wasm (2 threads)', open: () => createWasmBackend({ threads: 2 }), skips: [] },
];

export function skipReason(tb: TestBackend, primitive: PrimitiveName, dtype: DType): string | undefined {
  return tb.skips.find((s) => (s.primitive === '*' || s.primitive === primitive) && s.dtype === dtype)?.why;
}
