import type { GemvParams } from '@lowrank/core';
import { cdiv, f32, u32 } from '../program.ts';
import type { KernelContext } from '../kernel-context.ts';
import type { WebGpuTensor } from '../tensor.ts';
import { elem, enable } from '../shared/dtype.ts';
import { entry1d, grid1d } from '../shared/grid.ts';

/**
 * GEMV. No transpose: one workgroup of 64 per row of A, strided dot product, tree reduction.
 * Transpose: one invocation per column of A (= element of y), reading rows in turn.
 */
export function gemv(ctx: KernelContext, p: GemvParams<WebGpuTensor>): Promise<void> {
  const rows = p.trans ? p.n : p.m;
  const t = elem(p.a.dtype);
  const head = (decl: string) => `${enable(t)}
@group(0) @binding(0) var<storage, read> A: array<${t}>;
@group(0) @binding(1) var<storage, read> x: array<${t}>;
@group(0) @binding(2) var<storage, read_write> y: array<${t}>;
${decl}
fn finish(i: u32, s: f32) {
  var v = p.alpha * s;
  if (p.beta != 0.0) { v = v + p.beta * f32(y[i]); }
  y[i] = ${t}(v);
}`;
  const uniforms = [u32('m', p.m), u32('n', p.n), f32('alpha', p.alpha), f32('beta', p.beta)];
  const buffers = [p.a.buffer, p.x.buffer, p.y.buffer];
  if (!p.trans) {
    return ctx.run([
      {
        name: 'gemv-n',
        key: `gemv-n-${t}`,
        dispatch: [Math.min(rows, 65535), cdiv(rows, 65535), 1],
        buffers,
        uniforms,
        code: (u) => `${head(u)}
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
      },
    ]);
  }
  return ctx.run([
    {
      name: 'gemv-t',
      key: `gemv-t-${t}`,
      dispatch: grid1d(rows),
      buffers,
      uniforms,
      code: (u) => `${head(u)}
${entry1d('j', 'p.n')}
  var acc = 0.0;
  for (var i = 0u; i < p.m; i++) { acc = acc + f32(A[i * p.n + j]) * f32(x[i]); }
  finish(j, acc);
}`,
    },
  ]);
}
