import type { QrParams } from '@lowrank/core';
import { u32, type Program } from '../program.ts';
import type { KernelContext } from '../kernel-context.ts';
import type { WebGpuTensor } from '../tensor.ts';
import { HOUSEHOLDER } from '../shared/factor-wgsl.ts';
import { MARK_NON_FINITE, NB, READ_FLAGS, readStatus } from '../shared/blocked-factor.ts';
import { entry1d, grid1d } from '../shared/grid.ts';

/**
 * Householder QR (dgeqrf's order: a panel of NB reflectors, then the columns right of it) on the transpose W
 * (n×m: A's columns as rows, so a reflector and the column it meets are both contiguous), as passes of one
 * command buffer (shared/blocked-factor.ts for the flags): the panel on one workgroup (the reflector by
 * dlarfg with safe scaling, then the panel's later columns, one invocation each), then every column right of
 * the panel on an invocation of its own over as many workgroups as it takes, applying the panel's reflectors in
 * order; Q's rows (Qᵀ's, in W past τ) likewise one an invocation. No barrier outside the panel: a workgroup
 * cooperating on each column's dot products (tried) ran 4–6× slower on lavapipe, where barriers are costly.
 * W, τ and Qᵀ live in one f32 scratch.
 */
const LAYOUT = /* wgsl */ `
fn tauAt(j: u32) -> u32 { return p.n * p.m + j; }
fn qtAt(i: u32) -> u32 { return p.n * p.m + min(p.m, p.n) + i * p.m; }`;

/** y ← y − τ·(v·y)·v over entries [first, m) of the rows of W at v and y, by one invocation (v's first entry is 1, stored). */
const REFLECT = /* wgsl */ `
fn reflect(v: u32, y: u32, first: u32, t: f32) {
  var d = 0.0;
  for (var s = first; s < p.m; s++) { d = d + W[v + s] * W[y + s]; }
  d = d * t;
  for (var s = first; s < p.m; s++) { W[y + s] = W[y + s] - d * W[v + s]; }
}`;

function start(a: GPUBuffer, r: GPUBuffer, work: GPUBuffer, flags: GPUBuffer, m: number, n: number): Program {
  return {
    name: 'qr-start',
    key: 'qr-start',
    code: (u) => /* wgsl */ `
@group(0) @binding(0) var<storage, read> A: array<f32>;
@group(0) @binding(1) var<storage, read_write> R: array<f32>;
@group(0) @binding(2) var<storage, read_write> W: array<f32>;
@group(0) @binding(3) var<storage, read_write> flags: array<atomic<u32>>;
${u}
${MARK_NON_FINITE}
${entry1d('e', 'p.m * p.n')}
  let v = A[e];
  markNonFinite(v);
  W[(e % p.n) * p.m + e / p.n] = v;
  if (e < min(p.m, p.n) * p.n) { R[e] = 0.0; }
}`,
    dispatch: grid1d(m * n),
    buffers: [a, r, work, flags],
    uniforms: [u32('m', m), u32('n', n)],
  };
}

function panel(r: GPUBuffer, work: GPUBuffer, flags: GPUBuffer, m: number, n: number, j0: number, j1: number): Program {
  return {
    name: 'qr-panel',
    key: 'qr-panel',
    code: (u) => /* wgsl */ `${HOUSEHOLDER}${REFLECT}
@group(0) @binding(0) var<storage, read_write> R: array<f32>;
@group(0) @binding(1) var<storage, read_write> W: array<f32>;
@group(0) @binding(2) var<storage, read> flags: array<u32>;
${u}
${READ_FLAGS}
${LAYOUT}
@compute @workgroup_size(256)
fn main(@builtin(local_invocation_index) li: u32) {
  if (stopNow(li, false)) { return; }
  let m = p.m; let n = p.n;
  for (var j = p.j0; j < p.j1; j++) {
    let x = j * m;
    let h = householder(x, j, m, li);
    let t = h.x;
    if (li == 0u) { W[tauAt(j)] = t; R[j * n + j] = h.y; }
    storageBarrier();
    for (var c = j + 1u + li; c < p.j1; c += 256u) {
      if (t != 0.0) { reflect(x, c * m, j, t); }
      R[j * n + c] = W[c * m + j];
    }
    storageBarrier();
  }
}`,
    dispatch: [1, 1, 1],
    buffers: [r, work, flags],
    uniforms: [u32('m', m), u32('n', n), u32('j0', j0), u32('j1', j1)],
  };
}

function update(
  r: GPUBuffer,
  work: GPUBuffer,
  flags: GPUBuffer,
  m: number,
  n: number,
  j0: number,
  j1: number,
): Program {
  return {
    name: 'qr-update',
    key: 'qr-update',
    code: (u) => /* wgsl */ `${REFLECT}
@group(0) @binding(0) var<storage, read_write> R: array<f32>;
@group(0) @binding(1) var<storage, read_write> W: array<f32>;
@group(0) @binding(2) var<storage, read> flags: array<u32>;
${u}
${LAYOUT}
${entry1d('i', 'p.n - p.j1')}
  if (flags[0] != 0u) { return; }
  let c = p.j1 + i;
  for (var j = p.j0; j < p.j1; j++) {
    let t = W[tauAt(j)];
    if (t != 0.0) { reflect(j * p.m, c * p.m, j, t); }
    R[j * p.n + c] = W[c * p.m + j];
  }
}`,
    dispatch: grid1d(n - j1),
    buffers: [r, work, flags],
    uniforms: [u32('m', m), u32('n', n), u32('j0', j0), u32('j1', j1)],
  };
}

/** Row i of Qᵀ: e_i with the reflectors applied from the last to the first (dorg2r), then into Q's column i. */
function formQ(q: GPUBuffer, work: GPUBuffer, flags: GPUBuffer, m: number, n: number): Program {
  return {
    name: 'qr-form-q',
    key: 'qr-form-q',
    code: (u) => /* wgsl */ `${REFLECT}
@group(0) @binding(0) var<storage, read_write> Q: array<f32>;
@group(0) @binding(1) var<storage, read_write> W: array<f32>;
@group(0) @binding(2) var<storage, read> flags: array<u32>;
${u}
${LAYOUT}
${entry1d('i', 'min(p.m, p.n)')}
  if (flags[0] != 0u) { return; }
  let k = min(p.m, p.n);
  let row = qtAt(i);
  for (var s = 0u; s < p.m; s++) { W[row + s] = select(0.0, 1.0, s == i); }
  for (var jj = 0u; jj < k; jj++) {
    let j = k - 1u - jj;
    let t = W[tauAt(j)];
    if (t != 0.0) { reflect(j * p.m, row, j, t); }
  }
  for (var s = 0u; s < p.m; s++) { Q[s * k + i] = W[row + s]; }
}`,
    dispatch: grid1d(Math.min(m, n)),
    buffers: [q, work, flags],
    uniforms: [u32('m', m), u32('n', n)],
  };
}

export async function qr(ctx: KernelContext, p: QrParams<WebGpuTensor>): Promise<number> {
  const { m, n } = p;
  const k = Math.min(m, n);
  const work = ctx.scratch((n * m + k + k * m) * 4, 0);
  const flags = ctx.writeScratch(new Uint32Array(2), 2);
  const programs = [start(p.a.buffer, p.r.buffer, work, flags, m, n)];
  for (let j0 = 0; j0 < k; j0 += NB) {
    const j1 = Math.min(j0 + NB, k);
    programs.push(panel(p.r.buffer, work, flags, m, n, j0, j1), update(p.r.buffer, work, flags, m, n, j0, j1));
  }
  programs.push(formQ(p.q.buffer, work, flags, m, n));
  await ctx.run(programs);
  return readStatus(ctx, flags);
}
