import type { TransposeParams } from '@lowrank/core';
import { cdiv, u32 } from '../program.ts';
import type { KernelContext } from '../kernel-context.ts';
import type { WebGpuTensor } from '../tensor.ts';
import { elem, enable } from '../shared/dtype.ts';

/** 16×16 tiles through workgroup memory so both the reads and the writes are contiguous. */
export function transpose(ctx: KernelContext, p: TransposeParams<WebGpuTensor>): Promise<void> {
  const t = elem(p.x.dtype);
  return ctx.run([
    {
      name: 'transpose',
      key: `transpose-${t}`,
      dispatch: [cdiv(p.cols, 16), cdiv(p.rows, 16), 1],
      buffers: [p.x.buffer, p.out.buffer],
      uniforms: [u32('rows', p.rows), u32('cols', p.cols)],
      code: (uniforms) => `${enable(t)}
@group(0) @binding(0) var<storage, read> X: array<${t}>;
@group(0) @binding(1) var<storage, read_write> out: array<${t}>;
${uniforms}
var<workgroup> tile: array<array<${t}, 17>, 16>;
@compute @workgroup_size(16, 16)
fn main(@builtin(workgroup_id) wg: vec3u, @builtin(local_invocation_id) l: vec3u) {
  let r = wg.y * 16u + l.y; let c = wg.x * 16u + l.x;
  if (r < p.rows && c < p.cols) { tile[l.y][l.x] = X[r * p.cols + c]; }
  workgroupBarrier();
  let orow = wg.x * 16u + l.y; let ocol = wg.y * 16u + l.x;
  if (orow < p.cols && ocol < p.rows) { out[orow * p.rows + ocol] = tile[l.x][l.y]; }
}`,
    },
  ]);
}
