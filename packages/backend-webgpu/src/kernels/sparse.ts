import type { SddmmParams } from '@lowrank/core';
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
