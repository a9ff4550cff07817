import type { QrParams } from '@lowrank/core';
import { u32 } from '../program.ts';
import type { KernelContext } from '../kernel-context.ts';
import type { WebGpuTensor } from '../tensor.ts';
import { FINITE_CHECK, HOUSEHOLDER } from '../shared/factor-wgsl.ts';
import { WGSL_MATH } from '../shared/wgsl-math.ts';

/**
 * Householder QR in one workgroup on the transpose W (n×m, columns of A as rows): for each reflector
 * a tree reduction gives ‖x‖, invocation 0 forms β and τ, then the later columns are updated in
 * parallel (one invocation per column: a dot product and an axpy along its row). Q's rows are then
 * built in parallel by applying the reflectors from the right. W, τ and Qᵀ live in one f32 scratch.
 */
const QR = (uniforms: string) => /* wgsl */ `${WGSL_MATH}${FINITE_CHECK}${HOUSEHOLDER}
@group(0) @binding(0) var<storage, read> A: array<f32>;
@group(0) @binding(1) var<storage, read_write> Q: array<f32>;
@group(0) @binding(2) var<storage, read_write> R: array<f32>;
@group(0) @binding(3) var<storage, read_write> W: array<f32>;
@group(0) @binding(4) var<storage, read_write> status: array<f32>;
${uniforms}
@compute @workgroup_size(256)
fn main(@builtin(local_invocation_index) li: u32) {
  let m = p.m; let n = p.n; let k = min(m, n);
  let tauBase = n * m; let qtBase = tauBase + k;
  for (var e = li; e < m * n; e += 256u) { let v = A[e]; markIfNonFinite(v); W[(e % n) * m + e / n] = v; }
  for (var e = li; e < k * n; e += 256u) { R[e] = 0.0; }
  storageBarrier();
  if (workgroupUniformLoad(&badInput) != 0u) { if (li == 0u) { status[0] = -1.0; } return; }
  for (var j = 0u; j < k; j++) {
    let x = j * m;
    let h = householder(x, j, m, li);
    let t = h.x;
    if (li == 0u) { W[tauBase + j] = t; R[j * n + j] = h.y; }
    storageBarrier();
    for (var c = j + 1u + li; c < n; c += 256u) {
      let y = c * m;
      if (t != 0.0) {
        var d = 0.0;
        for (var i = j; i < m; i++) { d = d + W[x + i] * W[y + i]; }
        d = d * t;
        for (var i = j; i < m; i++) { W[y + i] = W[y + i] - d * W[x + i]; }
      }
      R[j * n + c] = W[y + j];
    }
    storageBarrier();
  }
  for (var i = li; i < k; i += 256u) {
    let row = qtBase + i * m;
    for (var s = 0u; s < m; s++) { W[row + s] = select(0.0, 1.0, s == i); }
    for (var jj = 0u; jj < k; jj++) {
      let j = k - 1u - jj;
      let t = W[tauBase + j];
      if (t == 0.0) { continue; }
      var d = 0.0;
      for (var s = j; s < m; s++) { d = d + W[row + s] * W[j * m + s]; }
      d = d * t;
      for (var s = j; s < m; s++) { W[row + s] = W[row + s] - d * W[j * m + s]; }
    }
    for (var s = 0u; s < m; s++) { Q[s * k + i] = W[row + s]; }
  }
  if (li == 0u) { status[0] = 0.0; }
}`;

export async function qr(ctx: KernelContext, p: QrParams<WebGpuTensor>): Promise<number> {
  const k = Math.min(p.m, p.n);
  const work = ctx.scratch((p.n * p.m + k + k * p.m) * 4, 0);
  const status = ctx.scratch(16, 1);
  await ctx.run([
    {
      name: 'qr',
      key: 'qr',
      code: (u) => QR(u),
      dispatch: [1, 1, 1],
      buffers: [p.a.buffer, p.q.buffer, p.r.buffer, work, status],
      uniforms: [u32('m', p.m), u32('n', p.n)],
    },
  ]);
  return p.m * p.n === 0 ? 0 : (await ctx.readScalars(status, 1))[0];
}
