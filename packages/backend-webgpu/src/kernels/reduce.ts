import type { DotParams, GemvParams, Nrm2Params, ReduceOp, ReduceParams, TransposeParams } from '@lowrank/core';
import { cdiv, type Program } from '../program.ts';
import type { WebGpuTensor } from '../tensor.ts';
import type { KernelContext } from './context.ts';
import { grid1d } from './gemm.ts';
import { WGSL_MATH } from './wgsl-math.ts';
import { elem, enable, type Elem } from './dtype.ts';

/** NaN-propagating max that does not rely on WGSL's max (whose NaN behaviour is unspecified). */
const COMBINE = {
  sum: 'a + b',
  max: 'select(max(a, b), a + b, isNan32(a) || isNan32(b))',
  min: 'select(min(a, b), a + b, isNan32(a) || isNan32(b))',
} as const;
type Combine = keyof typeof COMBINE;
const IDENTITY: Record<Combine, string> = { sum: '0.0', max: '-inf32()', min: 'inf32()' };

/**
 * Whole-vector reduction in two passes: `groups` workgroups of 256 invocations each fold a strided
 * share of `term(i)` and tree-reduce it in workgroup memory to one partial; then one workgroup folds
 * the partials. The tree keeps the summation error at γ_{n/(256·groups) + 16} rather than γ_n.
 */
function scalarReduction(t: Elem, name: string, term: string, combine: Combine, init: string, inputs: readonly GPUBuffer[], n: number, scale: number, partial: GPUBuffer, result: GPUBuffer): Program[] {
  const groups = Math.min(256, Math.max(1, cdiv(n, 256)));
  const decls = inputs.map((_, i) => `@group(0) @binding(${i}) var<storage, read> in${i}: array<${t}>;`).join('\n');
  const body = (source: string) => `${WGSL_MATH}
struct Params { n: u32, stride: u32, scale: f32 }
var<workgroup> partialSums: array<f32, 256>;
fn combine(a: f32, b: f32) -> f32 { return ${COMBINE[combine]}; }
@compute @workgroup_size(256)
fn main(@builtin(workgroup_id) wg: vec3u, @builtin(local_invocation_index) li: u32) {
  var acc = ${init};
  for (var i = wg.x * 256u + li; i < p.n; i += p.stride) { acc = combine(acc, ${source}); }
  partialSums[li] = acc;
  workgroupBarrier();
  for (var s = 128u; s > 0u; s = s >> 1u) {
    if (li < s) { partialSums[li] = combine(partialSums[li], partialSums[li + s]); }
    workgroupBarrier();
  }
  if (li == 0u) { out[wg.x] = partialSums[0]; }
}`;
  const o = inputs.length;
  return [{
    name: `${name}-partials`, key: `reduce-${name}-${t}`,
    code: () => `${enable(t)}${decls}\n@group(0) @binding(${o}) var<storage, read_write> out: array<f32>;\n@group(0) @binding(${o + 1}) var<uniform> p: Params;\n${body(term)}`,
    dispatch: [groups, 1, 1], buffers: [...inputs, partial],
    uniforms: [{ type: 'u32', value: n }, { type: 'u32', value: groups * 256 }, { type: 'f32', value: scale }],
  }, {
    name: `${name}-final`, key: `reduce-final-${combine}-${init}`,
    code: () => `@group(0) @binding(0) var<storage, read> in0: array<f32>;\n@group(0) @binding(1) var<storage, read_write> out: array<f32>;\n@group(0) @binding(2) var<uniform> p: Params;\n${body('in0[i]')}`,
    dispatch: [1, 1, 1], buffers: [partial, result],
    uniforms: [{ type: 'u32', value: groups }, { type: 'u32', value: 256 }, { type: 'f32', value: 1 }],
  }];
}

async function reduceToScalar(ctx: KernelContext, t: Elem, name: string, term: string, combine: Combine, inputs: GPUBuffer[], n: number, scale = 1): Promise<number> {
  const init = name === 'absmax' ? '0.0' : IDENTITY[combine];
  // Two buffers: one pass may not bind the same buffer for reading and writing.
  const partial = ctx.scratch(256 * 4, 0);
  const result = ctx.scratch(16, 1);
  await ctx.run(scalarReduction(t, name, term, combine, init, inputs, n, scale, partial, result));
  return (await ctx.readScalars(result, 1))[0];
}

export function dot(ctx: KernelContext, p: DotParams<WebGpuTensor>): Promise<number> {
  return reduceToScalar(ctx, elem(p.x.dtype), 'dot', 'f32(in0[i]) * f32(in1[i])', 'sum', [p.x.buffer, p.y.buffer], p.n);
}

/**
 * ‖x‖₂ in f32 without overflow: m = max|x_i| first, then Σ(x_i·2^-e)² with 2^e ≥ m a power of two
 * (exact scaling), result 2^e·√sum computed on the host in f64.
 */
export async function nrm2(ctx: KernelContext, p: Nrm2Params<WebGpuTensor>): Promise<number> {
  const t = elem(p.x.dtype);
  const m = await reduceToScalar(ctx, t, 'absmax', 'abs(f32(in0[i]))', 'max', [p.x.buffer], p.n);
  if (m === 0 || !Number.isFinite(m)) return m;
  const e = Math.ceil(Math.log2(m)) + (2 ** Math.ceil(Math.log2(m)) === m ? 1 : 0);
  const s = await reduceToScalar(ctx, t, 'sumsq-scaled', '(f32(in0[i]) * p.scale) * (f32(in0[i]) * p.scale)', 'sum', [p.x.buffer], p.n, 2 ** -e);
  return Math.sqrt(s) * 2 ** e;
}

const REDUCE_TERM: Readonly<Record<ReduceOp, { term: string; combine: Combine; init: string }>> = {
  sum: { term: 'v', combine: 'sum', init: '0.0' },
  sumsq: { term: 'v * v', combine: 'sum', init: '0.0' },
  max: { term: 'v', combine: 'max', init: IDENTITY.max },
  min: { term: 'v', combine: 'min', init: IDENTITY.min },
  absmax: { term: 'abs(v)', combine: 'max', init: '0.0' }, // |x| ≥ 0: an empty line's absmax is 0, as on the CPU
};

/**
 * Row reductions: one workgroup of 64 invocations per row, strided over the row, tree-reduced.
 * Column reductions: one invocation per column walking down the rows (reads are contiguous across
 * invocations).
 */
export function reduce(ctx: KernelContext, p: ReduceParams<WebGpuTensor>): Promise<void> {
  const { term, combine, init } = REDUCE_TERM[p.op];
  const t = elem(p.x.dtype);
  const head = `${enable(t)}${WGSL_MATH}
@group(0) @binding(0) var<storage, read> X: array<${t}>;
@group(0) @binding(1) var<storage, read_write> out: array<${t}>;
struct Params { rows: u32, cols: u32 }
@group(0) @binding(2) var<uniform> p: Params;
fn combine(a: f32, b: f32) -> f32 { return ${COMBINE[combine]}; }`;
  const uniforms = [{ type: 'u32', value: p.rows }, { type: 'u32', value: p.cols }] as const;
  if (p.axis === 'rows') {
    return ctx.run([{
      name: `reduce-rows-${p.op}`, key: `reduce-rows-${p.op}-${t}`, dispatch: [Math.min(p.rows, 65535), cdiv(p.rows, 65535), 1],
      buffers: [p.x.buffer, p.out.buffer], uniforms,
      code: () => `${head}
var<workgroup> partialSums: array<f32, 64>;
@compute @workgroup_size(64)
fn main(@builtin(workgroup_id) wg: vec3u, @builtin(local_invocation_index) li: u32) {
  let row = wg.x + wg.y * 65535u;
  var acc = ${init};
  if (row < p.rows) {
    for (var j = li; j < p.cols; j += 64u) { let v = f32(X[row * p.cols + j]); acc = combine(acc, ${term}); }
  }
  partialSums[li] = acc;
  workgroupBarrier();
  for (var s = 32u; s > 0u; s = s >> 1u) {
    if (li < s) { partialSums[li] = combine(partialSums[li], partialSums[li + s]); }
    workgroupBarrier();
  }
  if (li == 0u && row < p.rows) { out[row] = ${t}(partialSums[0]); }
}`,
    }]);
  }
  return ctx.run([{
    name: `reduce-cols-${p.op}`, key: `reduce-cols-${p.op}-${t}`, dispatch: grid1d(p.cols),
    buffers: [p.x.buffer, p.out.buffer], uniforms,
    code: () => `${head}
@compute @workgroup_size(256)
fn main(@builtin(global_invocation_id) g: vec3u, @builtin(num_workgroups) nw: vec3u) {
  let col = g.x + g.y * nw.x * 256u;
  if (col >= p.cols) { return; }
  var acc = ${init};
  for (var i = 0u; i < p.rows; i++) { let v = f32(X[i * p.cols + col]); acc = combine(acc, ${term}); }
  out[col] = ${t}(acc);
}`,
  }]);
}

/**
 * GEMV. No transpose: one workgroup of 64 per row of A, strided dot product, tree reduction.
 * Transpose: one invocation per column of A (= element of y), reading rows in turn.
 */
export function gemv(ctx: KernelContext, p: GemvParams<WebGpuTensor>): Promise<void> {
  const rows = p.trans ? p.n : p.m;
  const t = elem(p.a.dtype);
  const head = `${enable(t)}
@group(0) @binding(0) var<storage, read> A: array<${t}>;
@group(0) @binding(1) var<storage, read> x: array<${t}>;
@group(0) @binding(2) var<storage, read_write> y: array<${t}>;
struct Params { m: u32, n: u32, alpha: f32, beta: f32 }
@group(0) @binding(3) var<uniform> p: Params;
fn finish(i: u32, s: f32) {
  var v = p.alpha * s;
  if (p.beta != 0.0) { v = v + p.beta * f32(y[i]); }
  y[i] = ${t}(v);
}`;
  const uniforms = [{ type: 'u32', value: p.m }, { type: 'u32', value: p.n }, { type: 'f32', value: p.alpha }, { type: 'f32', value: p.beta }] as const;
  const buffers = [p.a.buffer, p.x.buffer, p.y.buffer];
  if (!p.trans) {
    return ctx.run([{
      name: 'gemv-n', key: `gemv-n-${t}`, dispatch: [Math.min(rows, 65535), cdiv(rows, 65535), 1], buffers, uniforms,
      code: () => `${head}
var<workgroup> partialSums: array<f32, 64>;
@compute @workgroup_size(64)
fn main(@builtin(workgroup_id) wg: vec3u, @builtin(local_invocation_index) li: u32) {
  let row = wg.x + wg.y * 65535u;
  var acc = 0.0;
  if (row < p.m) { for (var j = li; j < p.n; j += 64u) { acc = acc + f32(A[row * p.n + j]) * f32(x[j]); } }
  partialSums[li] = acc;
  workgroupBarrier();
  for (var s = 32u; s > 0u; s = s >> 1u) {
    if (li < s) { partialSums[li] = partialSums[li] + partialSums[li + s]; }
    workgroupBarrier();
  }
  if (li == 0u && row < p.m) { finish(row, partialSums[0]); }
}`,
    }]);
  }
  return ctx.run([{
    name: 'gemv-t', key: `gemv-t-${t}`, dispatch: grid1d(rows), buffers, uniforms,
    code: () => `${head}
@compute @workgroup_size(256)
fn main(@builtin(global_invocation_id) g: vec3u, @builtin(num_workgroups) nw: vec3u) {
  let j = g.x + g.y * nw.x * 256u;
  if (j >= p.n) { return; }
  var acc = 0.0;
  for (var i = 0u; i < p.m; i++) { acc = acc + f32(A[i * p.n + j]) * f32(x[i]); }
  finish(j, acc);
}`,
  }]);
}

/** 16×16 tiles through workgroup memory so both the reads and the writes are contiguous. */
export function transpose(ctx: KernelContext, p: TransposeParams<WebGpuTensor>): Promise<void> {
  const t = elem(p.x.dtype);
  return ctx.run([{
    name: 'transpose', key: `transpose-${t}`, dispatch: [cdiv(p.cols, 16), cdiv(p.rows, 16), 1],
    buffers: [p.x.buffer, p.out.buffer], uniforms: [{ type: 'u32', value: p.rows }, { type: 'u32', value: p.cols }],
    code: () => `${enable(t)}
@group(0) @binding(0) var<storage, read> X: array<${t}>;
@group(0) @binding(1) var<storage, read_write> out: array<${t}>;
struct Params { rows: u32, cols: u32 }
@group(0) @binding(2) var<uniform> p: Params;
var<workgroup> tile: array<array<${t}, 17>, 16>;
@compute @workgroup_size(16, 16)
fn main(@builtin(workgroup_id) wg: vec3u, @builtin(local_invocation_id) l: vec3u) {
  let r = wg.y * 16u + l.y; let c = wg.x * 16u + l.x;
  if (r < p.rows && c < p.cols) { tile[l.y][l.x] = X[r * p.cols + c]; }
  workgroupBarrier();
  let orow = wg.x * 16u + l.y; let ocol = wg.y * 16u + l.x;
  if (orow < p.cols && ocol < p.rows) { out[orow * p.rows + ocol] = tile[l.x][l.y]; }
}`,
  }]);
}
