import type { SyevParams } from '@lowrank/core';
import { u32 } from '../program.ts';
import type { KernelContext } from '../kernel-context.ts';
import type { WebGpuTensor } from '../tensor.ts';
import { FINITE_CHECK, HOUSEHOLDER, DESCENDING_ORDER } from '../shared/factor-wgsl.ts';
import { WGSL_MATH } from '../shared/wgsl-math.ts';

/**
 * Symmetric eigendecomposition in one workgroup: Householder tridiagonalization (each step's p = τ·S·v
 * one invocation per row, the rank-2 update one invocation per row), Qᵀ accumulated backward one
 * invocation per column, then implicit QL with Wilkinson shifts: invocation 0 runs the scalar
 * recurrence of one QL iteration and records its plane rotations, and all invocations apply the chain
 * to their own columns of (Q·Z)ᵀ. Scratch: M (n×n: the matrix, then the reflectors by rows), Qᵀ (n×n),
 * p, d, e, τ, the rotations' c and s, and the sort order (n each).
 */
const SYEV = (uniforms: string) => /* wgsl */ `${WGSL_MATH}${FINITE_CHECK}${HOUSEHOLDER}${DESCENDING_ORDER}
@group(0) @binding(0) var<storage, read> A: array<f32>;
@group(0) @binding(1) var<storage, read_write> VALUES: array<f32>;
@group(0) @binding(2) var<storage, read_write> Z: array<f32>;
@group(0) @binding(3) var<storage, read_write> W: array<f32>;
@group(0) @binding(4) var<storage, read_write> status: array<f32>;
${uniforms}
// dsteqr's block scaling bounds for f32: √SAFMIN/ε² and √(1/SAFMIN)/3.
const SSFMIN: f32 = 3.1242e-2;
const SSFMAX: f32 = 7.5063e14;
var<workgroup> qlState: u32;
var<workgroup> chainLo: u32;
var<workgroup> chainHi: u32;
var<workgroup> flip: u32;
var<workgroup> flipTop: u32;
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
    // As dsteqr chooses QL or QR by which end of the block is larger, the block is reversed (an exact
    // permutation, applied to the vectors' rows too) when its top outweighs its bottom: QL deflates at the top
    // and stalls on a block graded from large at the top to tiny at the bottom (a Gram of a decaying spectrum).
    flip = 0u;
    if (abs(W[D + m]) < abs(W[D + ll])) {
      for (var k = 0u; ll + k < m - k; k++) {
        let a = W[D + ll + k]; W[D + ll + k] = W[D + m - k]; W[D + m - k] = a;
      }
      for (var k = 0u; ll + k < m - 1u - k; k++) {
        let a = W[E + ll + k]; W[E + ll + k] = W[E + m - 1u - k]; W[E + m - 1u - k] = a;
      }
      flip = 1u;
      flipTop = ll;
    }
    // As dsteqr, the unreduced block is scaled into [SSFMIN, SSFMAX] for the step (by a power of two: exact, and the
    // rotations do not depend on it): a block of tiny eigenvalues would otherwise underflow in its products and stall.
    var anorm = 0.0;
    for (var i = ll; i <= m; i++) { anorm = max(anorm, abs(W[D + i])); if (i < m) { anorm = max(anorm, abs(W[E + i])); } }
    var sigma = 1.0;
    if (anorm > 0.0 && anorm < SSFMIN) { sigma = exp2(floor(log2(SSFMIN / anorm))); }
    if (anorm > SSFMAX) { sigma = exp2(-ceil(log2(anorm / SSFMAX))); }
    for (var i = ll; i <= m; i++) { W[D + i] *= sigma; W[E + i] *= sigma; }
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
    for (var i = ll; i <= m; i++) { W[D + i] /= sigma; W[E + i] /= sigma; }
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
      if (workgroupUniformLoad(&flip) == 1u) {
        // The block [l, hi] was reversed before its rotations: the same permutation on the rows of (Q·Z)ᵀ.
        let top = workgroupUniformLoad(&flipTop);
        for (var t = li; t < n; t += 256u) {
          for (var k = 0u; top + k < hi - k; k++) {
            let a = W[Q + (top + k) * n + t]; W[Q + (top + k) * n + t] = W[Q + (hi - k) * n + t]; W[Q + (hi - k) * n + t] = a;
          }
        }
      }
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
  await ctx.run([
    {
      name: 'syev',
      key: 'syev',
      code: (u) => SYEV(u),
      dispatch: [1, 1, 1],
      buffers: [p.a.buffer, p.w.buffer, p.z.buffer, work, status],
      uniforms: [u32('n', p.n), u32('vectors', +p.vectors)],
    },
  ]);
  return p.n === 0 ? 0 : (await ctx.readScalars(status, 1))[0];
}
