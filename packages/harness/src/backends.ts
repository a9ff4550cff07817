import { createRefBackend } from '@lowrank/backend-ref';
import { createWasmBackend } from '@lowrank/backend-wasm';
import { assertWebGpuUsable, createWebGpuBackend } from '@lowrank/backend-webgpu';
import { ArgumentError, type Backend } from '@lowrank/core';

/** Backends the harness can open, by name. */
export const BACKEND_NAMES = ['ref', 'wasm', 'webgpu'] as const;
export type BackendName = (typeof BACKEND_NAMES)[number];

export interface BackendOpenOptions {
  threads?: number;
  relaxedSimd?: boolean;
}

const FACTORIES: Record<BackendName, (o: BackendOpenOptions) => Promise<Backend>> = {
  ref: async () => createRefBackend(),
  wasm: (o) => createWasmBackend({ threads: o.threads, relaxedSimd: o.relaxedSimd }),
  // A child process tries the adapter first: a driver that panics or hangs must not take the run down.
  webgpu: async () => {
    await assertWebGpuUsable();
    return createWebGpuBackend();
  },
};

export interface BackendStatus {
  name: string;
  description: string;
  available: boolean;
  reason?: string;
}

export function parseBackendNames(list: string): BackendName[] {
  const names = list
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
  for (const n of names) {
    if (!(BACKEND_NAMES as readonly string[]).includes(n)) {
      throw new ArgumentError(`--backend: unknown backend '${n}' (known: ${BACKEND_NAMES.join(', ')})`);
    }
  }
  if (names.length === 0) throw new ArgumentError('--backend: no backend named');
  return names as BackendName[];
}

/**
 * Opens each named backend; one that cannot start here (no SIMD, no adapter) is reported with the
 * reason and left out, so the run goes on with the others.
 */
export async function openBackends(
  names: readonly BackendName[],
  o: BackendOpenOptions = {},
): Promise<{ backends: Backend[]; status: BackendStatus[] }> {
  const backends: Backend[] = [];
  const status: BackendStatus[] = [];
  for (const name of names) {
    try {
      const be = await FACTORIES[name](o);
      backends.push(be);
      status.push({ name, description: be.info.description, available: true });
    } catch (e) {
      if (e instanceof ArgumentError) throw e;
      status.push({ name, description: name, available: false, reason: e instanceof Error ? e.message : String(e) });
    }
  }
  return { backends, status };
}
