import { gpuOf, machineFingerprint } from '@lowrank/harness';
import type { Backend } from '@lowrank/core';
import type { CliOptions } from './args.ts';
import { allCoreCount, open, type CliIO } from './context.ts';
import { formatCapabilities, formatInfo } from './format.ts';

/** lowrank info: the machine, each backend's status and its capability table. */
export async function infoCommand(o: CliOptions, io: CliIO, opened: Backend[]): Promise<number> {
  const { backends, status } = await open(o.backends ?? ['ref', 'wasm', 'webgpu'], o.threads ?? [await allCoreCount()]);
  opened.push(...backends);
  const fp = await machineFingerprint(undefined, gpuOf(backends));
  const threads = backends.find((b) => b.name === 'wasm')?.info.details.threads;
  const capabilities = Object.fromEntries(backends.map((b) => [b.name, b.capabilities]));
  io.stdout.write(
    o.json
      ? `${JSON.stringify({ machine: fp, backends: status, threads, capabilities }, null, 1)}\n`
      : `${formatInfo(fp, status)}\n\n${formatCapabilities(backends)}\n`,
  );
  return 0;
}
