/**
 * Probes WebGPU in a throw-away process: opens the backend, runs one kernel, reads it back and prints
 * a JSON line. The harness runs this before opening WebGPU in its own process, so a driver that
 * panics or hangs costs a skipped backend with a reason, never the whole run.
 * Usage: node packages/backend-webgpu/dist/probe.js   (deno run -A packages/backend-webgpu/src/probe.ts)
 */
import { hostTensor, ops, type Backend } from '@lowrank/core';
import { createWebGpuBackend } from './index.ts';

try {
  const gpu = await createWebGpuBackend({ timeoutMs: 10_000 });
  const be: Backend = gpu;
  const x = await be.upload(hostTensor('f32', [3], [1, -2, 3]));
  const y = await be.download(await ops.unary(be, 'neg', x));
  if (Array.from(y.data).join() !== '-1,2,-3') throw new Error(`probe kernel gave ${Array.from(y.data).join()}`);
  process.stdout.write(
    `${JSON.stringify({ ok: true, description: gpu.info.description, details: gpu.info.details })}\n`,
  );
  await be.close();
} catch (e) {
  // One JSON line either way: the parent reads the reason instead of a stack trace.
  process.stdout.write(
    `${JSON.stringify({ ok: false, description: 'webgpu', reason: e instanceof Error ? e.message.replace(/^webgpu: /, '') : String(e) })}\n`,
  );
  process.exitCode = 1;
}
