import type { CholeskyParams } from '@lowrank/core';
import { u32, type Program } from '../program.ts';
import type { KernelContext } from '../kernel-context.ts';
import type { WebGpuTensor } from '../tensor.ts';
import { copyIn, NB, READ_FLAGS, readStatus, trailingUpdate } from '../shared/blocked-factor.ts';

/**
 * Columns [j0, j1) of L, already brought up to date with every earlier panel, by Cholesky–Crout in one
 * workgroup: the pivot's square root, the column below it scaled, and the rank-1 update of the panel's later
 * columns (dpotf2 on the panel and dtrsm below it, as one). A pivot that is not positive stops the factorization
 * with its order in flags[1].
 */
function panel(l: GPUBuffer, flags: GPUBuffer, n: number, j0: number, j1: number): Program {
  return {
    name: 'cholesky-panel',
    key: 'cholesky-panel',
    code: (u) => /* wgsl */ `
@group(0) @binding(0) var<storage, read_write> L: array<f32>;
@group(0) @binding(1) var<storage, read_write> flags: array<u32>;
${u}
${READ_FLAGS}
var<workgroup> failed: u32;
@compute @workgroup_size(256)
fn main(@builtin(local_invocation_index) li: u32) {
  if (stopNow(li, true)) { return; }
  let n = p.n;
  for (var j = p.j0; j < p.j1; j++) {
    if (li == 0u) {
      let d = L[j * n + j];
      if (d > 0.0) { L[j * n + j] = sqrt(d); failed = 0u; } else { flags[1] = j + 1u; failed = 1u; }
    }
    storageBarrier();
    if (workgroupUniformLoad(&failed) != 0u) { return; }
    let djj = L[j * n + j];
    for (var i = j + 1u + li; i < n; i += 256u) { L[i * n + j] = L[i * n + j] / djj; }
    storageBarrier();
    // L[i, k] −= L[i, j]·L[k, j] for the panel's later columns k, on and below the diagonal.
    let w = p.j1 - j - 1u;
    for (var e = li; e < (n - j - 1u) * w; e += 256u) {
      let i = j + 1u + e / w; let k = j + 1u + e % w;
      if (k <= i) { L[i * n + k] = L[i * n + k] - L[i * n + j] * L[k * n + j]; }
    }
    storageBarrier();
  }
}`,
    dispatch: [1, 1, 1],
    buffers: [l, flags],
    uniforms: [u32('n', n), u32('j0', j0), u32('j1', j1)],
  };
}

/** Right-looking blocked Cholesky (dpotrf) as passes of one command buffer (shared/blocked-factor.ts). */
export async function cholesky(ctx: KernelContext, p: CholeskyParams<WebGpuTensor>): Promise<number> {
  const n = p.n;
  const flags = ctx.writeScratch(new Uint32Array(2), 2);
  const programs = [copyIn(p.a.buffer, p.l.buffer, flags, n, n, true)];
  for (let j0 = 0; j0 < n; j0 += NB) {
    const j1 = Math.min(j0 + NB, n);
    programs.push(panel(p.l.buffer, flags, n, j0, j1), trailingUpdate(p.l.buffer, flags, n, n, j0, j1, true));
  }
  await ctx.run(programs);
  return readStatus(ctx, flags);
}
