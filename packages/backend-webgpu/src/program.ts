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
  /** Command buffers submitted: each costs a driver round trip, whatever it holds. */
  submits: number;
  gpuNs: number;
  profiled: number;
}

/**
 * Passes encoded before the runner submits them (tfjs-backend-webgpu batches the same way): one submit
 * a pass cost 0.48 ms under Dawn and 0.52 ms under Deno's wgpu on lavapipe, against 0.03 and 0.2 ms a
 * pass with ten a submit. A read-back, `sync`, a host write to a buffer in use, or this many passes
 * submit what is pending.
 */
export const PASSES_PER_SUBMIT = 32;

export class ProgramRunner {
  readonly #pipelines = new Map<string, GPUComputePipeline | Error>();
  readonly #uniformFree: GPUBuffer[] = [];
  readonly #querySet: GPUQuerySet | null;
  readonly #queryResolve: GPUBuffer | null;
  readonly #queryRead: GPUBuffer | null;
  #error: Error | null = null;
  #profile: boolean = false;
  /** Work encoded but not yet submitted, the uniform buffers it binds, and what waits for its submit. */
  #pending: GPUCommandEncoder | null = null;
  #pendingPasses = 0;
  readonly #pendingUniforms: GPUBuffer[] = [];
  readonly #afterSubmit: Array<() => void> = [];
  readonly stats: DispatchStats = { dispatches: 0, submits: 0, gpuNs: 0, profiled: 0 };

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

  /** The encoder of the work not yet submitted: a copy or clear encoded here runs in order with the passes. */
  encoder(): GPUCommandEncoder {
    this.#pending ??= this.device.createCommandEncoder();
    return this.#pending;
  }

  /**
   * Runs `release` once the work encoded so far is submitted (at once when none is pending). A buffer
   * that pending passes bind goes back to a pool this way: a host write (`queue.writeBuffer`) to it
   * before the submit would reach the queue ahead of those passes.
   */
  afterSubmit(release: () => void): void {
    if (this.#pending === null) release();
    else this.#afterSubmit.push(release);
  }

  /** Submits the pending work; queue writes after this are ordered after it. */
  flush(): void {
    const encoder = this.#pending;
    if (encoder === null) return;
    this.#pending = null;
    this.#pendingPasses = 0;
    this.device.queue.submit([encoder.finish()]);
    this.stats.submits++;
    this.#uniformFree.push(...this.#pendingUniforms.splice(0));
    for (const release of this.#afterSubmit.splice(0)) release();
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
    // Free buffers are bound by no pending pass (they return at the submit), so this write cannot
    // overtake a pass that reads the old values.
    this.device.queue.writeBuffer(buf, 0, words);
    return buf;
  }

  /**
   * Encodes the programs as passes after the pending work; submits when PASSES_PER_SUBMIT have
   * gathered. While profiling, the programs are one submit of their own, timed from the first pass's
   * start to the last one's end (and waited for).
   */
  async run(programs: readonly Program[]): Promise<void> {
    this.check();
    const pipes: Array<GPUComputePipeline | null> = [];
    for (const p of programs) pipes.push(p.dispatch.some((d) => d === 0) ? null : await this.#pipeline(p));
    const profiled = this.#profile && this.#querySet !== null && pipes.some((p) => p !== null);
    if (profiled) this.flush();
    const encoder = this.encoder();
    programs.forEach((p, i) => {
      const pipe = pipes[i];
      if (pipe === null) return;
      const entries: GPUBindGroupEntry[] = p.buffers.map((buffer, b) => ({ binding: b, resource: { buffer } }));
      if (p.uniforms.length > 0) {
        const ubuf = this.#uniformBuffer(p);
        this.#pendingUniforms.push(ubuf);
        entries.push({ binding: p.buffers.length, resource: { buffer: ubuf } });
      }
      const bind = this.device.createBindGroup({ layout: pipe.getBindGroupLayout(0), entries });
      // The first pass writes the start, the last the end; a pass between writes none (WebGPU refuses
      // timestampWrites naming neither index).
      const first = i === 0,
        last = i === programs.length - 1;
      const timestampWrites =
        profiled && (first || last)
          ? {
              querySet: this.#querySet as GPUQuerySet,
              ...(first ? { beginningOfPassWriteIndex: 0 } : {}),
              ...(last ? { endOfPassWriteIndex: 1 } : {}),
            }
          : undefined;
      const pass = encoder.beginComputePass(timestampWrites === undefined ? {} : { timestampWrites });
      pass.setPipeline(pipe);
      pass.setBindGroup(0, bind);
      pass.dispatchWorkgroups(p.dispatch[0], p.dispatch[1], p.dispatch[2]);
      pass.end();
      this.#pendingPasses++;
      this.stats.dispatches++;
    });
    if (profiled) await this.#timed(encoder);
    else if (this.#pendingPasses >= PASSES_PER_SUBMIT) this.flush();
  }

  /** Submits the encoder's timestamped passes and adds their GPU time to the stats. */
  async #timed(encoder: GPUCommandEncoder): Promise<void> {
    const read = this.#queryRead as GPUBuffer;
    encoder.resolveQuerySet(this.#querySet as GPUQuerySet, 0, 2, this.#queryResolve as GPUBuffer, 0);
    encoder.copyBufferToBuffer(this.#queryResolve as GPUBuffer, 0, read, 0, 16);
    this.flush();
    await read.mapAsync(GPUMapMode.READ);
    const t = new BigUint64Array(read.getMappedRange().slice(0));
    read.unmap();
    this.stats.gpuNs += Number(t[1] - t[0]);
    this.stats.profiled++;
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
