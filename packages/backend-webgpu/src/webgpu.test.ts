import { DeviceError, DeviceLostError, hostTensor, ops, poisson2d, sparsePattern, sweepOrder } from '@lowrank/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BufferPool } from './pool.ts';
import { PASSES_PER_SUBMIT, ProgramRunner } from './program.ts';
import { createWebGpuBackend, probeWebGpu, type WebGpuBackend } from './index.ts';

const probe = await probeWebGpu();

describe('WebGPU discovery', () => {
  it('a missing driver is a reason, not a crash', async () => {
    // No Vulkan driver, and (for Deno's wgpu, which would otherwise fall back to OpenGL) Vulkan only.
    const vars = {
      VK_DRIVER_FILES: '/nonexistent/icd.json',
      VK_ICD_FILENAMES: '/nonexistent/icd.json',
      DENO_WEBGPU_BACKEND: 'vulkan',
    };
    const saved = Object.fromEntries(Object.keys(vars).map((k) => [k, process.env[k]]));
    Object.assign(process.env, vars);
    try {
      const r = await probeWebGpu(20_000);
      expect(r.ok).toBe(false);
      expect(r.reason).toMatch(/no adapter|no Vulkan (driver|loader)/);
      expect(r.reason).not.toMatch(/Node\.js v|at .*\.js:\d+/);
    } finally {
      for (const [k, v] of Object.entries(saved)) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
    }
  });
  it('buffer size classes are powers of two from 256 bytes', () => {
    expect([0, 1, 256, 257, 5000].map(BufferPool.sizeClass)).toEqual([256, 256, 256, 512, 8192]);
  });
});

describe.skipIf(!probe.ok)(`WebGPU backend${probe.ok ? '' : ` (skipped: ${probe.reason})`}`, () => {
  let be: WebGpuBackend;
  beforeAll(async () => {
    be = await createWebGpuBackend();
  });
  afterAll(async () => {
    await be.close();
  });

  it('reports adapter, timestamp support and dispatch counts', async () => {
    expect(be.info.details.adapter).not.toBe('');
    const before = be.stats.dispatches;
    await ops.unary(be, 'abs', await be.upload(hostTensor('f32', [5], [1, -2, 3, -4, 5])));
    expect(be.stats.dispatches).toBe(before + 1);
    if (be.gpuTimer.available) {
      be.gpuTimer.start();
      await ops.gemm(be, await be.upload(hostTensor('f32', [64, 64])), await be.upload(hostTensor('f32', [64, 64])));
      await be.sync();
      const t = be.gpuTimer.stop();
      expect(t.submits).toBe(1);
      expect(t.gpuMs).toBeGreaterThan(0);
      // A submit of many passes (a DCT of n = 256: 2 + log₂n) times its first and last pass only.
      be.gpuTimer.start();
      await ops.dct(be, await be.upload(hostTensor('f32', [4, 256])));
      await be.sync();
      expect(be.gpuTimer.stop()).toMatchObject({ submits: 1, dispatches: 10 });
    }
  });

  it('refuses f64 with a typed error and frees buffers to its pool', async () => {
    expect(() => be.zeros('f64', [2])).toThrow(/WGSL has no f64/);
    await expect(ops.random(be, 'f64', [2], { dist: 'uniform', seed: 1 })).rejects.toThrow(
      /backend 'webgpu' has no f64 kernel for 'random'/,
    );
    const t = await be.upload(hostTensor('f32', [3]));
    be.dispose(t);
    expect(() => t.buffer).toThrow(/used after dispose/);
  });

  it('submits passes in batches, and a pending pass reads the values it was given', async () => {
    const read = async (t: Parameters<typeof be.download>[0]) => Array.from((await be.download(t)).data);
    const x = await be.upload(hostTensor('f32', [4], [1, 2, 3, 4]));
    const submits = be.stats.submits;
    const y = await ops.unary(be, 'neg', x);
    // x's buffer stays out of the pool until that pass is submitted: this upload would take it and
    // write it at once, ahead of the pass.
    be.dispose(x);
    const z = await be.upload(hostTensor('f32', [4], [9, 9, 9, 9]));
    expect(be.stats.submits).toBe(submits);
    expect(await read(y)).toEqual([-1, -2, -3, -4]);
    expect(be.stats.submits).toBe(submits + 1);
    // Index buffers written from the host: the second pattern waits for the first product's submit.
    const b = await be.upload(hostTensor('f32', [2, 1], [10, 1]));
    const vals = await be.upload(hostTensor('f32', [1], [1]));
    const first = await ops.spmm(be, sparsePattern(1, 2, [0], [0]), vals, b);
    const second = await ops.spmm(be, sparsePattern(1, 2, [0], [1]), vals, b);
    expect([await read(first), await read(second)]).toEqual([[10], [1]]);
    const before = be.stats.submits;
    for (let i = 0; i < 2 * PASSES_PER_SUBMIT; i++) await ops.scal(be, 1, z);
    expect(be.stats.submits - before).toBe(2);
  });

  it('runs SOR one dispatch per class: red–black is two per sweep, a lexicographic order of many rows is refused by name', async () => {
    const a = poisson2d(12);
    const vals = await be.upload(hostTensor('f32', [a.pattern.nnz], a.vals));
    const b = await be.upload(hostTensor('f32', [144], new Float64Array(144).fill(1)));
    const x = be.zeros('f32', [144]);
    const before = be.stats.dispatches;
    await ops.sor(be, a.pattern, vals, b, x, { omega: 1.5, sweeps: 3, order: sweepOrder(a.pattern, 'multicolor') });
    expect(be.stats.dispatches).toBe(before + 6);
    await expect(
      ops.sor(be, a.pattern, vals, b, x, { omega: 1.5, sweeps: 1, order: sweepOrder(a.pattern, 'lexicographic') }),
    ).rejects.toThrow(/one dispatch per class of the sweep order; this lexicographic order has 144 classes/);
  });

  it('a shader that does not compile is an error of that kernel alone, named, and the device stays usable', async () => {
    const device = be.device;
    const runner = new ProgramRunner(device, false);
    const buf = device.createBuffer({ size: 256, usage: GPUBufferUsage.STORAGE });
    const broken = {
      name: 'broken',
      key: 'broken',
      code: () => 'this is not wgsl',
      dispatch: [1, 1, 1] as const,
      buffers: [buf],
      uniforms: [],
    };
    await expect(runner.run([broken])).rejects.toThrow(/kernel 'broken' does not compile here: /);
    await expect(runner.run([broken])).rejects.toThrow(DeviceError);
    const fine = {
      name: 'fine',
      key: 'fine',
      dispatch: [1, 1, 1] as const,
      buffers: [buf],
      uniforms: [{ name: 'v', type: 'u32' as const, value: 7 }],
      code: (uniforms: string) =>
        `@group(0) @binding(0) var<storage, read_write> out: array<u32>;\n${uniforms}\n@compute @workgroup_size(1) fn main() { out[0] = p.v; }`,
    };
    await runner.run([fine]);
    runner.flush();
    await device.queue.onSubmittedWorkDone();
    await new Promise((r) => setTimeout(r, 50));
    expect(() => runner.check()).not.toThrow();
    const x = await be.upload(hostTensor('f32', [3], [1, -2, 3]));
    expect(Array.from((await be.download(await ops.unary(be, 'neg', x))).data)).toEqual([-1, 2, -3]);
    buf.destroy();
  });

  it('a lost device fails every later call with DeviceLostError instead of hanging', async () => {
    const lost = await createWebGpuBackend();
    const x = await lost.upload(hostTensor('f32', [4], [1, 2, 3, 4]));
    lost.device.destroy();
    await lost.device.lost;
    await expect(ops.unary(lost, 'neg', x)).rejects.toThrow(DeviceLostError);
    await lost.close();
  });
});
