import type { CholeskyParams, LuParams, QrParams, SvdParams, SyevParams, TrsmParams } from '@lowrank/core';
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

/**
 * Workgroup reductions over a 256-slot scratch: every invocation passes its partial value and gets the
 * total (a barrier first, so an earlier reduction's result has been read by all). `scaledNorm` is
 * ‖W[x + first .. x + end)‖ without overflow or underflow: max first, then the sum of squares of x/max;
 * `householder` the reflector QR and the tridiagonalization share.
 */
const HOUSEHOLDER = /* wgsl */ `
var<workgroup> partial: array<f32, 256>;
fn workgroupSum(v: f32, li: u32) -> f32 {
  workgroupBarrier();
  partial[li] = v;
  workgroupBarrier();
  for (var s = 128u; s > 0u; s = s >> 1u) { if (li < s) { partial[li] = partial[li] + partial[li + s]; } workgroupBarrier(); }
  return workgroupUniformLoad(&partial[0]);
}
fn scaledNorm(x: u32, first: u32, end: u32, li: u32) -> f32 {
  var big = 0.0;
  for (var i = first + li; i < end; i += 256u) { big = max(big, abs(W[x + i])); }
  workgroupBarrier();
  partial[li] = big;
  workgroupBarrier();
  for (var s = 128u; s > 0u; s = s >> 1u) { if (li < s) { partial[li] = max(partial[li], partial[li + s]); } workgroupBarrier(); }
  let scale = workgroupUniformLoad(&partial[0]);
  var ss = 0.0;
  // WGSL lets an implementation flush subnormals to zero (lavapipe does, in some operations and not
  // others): a vector whose largest entry is subnormal counts as zero, so no reflector is built from
  // values the arithmetic may treat inconsistently. The error is below f32's smallest normal, 1.2e-38.
  if (scale >= 1.1754944e-38) { for (var i = first + li; i < end; i += 256u) { let v = W[x + i] / scale; ss = ss + v * v; } }
  return select(0.0, scale * sqrt(workgroupSum(ss, li)), scale >= 1.1754944e-38);
}
// √(a² + b²) without overflow or underflow of the squares.
fn hyp(a: f32, b: f32) -> f32 {
  let m = max(abs(a), abs(b));
  if (m == 0.0) { return 0.0; }
  let x = a / m; let y = b / m;
  return m * sqrt(x * x + y * y);
}
// LAPACK's safe minimum for f32, dlamch('S')/dlamch('E'): its reciprocal does not overflow.
const SAFMIN: f32 = 1.9721523e-31;
// LAPACK dlarfg on W[x + first .. x + end): β = −sign(α)·‖x‖, the tail scaled into v and v₀ = 1 written
// (by invocation 0; the caller's next storage barrier publishes it); returns (τ, β), τ = 0 when the tail is 0.
// When |β| < SAFMIN, 1/(α − β) would overflow: as dlarfg does, α, x and β are scaled up (here by one power
// of two f, exact, computed rather than looped so no barrier sits in a branch), and β scaled back.
fn householder(x: u32, first: u32, end: u32, li: u32) -> vec2<f32> {
  let xnorm = scaledNorm(x, first + 1u, end, li);
  var alpha = W[x + first];
  var t = 0.0;
  var beta = alpha;
  if (xnorm > 0.0) {
    let sign = select(1.0, -1.0, alpha < 0.0);
    beta = -sign * hyp(alpha, xnorm);
    var f = 1.0;
    if (abs(beta) < SAFMIN) {
      f = exp2(ceil(log2(SAFMIN / abs(beta))));
      alpha = alpha * f;
      beta = -sign * hyp(alpha, xnorm * f);
    }
    t = (beta - alpha) / beta;
    let inv = 1.0 / (alpha - beta);
    for (var i = first + 1u + li; i < end; i += 256u) { W[x + i] = (W[x + i] * f) * inv; }
    beta = beta / f;
  }
  storageBarrier();
  if (li == 0u) { W[x + first] = 1.0; }
  return vec2<f32>(t, beta);
}`;

/** W[order..+count) ← the indices of W[keys..+count) by descending key (selection sort, one invocation). */
const DESCENDING_ORDER = /* wgsl */ `
fn descendingOrder(keys: u32, order: u32, count: u32) {
  for (var i = 0u; i < count; i++) { W[order + i] = f32(i); }
  for (var i = 0u; i < count; i++) {
    var best = i;
    for (var j = i + 1u; j < count; j++) { if (W[keys + u32(W[order + j])] > W[keys + u32(W[order + best])]) { best = j; } }
    let tmp = W[order + i]; W[order + i] = W[order + best]; W[order + best] = tmp;
  }
}`;

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
const QR = /* wgsl */ `${WGSL_MATH}${FINITE_CHECK}${HOUSEHOLDER}
@group(0) @binding(0) var<storage, read> A: array<f32>;
@group(0) @binding(1) var<storage, read_write> Q: array<f32>;
@group(0) @binding(2) var<storage, read_write> R: array<f32>;
@group(0) @binding(3) var<storage, read_write> W: array<f32>;
@group(0) @binding(4) var<storage, read_write> status: array<f32>;
struct Params { m: u32, n: u32 }
@group(0) @binding(5) var<uniform> p: Params;
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
  await ctx.run([{ name: 'qr', key: 'qr', code: () => QR, dispatch: [1, 1, 1], buffers: [p.a.buffer, p.q.buffer, p.r.buffer, work, status], uniforms: [{ type: 'u32', value: p.m }, { type: 'u32', value: p.n }] }]);
  return p.m * p.n === 0 ? 0 : (await ctx.readScalars(status, 1))[0];
}

/**
 * One-sided Jacobi SVD in one workgroup, in parallel: each step rotates N/2 disjoint pairs of rows of
 * W (round-robin tournament ordering, so a sweep of N − 1 steps meets every pair once), one
 * invocation per pair. A sweep without a rotation ends the iteration; rows at the rounding level
 * (‖w‖ ≤ len·ε·max‖w_i‖) take no rotation and return σ = 0, as in the WASM kernel. Then norms, a
 * selection sort by one invocation, and the factors written in parallel. Scratch layout: W (k×len), Vᵀ (k×k), norms, order.
 */
const SVD = /* wgsl */ `${WGSL_MATH}${FINITE_CHECK}${DESCENDING_ORDER}
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
var<workgroup> negligibleLevel: f32;
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
  // Pairs are rotated until |cos| ≤ √len·ε (dgesvj's tolerance); len·ε let U lose orthogonality ∝ n.
  let orthTol = sqrt(f32(len)) * 1.1920929e-7;
  var sweeps = 0u;
  loop {
    if (sweeps == p.maxSweeps) { if (li == 0u) { status[0] = -2.0; } return; }
    sweeps++;
    if (li == 0u) { atomicStore(&rotated, 0u); }
    // Rows at the rounding level, ‖w‖ ≤ len·ε·max‖w_i‖, are negligible: no rotation involves them.
    for (var i = li; i < k; i += 256u) {
      var ss = 0.0;
      for (var t = 0u; t < len; t++) { let x = W[i * len + t]; ss += x * x; }
      W[normBase + i] = ss;
    }
    storageBarrier();
    if (li == 0u) {
      var big = 0.0;
      for (var i = 0u; i < k; i++) { big = max(big, W[normBase + i]); }
      negligibleLevel = tol * sqrt(big);
    }
    let negligible = workgroupUniformLoad(&negligibleLevel);
    for (var step = 0u; step + 1u < count; step++) {
      for (var pair = li; pair < count / 2u; pair += 256u) {
        let a = player(pair, step, count); let b = player(count - 1u - pair, step, count);
        if (a >= k || b >= k) { continue; }
        var alpha = 0.0; var beta = 0.0; var gamma = 0.0;
        for (var t = 0u; t < len; t++) { let x = W[a * len + t]; let y = W[b * len + t]; alpha += x * x; beta += y * y; gamma += x * y; }
        if (gamma == 0.0 || abs(gamma) <= orthTol * sqrt(alpha * beta) || sqrt(min(alpha, beta)) <= negligible) { continue; }
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
    var largest = 0.0;
    for (var i = 0u; i < k; i++) { largest = max(largest, W[normBase + i]); }
    for (var i = 0u; i < k; i++) { if (W[normBase + i] <= tol * largest) { W[normBase + i] = 0.0; } } // completed by ops.svd
    descendingOrder(normBase, orderBase, k);
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

/**
 * Symmetric eigendecomposition in one workgroup: Householder tridiagonalization (each step's p = τ·S·v
 * one invocation per row, the rank-2 update one invocation per row), Qᵀ accumulated backward one
 * invocation per column, then implicit QL with Wilkinson shifts: invocation 0 runs the scalar
 * recurrence of one QL iteration and records its plane rotations, and all invocations apply the chain
 * to their own columns of (Q·Z)ᵀ. Scratch: M (n×n: the matrix, then the reflectors by rows), Qᵀ (n×n),
 * p, d, e, τ, the rotations' c and s, and the sort order (n each).
 */
const SYEV = /* wgsl */ `${WGSL_MATH}${FINITE_CHECK}${HOUSEHOLDER}${DESCENDING_ORDER}
@group(0) @binding(0) var<storage, read> A: array<f32>;
@group(0) @binding(1) var<storage, read_write> VALUES: array<f32>;
@group(0) @binding(2) var<storage, read_write> Z: array<f32>;
@group(0) @binding(3) var<storage, read_write> W: array<f32>;
@group(0) @binding(4) var<storage, read_write> status: array<f32>;
struct Params { n: u32, vectors: u32 }
@group(0) @binding(5) var<uniform> p: Params;
var<workgroup> qlState: u32;
var<workgroup> chainLo: u32;
var<workgroup> chainHi: u32;
// One implicit QL iteration (Numerical Recipes tqli) on d = W[D..], e = W[E..] for the first block
// [l, m] that has not deflated; its rotations go to W[CS..], W[SN..] and chainLo..chainHi.
// Returns 1 after an iteration, 0 when every eigenvalue has converged, 3 past 30·n iterations.
fn qlIteration(l: ptr<function, u32>, iterations: ptr<function, u32>, n: u32, D: u32, E: u32, CS: u32, SN: u32) -> u32 {
  // A while loop rather than loop { } with returns inside: naga (Deno's wgpu) rejects a function that
  // ends in a loop, and Dawn warns of an unreachable return after one.
  while (*l < n) {
    var m = *l;
    // As dsteqr, also below the safe minimum: ε·(|d_m| + |d_{m+1}|) underflows for tiny eigenvalues.
    for (; m + 1u < n; m++) { if (abs(W[E + m]) <= 1.1920929e-7 * (abs(W[D + m]) + abs(W[D + m + 1u])) || abs(W[E + m]) <= SAFMIN) { break; } }
    if (m == *l) { *l = *l + 1u; continue; }
    *iterations = *iterations + 1u;
    if (*iterations > 30u * n) { return 3u; }
    let ll = *l;
    var g = (W[D + ll + 1u] - W[D + ll]) / (2.0 * W[E + ll]);
    var r = hyp(g, 1.0);
    g = W[D + m] - W[D + ll] + W[E + ll] / (g + select(-r, r, g >= 0.0));
    var s = 1.0; var c = 1.0; var pp = 0.0;
    var lo = ll;
    var broke = false;
    for (var i = i32(m) - 1; i >= i32(ll); i--) {
      let iu = u32(i);
      let f = s * W[E + iu]; let b = c * W[E + iu];
      r = hyp(f, g);
      W[E + iu + 1u] = r;
      if (r == 0.0) { W[D + iu + 1u] -= pp; W[E + m] = 0.0; lo = iu + 1u; broke = true; break; }
      s = f / r; c = g / r;
      g = W[D + iu + 1u] - pp;
      r = (W[D + iu] - g) * s + 2.0 * c * b;
      pp = s * r;
      W[D + iu + 1u] = g + pp;
      g = c * r - b;
      W[CS + iu] = c; W[SN + iu] = s;
    }
    if (!broke) { W[D + ll] -= pp; W[E + ll] = g; W[E + m] = 0.0; }
    chainLo = lo; chainHi = m;
    return 1u;
  }
  return 0u;
}
@compute @workgroup_size(256)
fn main(@builtin(local_invocation_index) li: u32) {
  let n = p.n;
  let Q = n * n; let PV = 2u * n * n; let D = PV + n; let E = D + n; let TAU = E + n; let CS = TAU + n; let SN = CS + n; let ORDER = SN + n;
  for (var e = li; e < n * n; e += 256u) {
    let i = e / n; let j = e % n;
    if (j <= i) { let v = A[e]; markIfNonFinite(v); W[i * n + j] = v; W[j * n + i] = v; }
  }
  for (var i = li; i < n; i += 256u) { W[E + i] = 0.0; }
  storageBarrier();
  if (workgroupUniformLoad(&badInput) != 0u) { if (li == 0u) { status[0] = -1.0; } return; }
  for (var j = 0u; j + 2u < n; j++) {
    let x = j * n; let v0 = x + j + 1u; let len = n - j - 1u;
    let h = householder(x, j + 1u, n, li);
    let t = h.x;
    if (li == 0u) { W[TAU + j] = t; W[E + j] = h.y; }
    storageBarrier();
    // p = τ·S·v (t = 0 leaves p = 0 and S unchanged), then w = p − (τ/2)(pᵀv)·v, S ← S − v·wᵀ − w·vᵀ.
    var acc = 0.0;
    for (var i = li; i < len; i += 256u) {
      let row = (j + 1u + i) * n + j + 1u;
      var s = 0.0;
      for (var c = 0u; c < len; c++) { s += W[row + c] * W[v0 + c]; }
      W[PV + i] = t * s;
      acc += t * s * W[v0 + i];
    }
    let pv2 = workgroupSum(acc, li);
    for (var i = li; i < len; i += 256u) { W[PV + i] = W[PV + i] - 0.5 * t * pv2 * W[v0 + i]; }
    storageBarrier();
    for (var i = li; i < len; i += 256u) {
      let row = (j + 1u + i) * n + j + 1u;
      let vi = W[v0 + i]; let wi = W[PV + i];
      for (var c = 0u; c < len; c++) { W[row + c] = W[row + c] - (vi * W[PV + c] + wi * W[v0 + c]); }
    }
    storageBarrier();
  }
  for (var i = li; i < n; i += 256u) { W[D + i] = W[i * n + i]; }
  if (li == 0u && n >= 2u) { W[E + n - 2u] = W[(n - 2u) * n + n - 1u]; }
  if (p.vectors == 1u) {
    for (var e = li; e < n * n; e += 256u) { W[Q + e] = select(0.0, 1.0, e / n == e % n); }
    storageBarrier();
    for (var jj = 2u; jj < n; jj++) {
      let j = n - 1u - jj; // n − 3 down to 0
      let t = W[TAU + j]; let v0 = j * n + j + 1u; let len = n - j - 1u;
      for (var c = li; c < len; c += 256u) {
        var s = 0.0;
        for (var i = 0u; i < len; i++) { s += W[v0 + i] * W[Q + (j + 1u + i) * n + j + 1u + c]; }
        let f = t * s;
        for (var i = 0u; i < len; i++) { let at = Q + (j + 1u + i) * n + j + 1u + c; W[at] = W[at] - f * W[v0 + i]; }
      }
      storageBarrier();
    }
    for (var e = li; e < n * n; e += 256u) {
      let i = e / n; let j = e % n;
      if (i < j) { let tmp = W[Q + e]; W[Q + e] = W[Q + j * n + i]; W[Q + j * n + i] = tmp; }
    }
  }
  storageBarrier();
  var l = 0u;
  var iterations = 0u;
  loop {
    if (li == 0u) { qlState = qlIteration(&l, &iterations, n, D, E, CS, SN); }
    let state = workgroupUniformLoad(&qlState);
    if (state != 1u) { break; }
    if (p.vectors == 1u) {
      let lo = workgroupUniformLoad(&chainLo); let hi = workgroupUniformLoad(&chainHi);
      for (var t = li; t < n; t += 256u) {
        var y = W[Q + hi * n + t];
        for (var i = hi; i > lo; i--) {
          let x = W[Q + (i - 1u) * n + t]; let c = W[CS + i - 1u]; let s = W[SN + i - 1u];
          W[Q + i * n + t] = s * x + c * y;
          y = c * x - s * y;
        }
        W[Q + lo * n + t] = y;
      }
    }
    storageBarrier();
  }
  if (workgroupUniformLoad(&qlState) == 3u) { if (li == 0u) { status[0] = -2.0; } return; }
  if (li == 0u) {
    descendingOrder(D, ORDER, n);
    status[0] = f32(iterations);
  }
  storageBarrier();
  for (var i = li; i < n; i += 256u) {
    let src = u32(W[ORDER + i]);
    VALUES[i] = W[D + src];
    if (p.vectors == 1u) { for (var t = 0u; t < n; t++) { Z[t * n + i] = W[Q + src * n + t]; } }
  }
}`;

export async function syev(ctx: KernelContext, p: SyevParams<WebGpuTensor>): Promise<number> {
  const work = ctx.scratch((2 * p.n * p.n + 7 * p.n) * 4, 0);
  const status = ctx.scratch(16, 1);
  await ctx.run([{
    name: 'syev', key: 'syev', code: () => SYEV, dispatch: [1, 1, 1], buffers: [p.a.buffer, p.w.buffer, p.z.buffer, work, status],
    uniforms: [{ type: 'u32', value: p.n }, { type: 'u32', value: +p.vectors }],
  }]);
  return p.n === 0 ? 0 : (await ctx.readScalars(status, 1))[0];
}
