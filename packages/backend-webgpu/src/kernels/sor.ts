import { UnsupportedError, badDiagonalRow, type SorParams } from '@lowrank/core';
import { f32, u32 } from '../program.ts';
import { INDEX_SLOT, type KernelContext } from '../kernel-context.ts';
import type { WebGpuTensor } from '../tensor.ts';
import { entry1d, grid1d } from '../shared/grid.ts';

/** Classes per sweep above which an order is refused: each class is a dispatch (lexicographic has n). */
export const SOR_MAX_CLASSES = 64;

/**
 * One class of the sweep order, one invocation per row: rows of a class share no entry, so they read
 * only rows of other classes and update in parallel with the sequential result. Indices in one u32
 * buffer: cols (nnz), rowPtr (n + 1), rowOrder (nnz), order (n). Accumulates in f32.
 */
const classCode = (uniforms: string) => /* wgsl */ `
@group(0) @binding(0) var<storage, read> vals: array<f32>;
@group(0) @binding(1) var<storage, read> b: array<f32>;
@group(0) @binding(2) var<storage, read> idx: array<u32>;
@group(0) @binding(3) var<storage, read_write> x: array<f32>;
${uniforms}
${entry1d('r', 'p.count')}
  let i = idx[2u * p.nnz + p.n + 1u + p.start + r];
  var s = b[i];
  var d = 0.0;
  for (var t = idx[p.nnz + i]; t < idx[p.nnz + i + 1u]; t++) {
    let e = idx[p.nnz + p.n + 1u + t];
    let j = idx[e];
    if (j == i) { d = d + vals[e]; } else { s = s - vals[e] * x[j]; }
  }
  x[i] = (1.0 - p.omega) * x[i] + p.omega * s / d;
}`;

/**
 * One submit per sweep: the classes in order (then in reverse for SSOR), a dispatch each. The diagonal
 * is checked on the host first, from one download of the values.
 */
export async function sor(ctx: KernelContext, p: SorParams<WebGpuTensor>): Promise<number> {
  const { cols, rowPtr, rowOrder, nnz } = p.pattern;
  const { order, classPtr } = p.order;
  const classes = classPtr.length - 1;
  if (classes > SOR_MAX_CLASSES)
    throw new UnsupportedError(
      `webgpu runs SOR one dispatch per class of the sweep order; this ${p.order.kind} order has ${classes} classes (at most ${SOR_MAX_CLASSES}): use a multicolor order (sweepOrder(pattern, 'multicolor'))`,
    );
  const bad = badDiagonalRow(p.pattern, await ctx.readScalars(p.vals.buffer, nnz));
  if (bad >= 0) return bad;
  const indices = new Uint32Array(2 * nnz + 2 * p.n + 1);
  indices.set(cols);
  indices.set(rowPtr, nnz);
  indices.set(rowOrder, nnz + p.n + 1);
  indices.set(order, 2 * nnz + p.n + 1);
  const idx = ctx.writeScratch(indices, INDEX_SLOT);
  const pass = (c: number) => ({
    name: 'sor-class',
    key: 'sor-class',
    code: classCode,
    dispatch: grid1d(classPtr[c + 1] - classPtr[c]),
    buffers: [p.vals.buffer, p.b.buffer, idx, p.x.buffer],
    uniforms: [
      u32('n', p.n),
      u32('nnz', nnz),
      u32('start', classPtr[c]),
      u32('count', classPtr[c + 1] - classPtr[c]),
      f32('omega', p.omega),
    ],
  });
  const forward = Array.from({ length: classes }, (_, c) => c).filter((c) => classPtr[c + 1] > classPtr[c]);
  for (let sweep = 0; sweep < p.sweeps; sweep++)
    await ctx.run([...forward.map(pass), ...(p.symmetric ? [...forward].reverse().map(pass) : [])]);
  return -1;
}
