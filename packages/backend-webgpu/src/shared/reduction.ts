import { cdiv, f32, u32, type Program } from '../program.ts';
import type { KernelContext } from '../kernel-context.ts';
import { enable, type Elem } from './dtype.ts';
import { WGSL_MATH } from './wgsl-math.ts';

/** NaN-propagating max that does not rely on WGSL's max (whose NaN behaviour is unspecified). */
export const COMBINE = {
  sum: 'a + b',
  max: 'select(max(a, b), a + b, isNan32(a) || isNan32(b))',
  min: 'select(min(a, b), a + b, isNan32(a) || isNan32(b))',
} as const;
export type Combine = keyof typeof COMBINE;
export const IDENTITY: Record<Combine, string> = { sum: '0.0', max: '-inf32()', min: 'inf32()' };

/**
 * Whole-vector reduction in two passes: `groups` workgroups of 256 invocations each fold a strided
 * share of `term(i)` and tree-reduce it in workgroup memory to one partial; then one workgroup folds
 * the partials. The tree keeps the summation error at γ_{n/(256·groups) + 16} rather than γ_n.
 */
function scalarReduction(
  t: Elem,
  name: string,
  term: string,
  combine: Combine,
  init: string,
  inputs: readonly GPUBuffer[],
  n: number,
  scale: number,
  partial: GPUBuffer,
  result: GPUBuffer,
): Program[] {
  const groups = Math.min(256, Math.max(1, cdiv(n, 256)));
  const decls = inputs.map((_, i) => `@group(0) @binding(${i}) var<storage, read> in${i}: array<${t}>;`).join('\n');
  const body = (source: string) => `${WGSL_MATH}
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
  return [
    {
      name: `${name}-partials`,
      key: `reduce-${name}-${t}`,
      code: (uniforms) =>
        `${enable(t)}${decls}\n@group(0) @binding(${o}) var<storage, read_write> out: array<f32>;\n${uniforms}\n${body(term)}`,
      dispatch: [groups, 1, 1],
      buffers: [...inputs, partial],
      uniforms: [u32('n', n), u32('stride', groups * 256), f32('scale', scale)],
    },
    {
      name: `${name}-final`,
      key: `reduce-final-${combine}-${init}`,
      code: (uniforms) =>
        `@group(0) @binding(0) var<storage, read> in0: array<f32>;\n@group(0) @binding(1) var<storage, read_write> out: array<f32>;\n${uniforms}\n${body('in0[i]')}`,
      dispatch: [1, 1, 1],
      buffers: [partial, result],
      uniforms: [u32('n', groups), u32('stride', 256), f32('scale', 1)],
    },
  ];
}

/** The reduction of `term` over n elements of `inputs`, read back as one number (dot, nrm2). */
export async function reduceToScalar(
  ctx: KernelContext,
  t: Elem,
  name: string,
  term: string,
  combine: Combine,
  inputs: GPUBuffer[],
  n: number,
  scale = 1,
): Promise<number> {
  const init = name === 'absmax' ? '0.0' : IDENTITY[combine];
  // Two buffers: one pass may not bind the same buffer for reading and writing.
  const partial = ctx.scratch(256 * 4, 0);
  const result = ctx.scratch(16, 1);
  await ctx.run(scalarReduction(t, name, term, combine, init, inputs, n, scale, partial, result));
  return (await ctx.readScalars(result, 1))[0];
}
