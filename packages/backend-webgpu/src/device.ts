import { BackendUnavailableError } from '@lowrank/core';

declare const Deno: unknown;

export interface AcquiredDevice {
  /** Kept referenced for the device's lifetime: Dawn tears the instance down when its GPU object is collected. */
  gpu: GPU | null;
  device: GPUDevice;
  adapterInfo: { vendor: string; architecture: string; device: string; description: string };
  features: string[];
  /** Software adapters (lavapipe, SwiftShader, WARP) are for correctness only, never for speed claims. */
  software: boolean;
  runtime: 'dawn' | 'wgpu' | 'browser';
}

const SOFTWARE = /llvmpipe|lavapipe|swiftshader|warp|software|microsoft basic render/i;

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const t = setTimeout(
      () => reject(new BackendUnavailableError(`webgpu: ${what} did not answer within ${ms} ms`)),
      ms,
    );
    p.then(
      (v) => {
        clearTimeout(t);
        resolve(v);
      },
      (e: unknown) => {
        clearTimeout(t);
        reject(e);
      },
    );
  });
}

/** navigator.gpu where the runtime has it (Deno, browsers); in Node, Dawn from the `webgpu` package. */
async function findGpu(): Promise<{ gpu: GPU; runtime: AcquiredDevice['runtime'] }> {
  const nav = (globalThis as { navigator?: { gpu?: GPU } }).navigator;
  if (nav?.gpu !== undefined) return { gpu: nav.gpu, runtime: typeof Deno !== 'undefined' ? 'wgpu' : 'browser' };
  let mod: { create: (o: string[]) => GPU; globals: object };
  try {
    mod = (await import('webgpu')) as never;
  } catch (cause) {
    throw new BackendUnavailableError(
      'webgpu: this runtime has no navigator.gpu and the npm package "webgpu" (Dawn) is not installed',
      { cause },
    );
  }
  Object.assign(globalThis, mod.globals);
  // Dawn quantizes timestamps unless told not to (a side-channel mitigation we do not need here).
  return { gpu: mod.create(['disable-dawn-features=timestamp_quantization']), runtime: 'dawn' };
}

/**
 * Finds an adapter and opens a device, with a time limit on each step, so that a missing driver or a
 * hanging software stack becomes a `BackendUnavailableError` with the reason instead of a stuck run.
 */
export async function acquireDevice(
  opts: { timeoutMs?: number; powerPreference?: GPUPowerPreference } = {},
): Promise<AcquiredDevice> {
  const timeout = opts.timeoutMs ?? 15_000;
  const { gpu, runtime } = await findGpu();
  const adapter = await withTimeout(
    gpu.requestAdapter({ powerPreference: opts.powerPreference ?? 'high-performance' }),
    timeout,
    'requestAdapter',
  );
  if (adapter === null)
    throw new BackendUnavailableError(
      'webgpu: no adapter (requestAdapter returned null: no GPU and no software Vulkan driver such as lavapipe)',
    );
  const wanted: GPUFeatureName[] = ['timestamp-query', 'shader-f16'];
  const requiredFeatures = wanted.filter((f) => adapter.features.has(f));
  const limits = adapter.limits;
  const device = await withTimeout(
    adapter.requestDevice({
      requiredFeatures,
      requiredLimits: {
        maxStorageBufferBindingSize: limits.maxStorageBufferBindingSize,
        maxBufferSize: limits.maxBufferSize,
        maxComputeInvocationsPerWorkgroup: Math.min(256, limits.maxComputeInvocationsPerWorkgroup),
        maxComputeWorkgroupSizeX: Math.min(256, limits.maxComputeWorkgroupSizeX),
        maxComputeWorkgroupSizeY: Math.min(256, limits.maxComputeWorkgroupSizeY),
        maxComputeWorkgroupStorageSize: limits.maxComputeWorkgroupStorageSize,
      },
    }),
    timeout,
    'requestDevice',
  );
  const info = adapter.info ?? ({} as GPUAdapterInfo);
  const adapterInfo = {
    vendor: String(info.vendor ?? ''),
    architecture: String(info.architecture ?? ''),
    device: String(info.device ?? ''),
    description: String(info.description ?? ''),
  };
  const text = `${adapterInfo.vendor} ${adapterInfo.architecture} ${adapterInfo.device} ${adapterInfo.description}`;
  return {
    gpu,
    device,
    adapterInfo,
    features: [...device.features].map(String),
    software: SOFTWARE.test(text),
    runtime,
  };
}
