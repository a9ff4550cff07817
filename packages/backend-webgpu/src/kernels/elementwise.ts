import type { AxpyParams, BinaryOp, BinaryParams, ScalParams, UnaryOp, UnaryParams } from '@lowrank/core';
import type { Program } from '../program.ts';
import type { WebGpuTensor } from '../tensor.ts';
import type { KernelContext } from './context.ts';
import { grid1d } from './gemm.ts';
import { WGSL_MATH } from './wgsl-math.ts';
import { elem, enable, type Elem } from './dtype.ts';

/** The WGSL expression of each op on `x` (and `y`). NaN-propagating max/min are spelled out with bit tests. */
const UNARY_WGSL: Readonly<Record<UnaryOp, string>> = {
  neg: '-x',
  abs: 'abs(x)',
  square: 'x * x',
  sqrt: 'sqrt(x)',
  exp: 'expAccurate(x)',
  log: 'logAccurate(x)',
  tanh: 'tanhAccurate(x)',
  relu: 'select(x, 0.0, x < 0.0)',
  reciprocal: '1.0 / x',
};

const BINARY_WGSL: Readonly<Record<BinaryOp, string>> = {
  add: 'x + y',
  sub: 'x - y',
  mul: 'x * y',
  div: 'x / y',
  max: 'select(max(x, y), x + y, isNan32(x) || isNan32(y))',
  min: 'select(min(x, y), x + y, isNan32(x) || isNan32(y))',
};

/**
 * One invocation per element: out[i] = expr over x = in0[i], y = in1[i], the scalars p.a, p.b and,
 * when `readsOut`, o = out[i] (for in-place updates such as y ← αx + y).
 */
function mapProgram(t: Elem, name: string, expr: string, inputs: readonly GPUBuffer[], out: GPUBuffer, n: number, a = 0, readsOut = false): Program {
  const decls = inputs.map((_, i) => `@group(0) @binding(${i}) var<storage, read> in${i}: array<${t}>;`).join('\n');
  const o = inputs.length;
  const loads = ['x', 'y'].slice(0, inputs.length).map((v, i) => `let ${v} = f32(in${i}[i]);`).join(' ') + (readsOut ? ' let o = f32(out[i]);' : '');
  return {
    name, key: `map-${name}-${t}`,
    code: () => `${enable(t)}${WGSL_MATH}
${decls}
@group(0) @binding(${o}) var<storage, read_write> out: array<${t}>;
struct Params { n: u32, a: f32 }
@group(0) @binding(${o + 1}) var<uniform> p: Params;
@compute @workgroup_size(256)
fn main(@builtin(global_invocation_id) g: vec3u, @builtin(num_workgroups) nw: vec3u) {
  let i = g.x + g.y * nw.x * 256u;
  if (i >= p.n) { return; }
  ${loads}
  out[i] = ${t}(${expr});
}`,
    dispatch: grid1d(n), buffers: [...inputs, out],
    uniforms: [{ type: 'u32', value: n }, { type: 'f32', value: a }],
  };
}

export function unary(ctx: KernelContext, p: UnaryParams<WebGpuTensor>): Promise<void> {
  return ctx.run([mapProgram(elem(p.x.dtype), `unary-${p.op}`, UNARY_WGSL[p.op], [p.x.buffer], p.out.buffer, p.n)]);
}

export function binary(ctx: KernelContext, p: BinaryParams<WebGpuTensor>): Promise<void> {
  return ctx.run([mapProgram(elem(p.x.dtype), `binary-${p.op}`, BINARY_WGSL[p.op], [p.x.buffer, p.y.buffer], p.out.buffer, p.n)]);
}

/** y ← α·x + y in place. */
export function axpy(ctx: KernelContext, p: AxpyParams<WebGpuTensor>): Promise<void> {
  return ctx.run([mapProgram(elem(p.x.dtype), 'axpy', 'p.a * x + o', [p.x.buffer], p.y.buffer, p.n, p.alpha, true)]);
}

export function scal(ctx: KernelContext, p: ScalParams<WebGpuTensor>): Promise<void> {
  return scaleBuffer(ctx, p.x, p.alpha, p.n);
}

/** x ← a·x in place; a = 0 writes zeros without reading x (BLAS β = 0 semantics). */
export function scaleBuffer(ctx: KernelContext, x: WebGpuTensor, a: number, n: number): Promise<void> {
  const t = elem(x.dtype);
  return ctx.run([a === 0 ? mapProgram(t, 'zero', '0.0', [], x.buffer, n) : mapProgram(t, 'scale', 'p.a * o', [], x.buffer, n, a, true)]);
}
