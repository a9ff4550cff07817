import { BackendUnavailableError } from '@lowrank/core';
import { checkAbi } from './abi-check.ts';

/** What the runtime offers, detected once at load. */
export interface WasmFeatures {
  simd: boolean;
  relaxedSimd: boolean;
  threads: boolean;
}

export type Variant = `kernels-${'simd' | 'relaxed'}-${'shared' | 'private'}.wasm`;

declare const Deno: unknown;

/** Reads a file next to this package's `build/` folder in Node, Deno or a browser. */
async function readArtifact(name: string): Promise<Uint8Array<ArrayBuffer>> {
  const url = new URL(`../build/${name}`, import.meta.url);
  try {
    if (url.protocol === 'file:' && typeof Deno === 'undefined') {
      const { readFile } = await import('node:fs/promises');
      return new Uint8Array(await readFile(url)) as Uint8Array<ArrayBuffer>;
    }
    const response = await fetch(url);
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    return new Uint8Array(await response.arrayBuffer());
  } catch (cause) {
    throw new BackendUnavailableError(
      `wasm: cannot read ${url.href} (run 'npm run build' to compile the AssemblyScript kernels)`,
      { cause },
    );
  }
}

/** Whether shared WebAssembly memory can be created here (SharedArrayBuffer + cross-origin isolation). */
function sharedMemoryAvailable(): boolean {
  if (typeof SharedArrayBuffer === 'undefined') return false;
  try {
    new WebAssembly.Memory({ initial: 1, maximum: 1, shared: true });
    return true;
  } catch {
    return false;
  }
}

/** Which WASM features this runtime accepts, by validating the built kernel modules themselves. */
export async function detectWasmFeatures(): Promise<WasmFeatures> {
  const threads = sharedMemoryAvailable();
  const mem = threads ? 'shared' : 'private';
  return {
    simd: WebAssembly.validate(await readArtifact(`kernels-simd-${mem}.wasm`)),
    relaxedSimd: WebAssembly.validate(await readArtifact(`kernels-relaxed-${mem}.wasm`)),
    threads,
  };
}

export interface LoadedKernels {
  module: WebAssembly.Module;
  variant: Variant;
  features: WasmFeatures;
}

/**
 * Picks the best variant the runtime validates: relaxed SIMD (a real FMA) when `WebAssembly.validate`
 * accepts it (Deno 2, Chrome 114+, Node with --experimental-wasm-relaxed-simd), else plain SIMD;
 * shared memory when it can be created, else a private memory and one thread.
 */
export async function loadKernels(opts: { relaxed?: boolean; shared?: boolean } = {}): Promise<LoadedKernels> {
  const threads = sharedMemoryAvailable();
  const shared = opts.shared ?? threads;
  if (shared && !threads)
    throw new BackendUnavailableError('wasm: shared memory was requested but SharedArrayBuffer is unavailable here');
  const mem = shared ? 'shared' : 'private';
  const relaxedBytes = await readArtifact(`kernels-relaxed-${mem}.wasm`);
  const relaxedSimd = WebAssembly.validate(relaxedBytes);
  const simdBytes = await readArtifact(`kernels-simd-${mem}.wasm`);
  const simd = WebAssembly.validate(simdBytes);
  if (!simd) throw new BackendUnavailableError('wasm: this runtime does not support WebAssembly SIMD (128-bit)');
  if (opts.relaxed === true && !relaxedSimd) {
    throw new BackendUnavailableError(
      'wasm: relaxed SIMD was requested but this runtime rejects it (Node 20 needs --experimental-wasm-relaxed-simd)',
    );
  }
  const useRelaxed = opts.relaxed ?? relaxedSimd;
  const variant: Variant = `kernels-${useRelaxed ? 'relaxed' : 'simd'}-${mem}.wasm`;
  const bytes = useRelaxed ? relaxedBytes : simdBytes;
  checkAbi(bytes, variant);
  const module = await WebAssembly.compile(bytes);
  return { module, variant, features: { simd, relaxedSimd, threads } };
}
