import type { SpmmParams } from '@lowrank/core';
import { f32, u32 } from '../program.ts';
import { INDEX_SLOT, type KernelContext } from '../kernel-context.ts';
import type { WebGpuTensor } from '../tensor.ts';
import { elem, enable, type Elem } from '../shared/dtype.ts';
import { entry1d, grid1d } from '../shared/grid.ts';

/**
 * SpMM, one invocation per output element (i, l): the entries of row i in CSR order, accumulated in
 * f32. Indices: cols (nnz), rowPtr (m + 1), rowOrder (nnz), packed into one u32 buffer.
 */
const spmmCode = (uniforms: string, e: Elem) => /* wgsl */ `${enable(e)}
@group(0) @binding(0) var<storage, read> vals: array<${e}>;
@group(0) @binding(1) var<storage, read> B: array<${e}>;
@group(0) @binding(2) var<storage, read> idx: array<u32>;
@group(0) @binding(3) var<storage, read_write> out: array<${e}>;
${uniforms}
${entry1d('o', 'p.m * p.k')}
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
  await ctx.run([
    {
      name: 'spmm',
      key: `spmm-${e}`,
      code: (u) => spmmCode(u, e),
      dispatch: grid1d(p.m * p.k),
      buffers: [p.vals.buffer, p.b.buffer, ctx.writeScratch(indices, INDEX_SLOT), p.out.buffer],
      uniforms: [u32('m', p.m), u32('k', p.k), u32('nnz', nnz), f32('alpha', p.alpha)],
    },
  ]);
}
