import type { SddmmParams } from '@lowrank/core';
import { f32, u32 } from '../program.ts';
import { INDEX_SLOT, type KernelContext } from '../kernel-context.ts';
import type { WebGpuTensor } from '../tensor.ts';
import { elem, enable, type Elem } from '../shared/dtype.ts';
import { entry1d, grid1d } from '../shared/grid.ts';

/**
 * SDDMM, one invocation per sampled entry: a dot product of length k over a row of U and a row of V,
 * accumulated in f32 (f16 tensors widened on load, narrowed once on store). Error bound as dot:
 * |ô − o| ≤ γ_{k+1}·|α|·Σ_l |u_l||v_l| in f32.
 */
const sddmmCode = (uniforms: string, e: Elem) => /* wgsl */ `${enable(e)}
@group(0) @binding(0) var<storage, read> U: array<${e}>;
@group(0) @binding(1) var<storage, read> V: array<${e}>;
@group(0) @binding(2) var<storage, read> idx: array<u32>;
@group(0) @binding(3) var<storage, read_write> out: array<${e}>;
${uniforms}
${entry1d('e', 'p.nnz')}
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
  await ctx.run([
    {
      name: 'sddmm',
      key: `sddmm-${e}`,
      code: (u) => sddmmCode(u, e),
      dispatch: grid1d(nnz),
      buffers: [p.u.buffer, p.v.buffer, ctx.writeScratch(indices, INDEX_SLOT), p.out.buffer],
      uniforms: [u32('nnz', nnz), u32('k', p.k), f32('alpha', p.alpha)],
    },
  ]);
}
