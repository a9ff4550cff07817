import { BackendUnavailableError } from '@lowrank/core';

declare const Deno: unknown;

export interface ProbeResult {
  ok: boolean;
  description: string;
  reason?: string;
  details?: Record<string, unknown>;
}

/** lavapipe wants a private runtime folder; without one it prints an error on every start. */
export async function ensureRuntimeDir(): Promise<void> {
  const env = (globalThis as { process?: { env: Record<string, string | undefined> } }).process?.env;
  if (env === undefined || env.XDG_RUNTIME_DIR !== undefined) return;
  const { mkdtempSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  env.XDG_RUNTIME_DIR = mkdtempSync(join(tmpdir(), 'xdg-'));
}

/**
 * Runs probe.ts/probe.js in a child process of the same runtime with a time limit. A null adapter,
 * a driver panic or a hang there becomes `{ ok: false, reason }` here.
 */
export async function probeWebGpu(timeoutMs = 30_000): Promise<ProbeResult> {
  // In a browser page there is no child process to run; the tab is the sandbox.
  if ((globalThis as { process?: unknown }).process === undefined) return { ok: true, description: 'webgpu (in page)' };
  await ensureRuntimeDir();
  const { spawnSync } = await import('node:child_process');
  const { fileURLToPath } = await import('node:url');
  const isDeno = typeof Deno !== 'undefined';
  const script = fileURLToPath(new URL(isDeno ? './probe.ts' : '../dist/probe.js', import.meta.url));
  const args = isDeno ? ['run', '-A', script] : [script];
  const r = spawnSync(process.execPath, args, { timeout: timeoutMs, encoding: 'utf8', env: process.env });
  const line = (r.stdout ?? '').trim().split('\n').pop() ?? '';
  if (line.startsWith('{')) {
    const parsed = JSON.parse(line) as ProbeResult;
    if (parsed.ok || r.status !== 0)
      return parsed.ok ? parsed : { ...parsed, reason: `${parsed.reason ?? 'unavailable'}${await vulkanHint()}` };
  }
  const why =
    r.error !== undefined
      ? `${r.error.message}${(r.error as NodeJS.ErrnoException).code === 'ETIMEDOUT' ? ` (no answer within ${timeoutMs} ms)` : ''}`
      : (r.stderr ?? '')
          .split('\n')
          .map((s) => s.trim())
          .filter((s) => s.length > 0 && !/artificially reduced/.test(s))
          .slice(-3)
          .join(' | ');
  return {
    ok: false,
    description: 'webgpu',
    reason: `probe process failed (exit ${r.status ?? r.signal}): ${why || 'no output'}`,
  };
}

/**
 * Why Linux has no WebGPU adapter, when the cause is the Vulkan set-up: no loader library, or no
 * driver (ICD) for it to load. Empty elsewhere, or when both are present.
 */
async function vulkanHint(): Promise<string> {
  const env = (globalThis as { process?: { platform?: string; env: Record<string, string | undefined> } }).process;
  if (env?.platform !== 'linux') return '';
  const { existsSync, readdirSync } = await import('node:fs');
  const libDirs = [
    '/usr/lib/x86_64-linux-gnu',
    '/usr/lib/aarch64-linux-gnu',
    '/usr/lib64',
    '/usr/lib',
    '/usr/local/lib',
  ];
  const setup = 'run `npm run setup:webgpu` (root) for a software adapter';
  if (!libDirs.some((d) => existsSync(`${d}/libvulkan.so.1`)))
    return ` — no Vulkan loader: libvulkan.so.1 not found; ${setup}`;
  const icdDirs = ['/usr/share/vulkan/icd.d', '/etc/vulkan/icd.d', '/usr/local/share/vulkan/icd.d'];
  const custom = env.env.VK_ICD_FILENAMES ?? env.env.VK_DRIVER_FILES;
  const icds =
    custom !== undefined
      ? custom.split(':').filter((f) => existsSync(f))
      : icdDirs.flatMap((d) => (existsSync(d) ? readdirSync(d) : []));
  if (icds.length === 0)
    return ` — no Vulkan driver: no ICD for a GPU or for lavapipe${custom !== undefined ? ` in VK_ICD_FILENAMES/VK_DRIVER_FILES (${custom})` : ''}; ${setup}`;
  return '';
}

/** Throws BackendUnavailableError with the probe's reason when WebGPU cannot run here. */
export async function assertWebGpuUsable(timeoutMs?: number): Promise<void> {
  const r = await probeWebGpu(timeoutMs);
  if (!r.ok) throw new BackendUnavailableError(`webgpu: ${r.reason}`);
}
