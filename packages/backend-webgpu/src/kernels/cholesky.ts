import type { CholeskyParams } from '@lowrank/core';
import { u32 } from '../program.ts';
import type { KernelContext } from '../kernel-context.ts';
import type { WebGpuTensor } from '../tensor.ts';
import { FINITE_CHECK } from '../shared/factor-wgsl.ts';
import { WGSL_MATH } from '../shared/wgsl-math.ts';

/** Cholesky–Crout by columns in one workgroup (see shared/factor-wgsl.ts): the status is the failing pivot + 1. */
const CHOLESKY = (uniforms: string) => /* wgsl */ `${WGSL_MATH}${FINITE_CHECK}
@group(0) @binding(0) var<storage, read> A: array<f32>;
@group(0) @binding(1) var<storage, read_write> L: array<f32>;
@group(0) @binding(2) var<storage, read_write> status: array<f32>;
${uniforms}
var<workgroup> failedAt: u32;
@compute @workgroup_size(256)
fn main(@builtin(local_invocation_index) li: u32) {
  let n = p.n;
  for (var e = li; e < n * n; e += 256u) {
    let i = e / n; let j = e % n;
    if (j <= i) { let v = A[e]; markIfNonFinite(v); L[e] = v; } else { L[e] = 0.0; }
  }
  if (li == 0u) { failedAt = 0u; }
  storageBarrier();
  if (workgroupUniformLoad(&badInput) != 0u) { if (li == 0u) { status[0] = -1.0; } return; }
  for (var j = 0u; j < n; j++) {
    if (li == 0u) {
      let d = L[j * n + j];
      if (d > 0.0) { L[j * n + j] = sqrt(d); } else { failedAt = j + 1u; }
    }
    storageBarrier();
    if (workgroupUniformLoad(&failedAt) != 0u) { break; }
    let djj = L[j * n + j];
    for (var i = j + 1u + li; i < n; i += 256u) { L[i * n + j] = L[i * n + j] / djj; }
    storageBarrier();
    // Trailing update of the lower triangle: L[i,k] −= L[i,j]·L[k,j] for j < k ≤ i.
    let rest = n - j - 1u;
    for (var e = li; e < rest * rest; e += 256u) {
      let i = j + 1u + e / rest; let k = j + 1u + e % rest;
      if (k <= i) { L[i * n + k] = L[i * n + k] - L[i * n + j] * L[k * n + j]; }
    }
    storageBarrier();
  }
  if (li == 0u) { status[0] = f32(failedAt); }
}`;

export async function cholesky(ctx: KernelContext, p: CholeskyParams<WebGpuTensor>): Promise<number> {
  const status = ctx.scratch(16, 1);
  await ctx.run([
    {
      name: 'cholesky',
      key: 'cholesky',
      code: (u) => CHOLESKY(u),
      dispatch: [1, 1, 1],
      buffers: [p.a.buffer, p.l.buffer, status],
      uniforms: [u32('n', p.n)],
    },
  ]);
  return p.n === 0 ? 0 : (await ctx.readScalars(status, 1))[0];
}
