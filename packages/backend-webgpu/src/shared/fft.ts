/**
 * What the fft and dct kernels share: the twiddle table (host f64, rounded once to f32: every twiddle
 * within an ulp, so the error is the butterflies', ≲ log₂n·ε·‖y‖, Higham Thm 24.2) and the radix-2
 * stages, one dispatch each, one invocation per butterfly, in place on split re/im rows stored in
 * bit-reversed order. Each stage is a separate dispatch so WebGPU orders its reads after the previous
 * stage's writes. Rejected for now: stages fused in workgroup memory (fewer passes for n ≤ 4096).
 */
import { u32, type Program } from '../program.ts';
import type { KernelContext } from '../kernel-context.ts';
import { entry1d, grid1d } from './grid.ts';

/** Scratch slots: the table, then the two work rows of the dct. */
export const TABLE_SLOT = 3,
  WORK_RE_SLOT = 4,
  WORK_IM_SLOT = 5;

const tables = new Map<number, Uint32Array<ArrayBuffer>>();

/**
 * [cos, sin of −πj/h at [h, 2h) for every stage h; cos, sin of πk/2n (k < n)] for length n, as f32
 * bits; cached per n (a few n per run).
 */
function table(n: number): Uint32Array<ArrayBuffer> {
  let bits = tables.get(n);
  if (bits === undefined) {
    const t = new Float32Array(4 * n);
    for (let h = 1; h < n; h <<= 1) {
      for (let j = 0; j < h; j++) {
        t[h + j] = Math.cos((-Math.PI * j) / h);
        t[n + h + j] = Math.sin((-Math.PI * j) / h);
      }
    }
    for (let k = 0; k < n; k++) {
      t[2 * n + k] = Math.cos((Math.PI * k) / (2 * n));
      t[3 * n + k] = Math.sin((Math.PI * k) / (2 * n));
    }
    bits = new Uint32Array(t.buffer);
    tables.set(n, bits);
  }
  return bits;
}

export function twiddleBuffer(ctx: KernelContext, n: number): GPUBuffer {
  return ctx.writeScratch(table(n), TABLE_SLOT);
}

/** WGSL: bit reversal within log₂n bits, and the position in x of Makhoul's j-th sample. */
export const FFT_WGSL = /* wgsl */ `
fn rev(j: u32, bits: u32) -> u32 { if (bits == 0u) { return 0u; } return reverseBits(j) >> (32u - bits); }
fn source(j: u32, n: u32) -> u32 { if (2u * j < n) { return 2u * j; } return 2u * (n - 1u - j) + 1u; }`;

const stageCode = (uniforms: string) => /* wgsl */ `
@group(0) @binding(0) var<storage, read_write> re: array<f32>;
@group(0) @binding(1) var<storage, read_write> im: array<f32>;
@group(0) @binding(2) var<storage, read> tw: array<f32>;
${uniforms}
${entry1d('t', 'p.count')}
  let half = p.n / 2u;
  let i = t % half;
  let j = i % p.h;
  let p0 = (t / half) * p.n + (i / p.h) * 2u * p.h + j;
  let q0 = p0 + p.h;
  let wr = tw[p.h + j];
  let wi = tw[p.n + p.h + j];
  let qr = re[q0]; let qi = im[q0]; let pr = re[p0]; let pi = im[p0];
  let tr = qr * wr - qi * wi;
  let ti = qr * wi + qi * wr;
  re[q0] = pr - tr; im[q0] = pi - ti;
  re[p0] = pr + tr; im[p0] = pi + ti;
}`;

/** The log₂n butterfly stages over `batch` rows of re/im (bit-reversed input, natural-order output). */
export function stages(re: GPUBuffer, im: GPUBuffer, tw: GPUBuffer, batch: number, n: number): Program[] {
  const programs: Program[] = [];
  const count = (batch * n) / 2;
  for (let h = 1; h < n; h <<= 1) {
    programs.push({
      name: 'fft-stage',
      key: 'fft-stage',
      code: stageCode,
      dispatch: grid1d(count),
      buffers: [re, im, tw],
      uniforms: [u32('n', n), u32('h', h), u32('count', count)],
    });
  }
  return programs;
}
