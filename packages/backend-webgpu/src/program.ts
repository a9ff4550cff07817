import { DeviceError, DeviceLostError } from '@lowrank/core';

/** A scalar uniform, declared by name: the runner writes the WGSL struct field and packs the value. */
export interface Uniform {
  readonly name: string;
  readonly type: 'u32' | 'i32' | 'f32';
  readonly value: number;
}
export const u32 = (name: string, value: number): Uniform => ({ name, type: 'u32', value });
export const f32 = (name: string, value: number): Uniform => ({ name, type: 'f32', value });

/**
 * A declarative compute program (onnxruntime-web's ProgramInfo): the runner caches the pipeline by
 * `key`, binds `buffers` at bindings 0..n−1 and the packed `uniforms` at binding n, and dispatches.
 * `code` receives the uniforms' declaration (as onnxruntime-web's registerUniforms: `struct Params`
 * with one field per uniform, in order, bound as `p` at binding n; none without uniforms) and places it where the shader
 * declares its bindings; it must declare exactly the buffer bindings (layout 'auto' drops unused ones).
 */
export interface Program {
  name: string;
  /** Everything that changes the WGSL text; equal keys share one pipeline. */
  key: string;
  code: (uniforms: string) => string;
  dispatch: readonly [number, number, number];
  buffers: readonly GPUBuffer[];
  /** Scalars packed in order as 4-byte words, read in WGSL as `p.<name>`. */
  uniforms: readonly Uniform[];
}

/** The WGSL declaration of a program's uniforms: `struct Params { m: u32, … }` bound as `p` after the buffers. */
export function declareUniforms(uniforms: readonly Uniform[], binding: number): string {
  const seen = new Set<string>();
  for (const u of uniforms) {
    if (!/^[A-Za-z][A-Za-z0-9]*$/.test(u.name) || seen.has(u.name))
      throw new DeviceError(`webgpu: uniform name '${u.name}' is not a fresh WGSL identifier`);
    seen.add(u.name);
  }
  // A program without uniforms has no struct (WGSL needs a member) and no binding ('auto' layout would drop it).
  if (uniforms.length === 0) return '';
  const fields = uniforms.map((u) => `${u.name}: ${u.type}`).join(', ');
  return `struct Params { ${fields} }\n@group(0) @binding(${binding}) var<uniform> p: Params;`;
}

/** The work a backend call submitted: dispatches and bytes, for the dispatch-count and traffic model. */
export interface DispatchStats {
  dispatches: number;
  gpuNs: number;
  profiled: number;
}

export class ProgramRunner {
  readonly #pipelines = new Map<string, GPUComputePipeline | Error>();
  readonly #uniformFree: GPUBuffer[] = [];
  readonly #querySet: GPUQuerySet | null;
  readonly #queryResolve: GPUBuffer | null;
  readonly #queryRead: GPUBuffer | null;
  #error: Error | null = null;
  #profile: boolean = false;
  readonly stats: DispatchStats = { dispatches: 0, gpuNs: 0, profiled: 0 };

  constructor(
    readonly device: GPUDevice,
    timestamps: boolean,
  ) {
    device.addEventListener('uncapturederror', (e) => {
      this.#error ??= new DeviceError(`webgpu: ${(e as GPUUncapturedErrorEvent).error.message}`);
    });
    this.#querySet = timestamps ? device.createQuerySet({ type: 'timestamp', count: 2 }) : null;
    this.#queryResolve = timestamps
      ? device.createBuffer({ size: 16, usage: GPUBufferUsage.QUERY_RESOLVE | GPUBufferUsage.COPY_SRC })
      : null;
    this.#queryRead = timestamps
      ? device.createBuffer({ size: 16, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST })
      : null;
  }

  /** Marks the device lost: every later call fails with the reason instead of hanging. */
  lost(reason: string): void {
    this.#error = new DeviceLostError(`webgpu: device lost (${reason})`);
  }

  /** Throws the first asynchronous GPU error (validation, out of memory, lost device) seen so far. */
  check(): void {
    if (this.#error !== null) throw this.#error;
  }

  get timestampsAvailable(): boolean {
    return this.#querySet !== null;
  }

  /** While on, each submit measures its GPU time with timestamp queries (and waits for it). */
  setProfiling(on: boolean): void {
    this.#profile = on && this.#querySet !== null;
  }

  /**
   * The program's pipeline, compiled once per key. A shader the implementation rejects (naga is
   * stricter than Dawn and Chromium) is an error of that kernel alone: caught in an error scope,
   * remembered under its key with the compiler's first line, and never left as the device's
   * uncaptured error, which would fail every later kernel.
   */
  async #pipeline(p: Program): Promise<GPUComputePipeline> {
    const known = this.#pipelines.get(p.key);
    if (known instanceof Error) throw known;
    if (known !== undefined) return known;
    this.device.pushErrorScope('validation');
    let pipe: GPUComputePipeline | Error;
    try {
      const module = this.device.createShaderModule({
        label: p.name,
        code: p.code(declareUniforms(p.uniforms, p.buffers.length)),
      });
      pipe = await this.device.createComputePipelineAsync({
        label: p.name,
        layout: 'auto',
        compute: { module, entryPoint: 'main' },
      });
    } catch (e) {
      pipe = e as Error;
    }
    const scoped = await this.device.popErrorScope();
    if (scoped !== null || pipe instanceof Error) {
      const message = (scoped?.message ?? (pipe as Error).message)
        .split('\n')
        .map((l) => l.trim())
        .filter((l) => l !== '');
      pipe = new DeviceError(`webgpu: kernel '${p.name}' does not compile here: ${message.slice(0, 2).join(' ')}`);
    }
    this.#pipelines.set(p.key, pipe);
    if (pipe instanceof Error) throw pipe;
    return pipe;
  }

  #uniformBuffer(p: Program): GPUBuffer {
    const words = new ArrayBuffer(Math.max(16, Math.ceil((p.uniforms.length * 4) / 16) * 16));
    const view = new DataView(words);
    p.uniforms.forEach((u, i) => {
      if (u.type === 'f32') view.setFloat32(i * 4, u.value, true);
      else if (u.type === 'i32') view.setInt32(i * 4, u.value, true);
      else view.setUint32(i * 4, u.value, true);
    });
    const buf =
      this.#uniformFree.pop() ??
      this.device.createBuffer({ size: 256, usage: GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST });
    // writeBuffer is ordered with submits on the queue, so a uniform buffer can be reused by the next call.
    this.device.queue.writeBuffer(buf, 0, words);
    return buf;
  }

  /** Encodes the programs as passes of one command buffer and submits it. */
  async run(programs: readonly Program[]): Promise<void> {
    this.check();
    const pipes: Array<GPUComputePipeline | null> = [];
    for (const p of programs) pipes.push(p.dispatch.some((d) => d === 0) ? null : await this.#pipeline(p));
    const encoder = this.device.createCommandEncoder();
    const uniforms: GPUBuffer[] = [];
    let passes = 0;
    programs.forEach((p, i) => {
      const pipe = pipes[i];
      if (pipe === null) return;
      const entries: GPUBindGroupEntry[] = p.buffers.map((buffer, b) => ({ binding: b, resource: { buffer } }));
      if (p.uniforms.length > 0) {
        const ubuf = this.#uniformBuffer(p);
        uniforms.push(ubuf);
        entries.push({ binding: p.buffers.length, resource: { buffer: ubuf } });
      }
      const bind = this.device.createBindGroup({ layout: pipe.getBindGroupLayout(0), entries });
      // The first pass writes the start, the last the end; a pass between writes none (WebGPU refuses
      // timestampWrites naming neither index).
      const first = i === 0,
        last = i === programs.length - 1;
      const timestampWrites =
        this.#profile && this.#querySet !== null && (first || last)
          ? {
              querySet: this.#querySet,
              ...(first ? { beginningOfPassWriteIndex: 0 } : {}),
              ...(last ? { endOfPassWriteIndex: 1 } : {}),
            }
          : undefined;
      const pass = encoder.beginComputePass(timestampWrites === undefined ? {} : { timestampWrites });
      pass.setPipeline(pipe);
      pass.setBindGroup(0, bind);
      pass.dispatchWorkgroups(p.dispatch[0], p.dispatch[1], p.dispatch[2]);
      pass.end();
      passes++;
      this.stats.dispatches++;
    });
    const profiled = this.#profile && this.#querySet !== null && passes > 0;
    if (profiled) encoder.resolveQuerySet(this.#querySet as GPUQuerySet, 0, 2, this.#queryResolve as GPUBuffer, 0);
    if (profiled) encoder.copyBufferToBuffer(this.#queryResolve as GPUBuffer, 0, this.#queryRead as GPUBuffer, 0, 16);
    this.device.queue.submit([encoder.finish()]);
    this.#uniformFree.push(...uniforms);
    if (profiled) {
      const read = this.#queryRead as GPUBuffer;
      await read.mapAsync(GPUMapMode.READ);
      const t = new BigUint64Array(read.getMappedRange().slice(0));
      read.unmap();
      this.stats.gpuNs += Number(t[1] - t[0]);
      this.stats.profiled++;
    }
  }

  destroy(): void {
    for (const b of this.#uniformFree) b.destroy();
    this.#querySet?.destroy();
    this.#queryResolve?.destroy();
    this.#queryRead?.destroy();
  }
}

/** ceil(a / b) for dispatch sizes. */
export function cdiv(a: number, b: number): number {
  return Math.ceil(a / b);
}
