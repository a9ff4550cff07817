import type { ReduceOp, ReduceParams } from '@lowrank/core';
import { cdiv, u32 } from '../program.ts';
import type { KernelContext } from '../kernel-context.ts';
import type { WebGpuTensor } from '../tensor.ts';
import { elem, enable } from '../shared/dtype.ts';
import { entry1d, grid1d } from '../shared/grid.ts';
import { COMBINE, IDENTITY, type Combine } from '../shared/reduction.ts';
import { WGSL_MATH } from '../shared/wgsl-math.ts';

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
  const head = (decl: string) => `${enable(t)}${WGSL_MATH}
@group(0) @binding(0) var<storage, read> X: array<${t}>;
@group(0) @binding(1) var<storage, read_write> out: array<${t}>;
${decl}
fn combine(a: f32, b: f32) -> f32 { return ${COMBINE[combine]}; }`;
  const uniforms = [u32('rows', p.rows), u32('cols', p.cols)];
  if (p.axis === 'rows') {
    return ctx.run([
      {
        name: `reduce-rows-${p.op}`,
        key: `reduce-rows-${p.op}-${t}`,
        dispatch: [Math.min(p.rows, 65535), cdiv(p.rows, 65535), 1],
        buffers: [p.x.buffer, p.out.buffer],
        uniforms,
        code: (u) => `${head(u)}
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
      },
    ]);
  }
  return ctx.run([
    {
      name: `reduce-cols-${p.op}`,
      key: `reduce-cols-${p.op}-${t}`,
      dispatch: grid1d(p.cols),
      buffers: [p.x.buffer, p.out.buffer],
      uniforms,
      code: (u) => `${head(u)}
${entry1d('col', 'p.cols')}
  var acc = ${init};
  for (var i = 0u; i < p.rows; i++) { let v = f32(X[i * p.cols + col]); acc = combine(acc, ${term}); }
  out[col] = ${t}(acc);
}`,
    },
  ]);
}
