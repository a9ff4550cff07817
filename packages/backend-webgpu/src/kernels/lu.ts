import type { LuParams } from '@lowrank/core';
import { u32, type Program } from '../program.ts';
import type { KernelContext } from '../kernel-context.ts';
import type { WebGpuTensor } from '../tensor.ts';
import { entry1d, grid1d } from '../shared/grid.ts';
import { copyIn, NB, READ_FLAGS, readStatus, trailingUpdate } from '../shared/blocked-factor.ts';

/**
 * dgetf2 on columns [j0, j1) in one workgroup: the pivot by a tree arg-max down the column (ties to the lower
 * row, as on the CPU), its row swapped across all n columns (dlaswp on both sides at once), the column below
 * scaled, and the rank-1 update of the panel's later columns. A zero pivot is recorded (the first, in
 * flags[1]) and its column left as it is; the factorization goes on, as LAPACK's.
 */
function panel(lu: GPUBuffer, piv: GPUBuffer, flags: GPUBuffer, m: number, n: number, j0: number, j1: number): Program {
  return {
    name: 'lu-panel',
    key: 'lu-panel',
    code: (u) => /* wgsl */ `
@group(0) @binding(0) var<storage, read_write> LU: array<f32>;
@group(0) @binding(1) var<storage, read_write> piv: array<f32>;
@group(0) @binding(2) var<storage, read_write> flags: array<u32>;
${u}
${READ_FLAGS}
var<workgroup> bestV: array<f32, 256>;
var<workgroup> bestI: array<u32, 256>;
var<workgroup> pivotValue: f32;
@compute @workgroup_size(256)
fn main(@builtin(local_invocation_index) li: u32) {
  if (stopNow(li, false)) { return; }
  let m = p.m; let n = p.n;
  for (var j = p.j0; j < p.j1; j++) {
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
      if (li == 0u && flags[1] == 0u) { flags[1] = j + 1u; }
      storageBarrier();
      continue;
    }
    for (var i = j + 1u + li; i < m; i += 256u) { LU[i * n + j] = LU[i * n + j] / d; }
    storageBarrier();
    let w = p.j1 - j - 1u;
    for (var e = li; e < (m - j - 1u) * w; e += 256u) {
      let i = j + 1u + e / w; let c = j + 1u + e % w;
      LU[i * n + c] = LU[i * n + c] - LU[i * n + j] * LU[j * n + c];
    }
    storageBarrier();
  }
}`,
    dispatch: [1, 1, 1],
    buffers: [lu, piv, flags],
    uniforms: [u32('m', m), u32('n', n), u32('j0', j0), u32('j1', j1)],
  };
}

/** U₁₂ = L₁₁⁻¹·A₁₂ (dtrsm, unit lower): rows [j0, j1) of the columns right of the panel, one invocation a column. */
function solveU12(lu: GPUBuffer, flags: GPUBuffer, n: number, j0: number, j1: number): Program {
  return {
    name: 'lu-solve-u12',
    key: 'lu-solve-u12',
    code: (u) => /* wgsl */ `
@group(0) @binding(0) var<storage, read_write> LU: array<f32>;
@group(0) @binding(1) var<storage, read> flags: array<u32>;
${u}
${entry1d('i', 'p.n - p.j1')}
  if (flags[0] != 0u) { return; }
  let c = p.j1 + i; let n = p.n;
  for (var r = p.j0 + 1u; r < p.j1; r++) {
    var s = LU[r * n + c];
    for (var t = p.j0; t < r; t++) { s = s - LU[r * n + t] * LU[t * n + c]; }
    LU[r * n + c] = s;
  }
}`,
    dispatch: grid1d(n - j1),
    buffers: [lu, flags],
    uniforms: [u32('n', n), u32('j0', j0), u32('j1', j1)],
  };
}

/** Right-looking blocked LU with partial pivoting (dgetrf) as passes of one command buffer (shared/blocked-factor.ts). */
export async function lu(ctx: KernelContext, p: LuParams<WebGpuTensor>): Promise<number> {
  const { m, n } = p;
  const flags = ctx.writeScratch(new Uint32Array(2), 2);
  const [out, piv] = [p.lu.buffer, p.piv.buffer];
  const programs = [copyIn(p.a.buffer, out, flags, m, n, false)];
  for (let j0 = 0; j0 < Math.min(m, n); j0 += NB) {
    const j1 = Math.min(j0 + NB, m, n);
    programs.push(
      panel(out, piv, flags, m, n, j0, j1),
      solveU12(out, flags, n, j0, j1),
      trailingUpdate(out, flags, m, n, j0, j1, false),
    );
  }
  await ctx.run(programs);
  return readStatus(ctx, flags);
}
