import type { SvdParams } from '@lowrank/core';
import { u32 } from '../program.ts';
import type { KernelContext } from '../kernel-context.ts';
import type { WebGpuTensor } from '../tensor.ts';
import { FINITE_CHECK, DESCENDING_ORDER } from '../shared/factor-wgsl.ts';
import { WGSL_MATH } from '../shared/wgsl-math.ts';

/**
 * One-sided Jacobi SVD in one workgroup, in parallel: each step rotates N/2 disjoint pairs of rows of
 * W (round-robin tournament ordering, so a sweep of N − 1 steps meets every pair once), one
 * invocation per pair. A sweep without a rotation ends the iteration; rows at the rounding level
 * (‖w‖ ≤ len·ε·max‖w_i‖) take no rotation and return σ = 0, as in the WASM kernel. Then norms, a
 * selection sort by one invocation, and the factors written in parallel. Scratch layout: W (k×len), Vᵀ (k×k), norms, order.
 */
const SVD = (uniforms: string) => /* wgsl */ `${WGSL_MATH}${FINITE_CHECK}${DESCENDING_ORDER}
@group(0) @binding(0) var<storage, read> A: array<f32>;
@group(0) @binding(1) var<storage, read_write> U: array<f32>;
@group(0) @binding(2) var<storage, read_write> S: array<f32>;
@group(0) @binding(3) var<storage, read_write> V: array<f32>;
@group(0) @binding(4) var<storage, read_write> W: array<f32>;
@group(0) @binding(5) var<storage, read_write> status: array<f32>;
${uniforms}
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
  const k = Math.min(p.m, p.n),
    len = Math.max(p.m, p.n);
  const work = ctx.scratch((k * len + k * k + 2 * k) * 4, 0);
  const status = ctx.scratch(16, 1);
  await ctx.run([
    {
      name: 'svd',
      key: 'svd',
      code: (u) => SVD(u),
      dispatch: [1, 1, 1],
      buffers: [p.a.buffer, p.u.buffer, p.s.buffer, p.v.buffer, work, status],
      uniforms: [u32('m', p.m), u32('n', p.n), u32('maxSweeps', p.maxSweeps), u32('vectors', +p.vectors)],
    },
  ]);
  return k === 0 ? 1 : (await ctx.readScalars(status, 1))[0];
}
