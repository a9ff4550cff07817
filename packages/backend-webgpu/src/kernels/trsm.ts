import type { TrsmParams } from '@lowrank/core';
import { cdiv, f32, u32 } from '../program.ts';
import type { KernelContext } from '../kernel-context.ts';
import type { WebGpuTensor } from '../tensor.ts';

/** Zero-diagonal check (one invocation), then one invocation per right-hand side doing the substitution. */
const TRSM = (uniforms: string) => /* wgsl */ `
@group(0) @binding(0) var<storage, read> T: array<f32>;
@group(0) @binding(1) var<storage, read_write> B: array<f32>;
@group(0) @binding(2) var<storage, read_write> status: array<f32>;
${uniforms}
fn t(i: u32, k: u32) -> f32 { if (p.trans == 1u) { return T[k * p.n + i]; } return T[i * p.n + k]; }
@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) g: vec3u) {
  let j = g.x;
  if (j == 0u) {
    var s = 0.0;
    if (p.unitDiag == 0u) { for (var i = 0u; i < p.n; i++) { if (T[i * p.n + i] == 0.0) { s = f32(i + 1u); break; } } }
    status[0] = s;
  }
  if (j >= p.m) { return; }
  let forward = (p.lower == 1u) != (p.trans == 1u);
  for (var s = 0u; s < p.n; s++) {
    let i = select(p.n - 1u - s, s, forward);
    var x = p.alpha * B[i * p.m + j];
    for (var r = 0u; r < s; r++) {
      let k = select(p.n - 1u - r, r, forward);
      x = x - t(i, k) * B[k * p.m + j];
    }
    if (p.unitDiag == 0u) { x = x / T[i * p.n + i]; }
    B[i * p.m + j] = x;
  }
}`;

export async function trsm(ctx: KernelContext, p: TrsmParams<WebGpuTensor>): Promise<number> {
  const status = ctx.scratch(16, 1);
  await ctx.run([
    {
      name: 'trsm',
      key: 'trsm',
      code: (u) => TRSM(u),
      dispatch: [Math.max(1, cdiv(p.m, 64)), 1, 1],
      buffers: [p.t.buffer, p.b.buffer, status],
      uniforms: [
        u32('n', p.n),
        u32('m', p.m),
        u32('lower', +p.lower),
        u32('trans', +p.trans),
        u32('unitDiag', +p.unitDiag),
        f32('alpha', p.alpha),
      ],
    },
  ]);
  // A unit diagonal has no zero to report: no status read back (a GPU round trip, 10 ms under Deno).
  if (p.unitDiag) return 0;
  return (await ctx.readScalars(status, 1))[0];
}
