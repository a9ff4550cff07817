import type { LuParams } from '@lowrank/core';
import { u32 } from '../program.ts';
import type { KernelContext } from '../kernel-context.ts';
import type { WebGpuTensor } from '../tensor.ts';
import { FINITE_CHECK } from '../shared/factor-wgsl.ts';
import { WGSL_MATH } from '../shared/wgsl-math.ts';

/** getf2 in one workgroup: pivot by a tree arg-max (ties to the lower row, as on the CPU), swap, scale, update. */
const LU = (uniforms: string) => /* wgsl */ `${WGSL_MATH}${FINITE_CHECK}
@group(0) @binding(0) var<storage, read> A: array<f32>;
@group(0) @binding(1) var<storage, read_write> LU: array<f32>;
@group(0) @binding(2) var<storage, read_write> piv: array<f32>;
@group(0) @binding(3) var<storage, read_write> status: array<f32>;
${uniforms}
var<workgroup> bestV: array<f32, 256>;
var<workgroup> bestI: array<u32, 256>;
var<workgroup> firstZero: u32;
var<workgroup> pivotValue: f32;
@compute @workgroup_size(256)
fn main(@builtin(local_invocation_index) li: u32) {
  let m = p.m; let n = p.n;
  for (var e = li; e < m * n; e += 256u) { let v = A[e]; markIfNonFinite(v); LU[e] = v; }
  if (li == 0u) { firstZero = 0u; }
  storageBarrier();
  if (workgroupUniformLoad(&badInput) != 0u) { if (li == 0u) { status[0] = -1.0; } return; }
  let steps = min(m, n);
  for (var j = 0u; j < steps; j++) {
    var bv = -1.0; var bi = j;
    for (var i = j + li; i < m; i += 256u) {
      let v = abs(LU[i * n + j]);
      if (v > bv) { bv = v; bi = i; }
    }
    bestV[li] = bv; bestI[li] = bi;
    workgroupBarrier();
    for (var s = 128u; s > 0u; s = s >> 1u) {
      if (li < s) {
        let ov = bestV[li + s]; let oi = bestI[li + s];
        if (ov > bestV[li] || (ov == bestV[li] && oi < bestI[li])) { bestV[li] = ov; bestI[li] = oi; }
      }
      workgroupBarrier();
    }
    let pr = workgroupUniformLoad(&bestI[0]);
    if (li == 0u) { piv[j] = f32(pr); }
    if (pr != j) {
      for (var c = li; c < n; c += 256u) {
        let tmp = LU[j * n + c]; LU[j * n + c] = LU[pr * n + c]; LU[pr * n + c] = tmp;
      }
    }
    storageBarrier();
    if (li == 0u) { pivotValue = LU[j * n + j]; }
    let d = workgroupUniformLoad(&pivotValue); // uniform, so the branch below may skip barriers
    if (d == 0.0) {
      if (li == 0u && firstZero == 0u) { firstZero = j + 1u; }
      storageBarrier();
      continue;
    }
    for (var i = j + 1u + li; i < m; i += 256u) { LU[i * n + j] = LU[i * n + j] / d; }
    storageBarrier();
    let rows = m - j - 1u; let cols = n - j - 1u;
    for (var e = li; e < rows * cols; e += 256u) {
      let i = j + 1u + e / cols; let c = j + 1u + e % cols;
      LU[i * n + c] = LU[i * n + c] - LU[i * n + j] * LU[j * n + c];
    }
    storageBarrier();
  }
  workgroupBarrier();
  if (li == 0u) { status[0] = f32(firstZero); }
}`;

export async function lu(ctx: KernelContext, p: LuParams<WebGpuTensor>): Promise<number> {
  const status = ctx.scratch(16, 1);
  await ctx.run([
    {
      name: 'lu',
      key: 'lu',
      code: (u) => LU(u),
      dispatch: [1, 1, 1],
      buffers: [p.a.buffer, p.lu.buffer, p.piv.buffer, status],
      uniforms: [u32('m', p.m), u32('n', p.n)],
    },
  ]);
  return (await ctx.readScalars(status, 1))[0];
}
