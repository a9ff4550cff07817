import { detectWasmFeatures, type WasmFeatures } from '@lowrank/backend-wasm';
import { z } from 'zod';
import { sha256Hex } from './storage.ts';

/**
 * Machine identity in two parts (asv, pytest-benchmark): `stable` fields make the key under which
 * results are filed and compared; `volatile` fields (load, free memory, clock) are recorded but
 * never split a series, so a busy afternoon does not look like a different machine.
 */
export const Fingerprint = z.object({
  /** A file-name-safe slug (it names the results folder): anything else is a corrupt or hostile file. */
  key: z
    .string()
    .regex(/^[a-z0-9_-][a-z0-9._-]{0,159}$/, 'a machine key: lowercase letters, digits, . _ - (it names a folder)')
    .refine((k) => !k.includes('..'), 'a machine key may not contain ..'),
  stable: z.object({
    cpuModel: z.string(),
    cpuCount: z.number().int(),
    memoryGiB: z.number(),
    os: z.string(),
    arch: z.string(),
    runtime: z.enum(['node', 'deno', 'browser']),
    runtimeVersion: z.string(),
    wasm: z.object({ simd: z.boolean(), relaxedSimd: z.boolean(), threads: z.boolean() }),
    gpu: z
      .object({ vendor: z.string(), architecture: z.string(), device: z.string(), description: z.string() })
      .nullable(),
  }),
  volatile: z.object({
    hostname: z.string(),
    osRelease: z.string(),
    loadAverage: z.array(z.number()),
    freeMemoryGiB: z.number(),
    cpuMHz: z.number(),
    runtimeFlags: z.array(z.string()),
  }),
});
export type Fingerprint = z.infer<typeof Fingerprint>;

declare const Deno: { version: { deno: string } } | undefined;

function runtime(): { runtime: 'node' | 'deno' | 'browser'; runtimeVersion: string } {
  if (typeof Deno !== 'undefined') return { runtime: 'deno', runtimeVersion: Deno.version.deno };
  const p = (globalThis as { process?: { versions?: { node?: string } } }).process;
  if (p?.versions?.node !== undefined) return { runtime: 'node', runtimeVersion: p.versions.node };
  // A browser: its engine and version from the user agent (e.g. "chrome 156.0.0.0"), the rest is volatile.
  const ua = (globalThis as { navigator?: { userAgent?: string } }).navigator?.userAgent ?? '';
  const m = /(Firefox|Chrome|Version)\/([\d.]+)/.exec(ua);
  return {
    runtime: 'browser',
    runtimeVersion: m === null ? 'unknown' : `${m[1] === 'Version' ? 'safari' : m[1].toLowerCase()}-${m[2]}`,
  };
}

function slug(s: string): string {
  return s
    .toLowerCase()
    .replace(/\(r\)|\(tm\)|processor|cpu|\d+-core/g, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 40);
}

export interface GpuIdentity {
  vendor: string;
  architecture: string;
  device: string;
  description: string;
}

/** The GPU identity recorded by an open WebGPU backend (its adapter), or null. */
export function gpuOf(
  backends: ReadonlyArray<{ name: string; info: { details: Readonly<Record<string, unknown>> } }>,
): GpuIdentity | null {
  const d = backends.find((b) => b.name === 'webgpu')?.info.details;
  if (d === undefined) return null;
  return {
    vendor: String(d.vendor ?? ''),
    architecture: String(d.architecture ?? ''),
    device: String(d.runtime ?? ''),
    description: String(d.adapter ?? ''),
  };
}

export async function machineFingerprint(wasm?: WasmFeatures, gpu: GpuIdentity | null = null): Promise<Fingerprint> {
  const os = await import('node:os');
  const cpus = os.cpus();
  const rt = runtime();
  const features =
    wasm ?? (await detectWasmFeatures().catch(() => ({ simd: false, relaxedSimd: false, threads: false })));
  const stable = {
    cpuModel: cpus[0]?.model.trim() ?? 'unknown',
    cpuCount: cpus.length,
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    os: os.platform(),
    arch: os.arch(),
    ...rt,
    wasm: features,
    gpu,
  };
  // The key is the machine (CPU, cores, memory, OS, runtime and its WASM features), not its GPU adapter: the
  // adapter is recorded here and in each WebGPU record's backend description, so installing lavapipe or a
  // driver does not file the same machine's CPU results under another key. The runtime's major version
  // is part of the identity; its patch level is not.
  const { gpu: _adapter, ...machine } = stable;
  const identity = { ...machine, runtimeVersion: stable.runtimeVersion.split('.')[0] };
  const hash = (await sha256Hex(new TextEncoder().encode(JSON.stringify(identity)))).slice(0, 8);
  const p = (globalThis as { process?: { execArgv?: string[] } }).process;
  return {
    key: `${slug(stable.cpuModel)}-${stable.cpuCount}c-${slug(stable.os)}-${slug(stable.arch)}-${rt.runtime}${slug(identity.runtimeVersion)}-${hash}`,
    stable,
    volatile: {
      hostname: os.hostname(),
      osRelease: os.release(),
      loadAverage: os.loadavg(),
      freeMemoryGiB: Math.round((os.freemem() / 2 ** 30) * 10) / 10,
      cpuMHz: cpus[0]?.speed ?? 0,
      runtimeFlags: p?.execArgv ?? [],
    },
  };
}
