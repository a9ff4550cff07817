import type { DctParams } from '@lowrank/core';
import { f32, u32, type Program } from '../program.ts';
import type { KernelContext } from '../kernel-context.ts';
import type { WebGpuTensor } from '../tensor.ts';
import { entry1d, grid1d } from '../shared/grid.ts';
import { FFT_WGSL, WORK_IM_SLOT, WORK_RE_SLOT, stages, twiddleBuffer } from '../shared/fft.ts';

/**
 * Makhoul's DCT (core/primitives/dct.ts) in three passes around the shared FFT stages, in two work
 * buffers. Forward: v bit-reversed into work, FFT, out_k = c_k(cos·Re V_k + sin·Im V_k). Inverse:
 * conj V_k = conj(e^{iπk/2n}(X_k − i·X_{n−k})) with X = x/c bit-reversed into work, FFT, x = Re/n
 * unpermuted. The quarter-wave factors are the table's tail (at 2n and 3n).
 */
/** The WGSL declarations of a pass's buffers, in binding order (each pass binds only what it reads). */
function declare(names: readonly string[]): string {
  const access: Record<string, string> = {
    x: 'read',
    tw: 'read',
    re: 'read_write',
    im: 'read_write',
    out: 'read_write',
  };
  return names.map((b, i) => `@group(0) @binding(${i}) var<storage, ${access[b]}> ${b}: array<f32>;`).join('\n');
}

interface Pass {
  name: string;
  reads: readonly string[];
  body: string;
}

const PRE_FORWARD: Pass = {
  name: 'dct-pre-forward',
  reads: ['x', 're', 'im'],
  body: `let row = (e / p.n) * p.n;
  let j = e % p.n;
  re[row + rev(j, p.bits)] = x[row + source(j, p.n)];
  im[row + rev(j, p.bits)] = 0.0;`,
};

const POST_FORWARD: Pass = {
  name: 'dct-post-forward',
  reads: ['re', 'im', 'tw', 'out'],
  body: `let k = e % p.n;
  out[e] = select(p.ck, p.c0, k == 0u) * (tw[2u * p.n + k] * re[e] + tw[3u * p.n + k] * im[e]);`,
};

const PRE_INVERSE: Pass = {
  name: 'dct-pre-inverse',
  reads: ['x', 're', 'im', 'tw'],
  body: `let row = (e / p.n) * p.n;
  let k = e % p.n;
  let a = x[e] * select(p.ck, p.c0, k == 0u);
  let b = select(x[row + (p.n - k) % p.n] * p.ck, 0.0, k == 0u);
  let c = tw[2u * p.n + k];
  let s = tw[3u * p.n + k];
  re[row + rev(k, p.bits)] = c * a + s * b;
  im[row + rev(k, p.bits)] = c * b - s * a;`,
};

const POST_INVERSE: Pass = {
  name: 'dct-post-inverse',
  reads: ['re', 'out'],
  body: `let row = (e / p.n) * p.n;
  out[row + source(e % p.n, p.n)] = re[e] * p.c0;`,
};

/** DCT-I: the even extension (length m = 2(n − 1), ends times c0 = √2) bit-reversed into work. */
const PRE_ONE: Pass = {
  name: 'dct-pre-one',
  reads: ['x', 're', 'im'],
  body: `let row = e / p.m;
  let j = e % p.m;
  let src = select(p.m - j, j, j < p.n);
  let v = x[row * p.n + src] * select(1.0, p.c0, src == 0u || src == p.n - 1u);
  re[row * p.m + rev(j, p.bits)] = v;
  im[row * p.m + rev(j, p.bits)] = 0.0;`,
};

/** DCT-I: out_k = Re V_k·f (ck = √(1/m)), the ends times c0 = 1/√2. */
const POST_ONE: Pass = {
  name: 'dct-post-one',
  reads: ['re', 'out'],
  body: `let k = e % p.n;
  out[e] = re[(e / p.n) * p.m + k] * p.ck * select(1.0, p.c0, k == 0u || k == p.n - 1u);`,
};

export function dct(ctx: KernelContext, p: DctParams<WebGpuTensor>): Promise<void> {
  if (p.kind === 'i') return dctOne(ctx, p);
  const { batch, n } = p;
  const inverse = p.kind === 'iii';
  const total = batch * n;
  const re = ctx.scratch(4 * total, WORK_RE_SLOT),
    im = ctx.scratch(4 * total, WORK_IM_SLOT);
  const tw = twiddleBuffer(ctx, n);
  const buffer: Record<string, GPUBuffer> = { x: p.x.buffer, re, im, tw, out: p.out.buffer };
  // Forward: the output scales c_0 = √(1/n), c_k = √(2/n); inverse: X = x/c (√n, √(n/2)), then 1/n.
  const scales = inverse ? [Math.sqrt(n), Math.sqrt(n / 2)] : [Math.sqrt(1 / n), Math.sqrt(2 / n)];
  const pass = (spec: Pass, c0: number, ck: number) => program(spec, buffer, { n, m: n, total, c0, ck });
  return ctx.run(
    inverse
      ? [pass(PRE_INVERSE, scales[0], scales[1]), ...stages(re, im, tw, batch, n), pass(POST_INVERSE, 1 / n, 0)]
      : [pass(PRE_FORWARD, 0, 0), ...stages(re, im, tw, batch, n), pass(POST_FORWARD, scales[0], scales[1])],
  );
}

/** One pass over `total` elements; m is the FFT length (n except for the DCT-I). */
function program(
  { name, reads, body }: Pass,
  buffer: Record<string, GPUBuffer>,
  u: { n: number; m: number; total: number; c0: number; ck: number },
): Program {
  return {
    name,
    key: name,
    code: (uniforms) => `${FFT_WGSL}\n${declare(reads)}\n${uniforms}\n${entry1d('e', 'p.total')}\n  ${body}\n}`,
    dispatch: grid1d(u.total),
    buffers: reads.map((b) => buffer[b]),
    uniforms: [
      u32('n', u.n),
      u32('m', u.m),
      u32('bits', Math.log2(u.m)),
      u32('total', u.total),
      f32('c0', u.c0),
      f32('ck', u.ck),
    ],
  };
}

/** The DCT-I through the FFT of each row's even extension (length m = 2(n − 1)) in the work buffers. */
function dctOne(ctx: KernelContext, p: DctParams<WebGpuTensor>): Promise<void> {
  const { batch, n } = p;
  const m = 2 * (n - 1);
  const re = ctx.scratch(4 * batch * m, WORK_RE_SLOT),
    im = ctx.scratch(4 * batch * m, WORK_IM_SLOT);
  const tw = twiddleBuffer(ctx, m);
  const buffer: Record<string, GPUBuffer> = { x: p.x.buffer, re, im, tw, out: p.out.buffer };
  return ctx.run([
    program(PRE_ONE, buffer, { n, m, total: batch * m, c0: Math.SQRT2, ck: 0 }),
    ...stages(re, im, tw, batch, m),
    program(POST_ONE, buffer, { n, m, total: batch * n, c0: Math.SQRT1_2, ck: Math.sqrt(1 / m) }),
  ]);
}
