import type { SddmmParams, SpmmParams } from '@lowrank/core';
import type { WebGpuTensor } from '../tensor.ts';
import type { KernelContext } from './context.ts';
import { elem, enable, type Elem } from './dtype.ts';
import { grid1d } from './gemm.ts';

/** Scratch slot of the pattern's indices (rows, then columns, as u32). */
const INDEX_SLOT = 7;

/**
 * SDDMM, one invocation per sampled entry: a dot product of length k over a row of U and a row of V,
 * accumulated in f32 (f16 tensors widened on load, narrowed once on store). Error bound as dot:
 * |ô − o| ≤ γ_{k+1}·|α|·Σ_l |u_l||v_l| in f32.
 */
const sddmmCode = (e: Elem) => /* wgsl */ `${enable(e)}
struct Params { nnz: u32, k: u32, alpha: f32 }
@group(0) @binding(0) var<storage, read> U: array<${e}>;
@group(0) @binding(1) var<storage, read> V: array<${e}>;
@group(0) @binding(2) var<storage, read> idx: array<u32>;
@group(0) @binding(3) var<storage, read_write> out: array<${e}>;
@group(0) @binding(4) var<uniform> p: Params;
@compute @workgroup_size(256)
fn main(@builtin(global_invocation_id) g: vec3u, @builtin(num_workgroups) nw: vec3u) {
  let e = g.x + g.y * nw.x * 256u;
  if (e >= p.nnz) { return; }
  let ui = idx[e] * p.k;
  let vj = idx[p.nnz + e] * p.k;
  var s = 0.0;
  for (var l = 0u; l < p.k; l++) { s = s + f32(U[ui + l]) * f32(V[vj + l]); }
  out[e] = ${e}(p.alpha * s);
}`;

export async function sddmm(ctx: KernelContext, p: SddmmParams<WebGpuTensor>): Promise<void> {
  const { rows, cols, nnz } = p.pattern;
  const indices = new Uint32Array(2 * nnz);
  indices.set(rows);
  indices.set(cols, nnz);
  const e = elem(p.u.dtype);
  await ctx.run([{
    name: 'sddmm', key: `sddmm-${e}`, code: () => sddmmCode(e), dispatch: grid1d(nnz),
    buffers: [p.u.buffer, p.v.buffer, ctx.writeScratch(indices, INDEX_SLOT), p.out.buffer],
    uniforms: [{ type: 'u32', value: nnz }, { type: 'u32', value: p.k }, { type: 'f32', value: p.alpha }],
  }]);
}

/**
 * SpMM, one invocation per output element (i, l): the entries of row i in CSR order, accumulated in
 * f32. Indices: cols (nnz), rowPtr (m + 1), rowOrder (nnz), packed into one u32 buffer.
 */
const spmmCode = (e: Elem) => /* wgsl */ `${enable(e)}
struct Params { m: u32, k: u32, nnz: u32, alpha: f32 }
@group(0) @binding(0) var<storage, read> vals: array<${e}>;
@group(0) @binding(1) var<storage, read> B: array<${e}>;
@group(0) @binding(2) var<storage, read> idx: array<u32>;
@group(0) @binding(3) var<storage, read_write> out: array<${e}>;
@group(0) @binding(4) var<uniform> p: Params;
@compute @workgroup_size(256)
fn main(@builtin(global_invocation_id) g: vec3u, @builtin(num_workgroups) nw: vec3u) {
  let o = g.x + g.y * nw.x * 256u;
  if (o >= p.m * p.k) { return; }
  let i = o / p.k;
  let l = o % p.k;
  var s = 0.0;
  for (var t = idx[p.nnz + i]; t < idx[p.nnz + i + 1u]; t++) {
    let entry = idx[p.nnz + p.m + 1u + t];
    s = s + f32(vals[entry]) * f32(B[idx[entry] * p.k + l]);
  }
  out[o] = ${e}(p.alpha * s);
}`;

export async function spmm(ctx: KernelContext, p: SpmmParams<WebGpuTensor>): Promise<void> {
  const { cols, rowPtr, rowOrder, nnz } = p.pattern;
  const indices = new Uint32Array(2 * nnz + p.m + 1);
  indices.set(cols);
  indices.set(rowPtr, nnz);
  indices.set(rowOrder, nnz + p.m + 1);
  const e = elem(p.b.dtype);
  await ctx.run([{
    name: 'spmm', key: `spmm-${e}`, code: () => spmmCode(e), dispatch: grid1d(p.m * p.k),
    buffers: [p.vals.buffer, p.b.buffer, ctx.writeScratch(indices, INDEX_SLOT), p.out.buffer],
    uniforms: [{ type: 'u32', value: p.m }, { type: 'u32', value: p.k }, { type: 'u32', value: nnz }, { type: 'f32', value: p.alpha }],
  }]);
}
