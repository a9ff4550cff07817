import type { CholeskyParams, LuParams, TrsmParams } from '@lowrank/core';
import { cdiv } from '../program.ts';
import type { WebGpuTensor } from '../tensor.ts';
import type { KernelContext } from './context.ts';
import { WGSL_MATH } from './wgsl-math.ts';

/**
 * Factorizations in one workgroup of 256 invocations that steps through the columns with storage
 * barriers (a workgroup is the only scope WGSL can synchronize inside one dispatch). Each step is
 * parallel over the trailing rows and columns, so the work per invocation is O(n³/256). The status
 * (as in @lowrank/core's params) is written to a one-element buffer and read back.
 */
const FINITE_CHECK = /* wgsl */ `
var<workgroup> badInput: atomic<u32>;
fn markIfNonFinite(x: f32) { if ((bitcast<u32>(x) & 0x7f800000u) == 0x7f800000u) { atomicStore(&badInput, 1u); } }`;

const CHOLESKY = /* wgsl */ `${WGSL_MATH}${FINITE_CHECK}
@group(0) @binding(0) var<storage, read> A: array<f32>;
@group(0) @binding(1) var<storage, read_write> L: array<f32>;
@group(0) @binding(2) var<storage, read_write> status: array<f32>;
struct Params { n: u32 }
@group(0) @binding(3) var<uniform> p: Params;
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
  await ctx.run([{ name: 'cholesky', key: 'cholesky', code: () => CHOLESKY, dispatch: [1, 1, 1], buffers: [p.a.buffer, p.l.buffer, status], uniforms: [{ type: 'u32', value: p.n }] }]);
  return p.n === 0 ? 0 : (await ctx.readScalars(status, 1))[0];
}

/** Zero-diagonal check (one invocation), then one invocation per right-hand side doing the substitution. */
const TRSM = /* wgsl */ `
@group(0) @binding(0) var<storage, read> T: array<f32>;
@group(0) @binding(1) var<storage, read_write> B: array<f32>;
@group(0) @binding(2) var<storage, read_write> status: array<f32>;
struct Params { n: u32, m: u32, lower: u32, trans: u32, unitDiag: u32, alpha: f32 }
@group(0) @binding(3) var<uniform> p: Params;
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
  await ctx.run([{
    name: 'trsm', key: 'trsm', code: () => TRSM, dispatch: [Math.max(1, cdiv(p.m, 64)), 1, 1], buffers: [p.t.buffer, p.b.buffer, status],
    uniforms: [{ type: 'u32', value: p.n }, { type: 'u32', value: p.m }, { type: 'u32', value: +p.lower }, { type: 'u32', value: +p.trans }, { type: 'u32', value: +p.unitDiag }, { type: 'f32', value: p.alpha }],
  }]);
  return (await ctx.readScalars(status, 1))[0];
}

/** getf2 in one workgroup: pivot by a tree arg-max (ties to the lower row, as on the CPU), swap, scale, update. */
const LU = /* wgsl */ `${WGSL_MATH}${FINITE_CHECK}
@group(0) @binding(0) var<storage, read> A: array<f32>;
@group(0) @binding(1) var<storage, read_write> LU: array<f32>;
@group(0) @binding(2) var<storage, read_write> piv: array<f32>;
@group(0) @binding(3) var<storage, read_write> status: array<f32>;
struct Params { m: u32, n: u32 }
@group(0) @binding(4) var<uniform> p: Params;
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
  await ctx.run([{ name: 'lu', key: 'lu', code: () => LU, dispatch: [1, 1, 1], buffers: [p.a.buffer, p.lu.buffer, p.piv.buffer, status], uniforms: [{ type: 'u32', value: p.m }, { type: 'u32', value: p.n }] }]);
  return (await ctx.readScalars(status, 1))[0];
}
