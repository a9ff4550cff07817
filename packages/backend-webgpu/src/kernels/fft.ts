import type { FftParams } from '@lowrank/core';
import { f32, u32 } from '../program.ts';
import type { KernelContext } from '../kernel-context.ts';
import type { WebGpuTensor } from '../tensor.ts';
import { entry1d, grid1d } from '../shared/grid.ts';
import { FFT_WGSL, stages, twiddleBuffer } from '../shared/fft.ts';

/** Rows copied bit-reversed into out (im negated for the inverse), the stages, then conj/n for the inverse. */
const loadCode = (uniforms: string) => /* wgsl */ `${FFT_WGSL}
@group(0) @binding(0) var<storage, read> reIn: array<f32>;
@group(0) @binding(1) var<storage, read> imIn: array<f32>;
@group(0) @binding(2) var<storage, read_write> re: array<f32>;
@group(0) @binding(3) var<storage, read_write> im: array<f32>;
${uniforms}
${entry1d('e', 'p.total')}
  let d = (e / p.n) * p.n + rev(e % p.n, p.bits);
  re[d] = reIn[e];
  im[d] = p.sign * imIn[e];
}`;

const finishCode = (uniforms: string) => /* wgsl */ `
@group(0) @binding(0) var<storage, read_write> re: array<f32>;
@group(0) @binding(1) var<storage, read_write> im: array<f32>;
${uniforms}
${entry1d('e', 'p.total')}
  re[e] = re[e] * p.scale;
  im[e] = -im[e] * p.scale;
}`;

export function fft(ctx: KernelContext, p: FftParams<WebGpuTensor>): Promise<void> {
  const { batch, n, inverse } = p;
  const total = batch * n;
  const re = p.outRe.buffer,
    im = p.outIm.buffer;
  return ctx.run([
    {
      name: 'fft-load',
      key: 'fft-load',
      code: loadCode,
      dispatch: grid1d(total),
      buffers: [p.re.buffer, p.im.buffer, re, im],
      uniforms: [u32('n', n), u32('bits', Math.log2(n)), u32('total', total), f32('sign', inverse ? -1 : 1)],
    },
    ...stages(re, im, twiddleBuffer(ctx, n), batch, n),
    ...(inverse
      ? [
          {
            name: 'fft-finish',
            key: 'fft-finish',
            code: finishCode,
            dispatch: grid1d(total),
            buffers: [re, im],
            uniforms: [u32('total', total), f32('scale', 1 / n)],
          },
        ]
      : []),
  ]);
}
