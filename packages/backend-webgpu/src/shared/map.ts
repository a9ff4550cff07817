import { f32, u32, type Program } from '../program.ts';
import type { KernelContext } from '../kernel-context.ts';
import type { WebGpuTensor } from '../tensor.ts';
import { elem, enable, type Elem } from './dtype.ts';
import { entry1d, grid1d } from './grid.ts';
import { WGSL_MATH } from './wgsl-math.ts';

/**
 * One invocation per element: out[i] = expr over x = in0[i], y = in1[i], the scalar p.a and, when
 * `readsOut`, o = out[i] (for in-place updates such as y ← αx + y). unary, binary, axpy and scal.
 */
export function mapProgram(
  t: Elem,
  name: string,
  expr: string,
  inputs: readonly GPUBuffer[],
  out: GPUBuffer,
  n: number,
  a = 0,
  readsOut = false,
): Program {
  const decls = inputs.map((_, i) => `@group(0) @binding(${i}) var<storage, read> in${i}: array<${t}>;`).join('\n');
  const o = inputs.length;
  const loads =
    ['x', 'y']
      .slice(0, inputs.length)
      .map((v, i) => `let ${v} = f32(in${i}[i]);`)
      .join(' ') + (readsOut ? ' let o = f32(out[i]);' : '');
  return {
    name,
    key: `map-${name}-${t}`,
    code: (uniforms) => `${enable(t)}${WGSL_MATH}
${decls}
@group(0) @binding(${o}) var<storage, read_write> out: array<${t}>;
${uniforms}
${entry1d('i', 'p.n')}
  ${loads}
  out[i] = ${t}(${expr});
}`,
    dispatch: grid1d(n),
    buffers: [...inputs, out],
    uniforms: [u32('n', n), f32('a', a)],
  };
}

/** x ← a·x in place; a = 0 writes zeros without reading x (BLAS β = 0 semantics). */
export function scaleBuffer(ctx: KernelContext, x: WebGpuTensor, a: number, n: number): Promise<void> {
  const t = elem(x.dtype);
  return ctx.run([
    a === 0
      ? mapProgram(t, 'zero', '0.0', [], x.buffer, n)
      : mapProgram(t, 'scale', 'p.a * o', [], x.buffer, n, a, true),
  ]);
}
