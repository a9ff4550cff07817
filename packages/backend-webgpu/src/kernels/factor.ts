import type { CholeskyParams, LuParams, QrParams, SvdParams, TrsmParams } from '@lowrank/core';
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

/**
 * Householder QR in one workgroup on the transpose W (n×m, columns of A as rows): for each reflector
 * a tree reduction gives ‖x‖, invocation 0 forms β and τ, then the later columns are updated in
 * parallel (one invocation per column: a dot product and an axpy along its row). Q's rows are then
 * built in parallel by applying the reflectors from the right. W, τ and Qᵀ live in one f32 scratch.
 */
const QR = /* wgsl */ `${WGSL_MATH}${FINITE_CHECK}
@group(0) @binding(0) var<storage, read> A: array<f32>;
@group(0) @binding(1) var<storage, read_write> Q: array<f32>;
@group(0) @binding(2) var<storage, read_write> R: array<f32>;
@group(0) @binding(3) var<storage, read_write> W: array<f32>;
@group(0) @binding(4) var<storage, read_write> status: array<f32>;
struct Params { m: u32, n: u32 }
@group(0) @binding(5) var<uniform> p: Params;
var<workgroup> partial: array<f32, 256>;
var<workgroup> tauShared: f32;
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
    // ‖x[j+1:]‖ by a scaled tree reduction: max first, then the sum of squares of x/max.
    var big = 0.0;
    for (var i = j + 1u + li; i < m; i += 256u) { big = max(big, abs(W[x + i])); }
    partial[li] = big;
    workgroupBarrier();
    for (var s = 128u; s > 0u; s = s >> 1u) { if (li < s) { partial[li] = max(partial[li], partial[li + s]); } workgroupBarrier(); }
    let scale = workgroupUniformLoad(&partial[0]);
    var ss = 0.0;
    if (scale > 0.0) { for (var i = j + 1u + li; i < m; i += 256u) { let v = W[x + i] / scale; ss = ss + v * v; } }
    workgroupBarrier();
    partial[li] = ss;
    workgroupBarrier();
    for (var s = 128u; s > 0u; s = s >> 1u) { if (li < s) { partial[li] = partial[li] + partial[li + s]; } workgroupBarrier(); }
    let xnorm = scale * sqrt(workgroupUniformLoad(&partial[0]));
    let alpha = W[x + j];
    var t = 0.0;
    var beta = alpha;
    if (xnorm > 0.0) {
      beta = -select(1.0, -1.0, alpha < 0.0) * sqrt(alpha * alpha + xnorm * xnorm);
      t = (beta - alpha) / beta;
      let inv = 1.0 / (alpha - beta);
      for (var i = j + 1u + li; i < m; i += 256u) { W[x + i] = W[x + i] * inv; }
    }
    storageBarrier();
    if (li == 0u) { W[x + j] = 1.0; W[tauBase + j] = t; R[j * n + j] = beta; }
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
  await ctx.run([{ name: 'qr', key: 'qr', code: () => QR, dispatch: [1, 1, 1], buffers: [p.a.buffer, p.q.buffer, p.r.buffer, work, status], uniforms: [{ type: 'u32', value: p.m }, { type: 'u32', value: p.n }] }]);
  return p.m * p.n === 0 ? 0 : (await ctx.readScalars(status, 1))[0];
}

/**
 * One-sided Jacobi SVD in one workgroup, in parallel: each step rotates N/2 disjoint pairs of rows of
 * W (round-robin tournament ordering, so a sweep of N − 1 steps meets every pair once), one
 * invocation per pair. A sweep without a rotation ends the iteration. Then norms, a selection sort by
 * one invocation, and the factors written in parallel. Scratch layout: W (k×len), Vᵀ (k×k), norms, order.
 */
const SVD = /* wgsl */ `${WGSL_MATH}${FINITE_CHECK}
@group(0) @binding(0) var<storage, read> A: array<f32>;
@group(0) @binding(1) var<storage, read_write> U: array<f32>;
@group(0) @binding(2) var<storage, read_write> S: array<f32>;
@group(0) @binding(3) var<storage, read_write> V: array<f32>;
@group(0) @binding(4) var<storage, read_write> W: array<f32>;
@group(0) @binding(5) var<storage, read_write> status: array<f32>;
struct Params { m: u32, n: u32, maxSweeps: u32, vectors: u32 }
@group(0) @binding(6) var<uniform> p: Params;
var<workgroup> rotated: atomic<u32>;
var<workgroup> anyRotation: u32;
fn player(pos: u32, step: u32, count: u32) -> u32 {
  if (pos == 0u) { return 0u; }
  return (pos - 1u + step) % (count - 1u) + 1u;
}
@compute @workgroup_size(256)
fn main(@builtin(local_invocation_index) li: u32) {
  let m = p.m; let n = p.n;
  let tall = m >= n;
  let k = min(m, n); let len = max(m, n);
  let vtBase = k * len; let normBase = vtBase + k * k; let orderBase = normBase + k;
  for (var e = li; e < m * n; e += 256u) {
    let v = A[e]; markIfNonFinite(v);
    let i = e / n; let j = e % n;
    if (tall) { W[j * len + i] = v; } else { W[i * len + j] = v; }
  }
  for (var e = li; e < k * k; e += 256u) { W[vtBase + e] = select(0.0, 1.0, e / k == e % k); }
  storageBarrier();
  if (workgroupUniformLoad(&badInput) != 0u) { if (li == 0u) { status[0] = -1.0; } return; }
  let count = k + (k % 2u);
  let tol = f32(len) * 1.1920929e-7;
  var sweeps = 0u;
  loop {
    if (sweeps == p.maxSweeps) { if (li == 0u) { status[0] = -2.0; } return; }
    sweeps++;
    if (li == 0u) { atomicStore(&rotated, 0u); }
    workgroupBarrier();
    for (var step = 0u; step + 1u < count; step++) {
      for (var pair = li; pair < count / 2u; pair += 256u) {
        let a = player(pair, step, count); let b = player(count - 1u - pair, step, count);
        if (a >= k || b >= k) { continue; }
        var alpha = 0.0; var beta = 0.0; var gamma = 0.0;
        for (var t = 0u; t < len; t++) { let x = W[a * len + t]; let y = W[b * len + t]; alpha += x * x; beta += y * y; gamma += x * y; }
        if (gamma == 0.0 || abs(gamma) <= tol * sqrt(alpha * beta)) { continue; }
        atomicStore(&rotated, 1u);
        let zeta = (beta - alpha) / (2.0 * gamma);
        let tt = select(1.0, -1.0, zeta < 0.0) / (abs(zeta) + sqrt(1.0 + zeta * zeta));
        let c = 1.0 / sqrt(1.0 + tt * tt); let s = c * tt;
        for (var t = 0u; t < len; t++) {
          let x = W[a * len + t]; let y = W[b * len + t];
          W[a * len + t] = c * x - s * y; W[b * len + t] = s * x + c * y;
        }
        for (var t = 0u; t < select(0u, k, p.vectors == 1u); t++) {
          let x = W[vtBase + a * k + t]; let y = W[vtBase + b * k + t];
          W[vtBase + a * k + t] = c * x - s * y; W[vtBase + b * k + t] = s * x + c * y;
        }
      }
      storageBarrier();
    }
    if (li == 0u) { anyRotation = atomicLoad(&rotated); }
    if (workgroupUniformLoad(&anyRotation) == 0u) { break; }
  }
  for (var i = li; i < k; i += 256u) {
    var ss = 0.0;
    for (var t = 0u; t < len; t++) { let x = W[i * len + t]; ss += x * x; }
    W[normBase + i] = sqrt(ss);
  }
  storageBarrier();
  if (li == 0u) {
    for (var i = 0u; i < k; i++) { W[orderBase + i] = f32(i); }
    for (var i = 0u; i < k; i++) {
      var best = i;
      for (var j = i + 1u; j < k; j++) { if (W[normBase + u32(W[orderBase + j])] > W[normBase + u32(W[orderBase + best])]) { best = j; } }
      let tmp = W[orderBase + i]; W[orderBase + i] = W[orderBase + best]; W[orderBase + best] = tmp;
    }
    status[0] = f32(sweeps);
  }
  storageBarrier();
  let lRows = select(n, m, tall); let rRows = select(m, n, tall);
  for (var i = li; i < k; i += 256u) {
    let src = u32(W[orderBase + i]);
    let norm = W[normBase + src];
    S[i] = norm;
    if (p.vectors == 0u) { continue; }
    let inv = select(1.0 / norm, 0.0, norm == 0.0);
    for (var t = 0u; t < lRows; t++) {
      let x = W[src * len + t] * inv;
      if (tall) { U[t * k + i] = x; } else { V[t * k + i] = x; }
    }
    for (var t = 0u; t < rRows; t++) {
      let x = W[vtBase + src * k + t];
      if (tall) { V[t * k + i] = x; } else { U[t * k + i] = x; }
    }
  }
}`;

export async function svd(ctx: KernelContext, p: SvdParams<WebGpuTensor>): Promise<number> {
  const k = Math.min(p.m, p.n), len = Math.max(p.m, p.n);
  const work = ctx.scratch((k * len + k * k + 2 * k) * 4, 0);
  const status = ctx.scratch(16, 1);
  await ctx.run([{
    name: 'svd', key: 'svd', code: () => SVD, dispatch: [1, 1, 1], buffers: [p.a.buffer, p.u.buffer, p.s.buffer, p.v.buffer, work, status],
    uniforms: [{ type: 'u32', value: p.m }, { type: 'u32', value: p.n }, { type: 'u32', value: p.maxSweeps }, { type: 'u32', value: +p.vectors }],
  }]);
  return k === 0 ? 1 : (await ctx.readScalars(status, 1))[0];
}
