import type { SvdParams } from '@lowrank/core';
import { u32, type Program } from '../program.ts';
import type { KernelContext } from '../kernel-context.ts';
import type { WebGpuTensor } from '../tensor.ts';
import { MARK_NON_FINITE } from '../shared/blocked-factor.ts';
import { grid1d, entry1d } from '../shared/grid.ts';
import { JACOBI_FLAGS, jacobiSweeps, rankOrder, ROUND_ROBIN } from '../shared/jacobi.ts';

/**
 * One-sided Jacobi SVD (Hestenes; Demmel and Veselić 1992) over many workgroups. W holds A's k rows (or
 * Aᵀ's, when A is tall) of length len; each step of a sweep rotates k/2 disjoint pairs of them (round-robin
 * tournament ordering, so a sweep of k − 1 steps meets every pair once), one workgroup per pair: 64
 * invocations sum the pair's three dot products in a fixed tree, invocation 0 decides the rotation, all
 * apply it to the pair's rows of W and of Vᵀ. A sweep without a rotation ends the iteration (shared/jacobi.ts
 * runs the sweeps in batches with one read-back each). Rows at the rounding level (‖w‖ ≤ len·ε·max‖w_i‖) take
 * no rotation and return σ = 0, as in the WASM kernel. Then the norms, their descending order by rank, and
 * the factors written, one invocation per entry.
 *
 * Scratch: W (k×len), Vᵀ (k×k), then the norms, the order and the sorted norms (k each).
 */
const layout = (k: number, len: number) => {
  const vt = k * len,
    norms = vt + k * k;
  return { vt, norms, order: norms + k, sorted: norms + 2 * k, words: norms + 3 * k };
};

/** W ← A (rows of W are A's columns when A is tall), Vᵀ ← I or the basis Zᵀ (SvdParams.basis), every value checked. */
function start(p: SvdParams<WebGpuTensor>, w: GPUBuffer, flags: GPUBuffer, k: number, len: number): Program {
  const basis = p.basis !== undefined;
  return {
    name: 'svd-start',
    key: `svd-start-${+basis}`,
    code: (u) => /* wgsl */ `
@group(0) @binding(0) var<storage, read> A: array<f32>;
@group(0) @binding(1) var<storage, read_write> W: array<f32>;
@group(0) @binding(2) var<storage, read_write> flags: array<atomic<u32>>;
${basis ? '@group(0) @binding(3) var<storage, read> Z: array<f32>;' : ''}
${u}
${MARK_NON_FINITE}
${entry1d('e', 'p.m * p.n + p.k * p.k')}
  if (e >= p.m * p.n) {
    let d = e - p.m * p.n;
    W[p.vt + d] = ${basis ? 'Z[(d % p.k) * p.k + d / p.k]' : 'select(0.0, 1.0, d / p.k == d % p.k)'};
    return;
  }
  let v = A[e];
  markNonFinite(v);
  let i = e / p.n; let j = e % p.n;
  if (p.m >= p.n) { W[j * p.len + i] = v; } else { W[i * p.len + j] = v; }
}`,
    dispatch: grid1d(p.m * p.n + k * k),
    buffers: [p.a.buffer, w, flags, ...(p.basis === undefined ? [] : [p.basis.buffer])],
    uniforms: [u32('m', p.m), u32('n', p.n), u32('k', k), u32('len', len), u32('vt', layout(k, len).vt)],
  };
}

/**
 * ‖w_i‖ of every row, one invocation per row. In a sweep (`final` false): the largest ‖w_i‖² into flags[LEVEL]
 * (non-negative f32s order as their bits), for the rounding level. After convergence: ‖w_i‖ into the norms, and
 * the largest into flags[LARGEST].
 */
function rowNorms(w: GPUBuffer, flags: GPUBuffer, k: number, len: number, final: boolean): Program {
  return {
    name: 'svd-row-norms',
    key: `svd-row-norms-${+final}`,
    code: (u) => /* wgsl */ `
@group(0) @binding(0) var<storage, read_write> W: array<f32>;
@group(0) @binding(1) var<storage, read_write> flags: array<atomic<u32>>;
${u}
${JACOBI_FLAGS}
${entry1d('i', 'p.k')}
  if (!${final ? 'converged' : 'sweeping'}()) { return; }
  var ss = 0.0;
  for (var t = 0u; t < p.len; t++) { let x = W[i * p.len + t]; ss += x * x; }
  ${
    final
      ? `W[p.norms + i] = sqrt(ss);
  atomicMax(&flags[LARGEST], bitcast<u32>(sqrt(ss)));`
      : 'atomicMax(&flags[LEVEL], bitcast<u32>(ss));'
  }
}`,
    dispatch: grid1d(k),
    buffers: [w, flags],
    uniforms: [u32('k', k), u32('len', len), u32('norms', layout(k, len).norms)],
  };
}

/** One step of a sweep: pair `wg.x` of the tournament's round `step`, on a workgroup of 64. */
function rotatePairs(w: GPUBuffer, flags: GPUBuffer, k: number, len: number, vectors: boolean, step: number): Program {
  const count = k + (k % 2);
  return {
    name: 'svd-rotate-pairs',
    key: `svd-rotate-pairs-${+vectors}`,
    code: (u) => /* wgsl */ `
@group(0) @binding(0) var<storage, read_write> W: array<f32>;
@group(0) @binding(1) var<storage, read_write> flags: array<atomic<u32>>;
${u}
${JACOBI_FLAGS}
${ROUND_ROBIN}
var<workgroup> dots: array<vec3<f32>, 64>;
var<workgroup> go: u32;
var<workgroup> cs: vec2<f32>;
@compute @workgroup_size(64)
fn main(@builtin(workgroup_id) wg: vec3u, @builtin(local_invocation_index) li: u32) {
  if (li == 0u) { go = select(0u, 1u, sweeping()); }
  if (workgroupUniformLoad(&go) == 0u) { return; }
  let a = player(wg.x, p.step, p.count); let b = player(p.count - 1u - wg.x, p.step, p.count);
  if (a >= p.k || b >= p.k) { return; }
  var d = vec3<f32>(0.0);
  for (var t = li; t < p.len; t += 64u) { let x = W[a * p.len + t]; let y = W[b * p.len + t]; d += vec3<f32>(x * x, y * y, x * y); }
  dots[li] = d;
  workgroupBarrier();
  for (var s = 32u; s > 0u; s = s >> 1u) { if (li < s) { dots[li] = dots[li] + dots[li + s]; } workgroupBarrier(); }
  if (li == 0u) {
    let alpha = dots[0].x; let beta = dots[0].y; let gamma = dots[0].z;
    let len = f32(p.len);
    // Rows at the rounding level are negligible: len·ε·max‖w_i‖ (flags[LEVEL] holds max‖w_i‖²).
    let negligible = len * 1.1920929e-7 * sqrt(bitcast<f32>(atomicLoad(&flags[LEVEL])));
    // Pairs are rotated until |cos| ≤ √len·ε (dgesvj's tolerance); len·ε let U lose orthogonality ∝ n.
    go = 0u;
    if (gamma != 0.0 && abs(gamma) > sqrt(len) * 1.1920929e-7 * sqrt(alpha * beta) && sqrt(min(alpha, beta)) > negligible) {
      let zeta = (beta - alpha) / (2.0 * gamma);
      let t = select(1.0, -1.0, zeta < 0.0) / (abs(zeta) + sqrt(1.0 + zeta * zeta));
      let c = 1.0 / sqrt(1.0 + t * t);
      cs = vec2<f32>(c, c * t);
      go = 1u;
      atomicStore(&flags[ROTATED], 1u);
    }
  }
  if (workgroupUniformLoad(&go) == 0u) { return; }
  let c = cs.x; let s = cs.y;
  for (var t = li; t < p.len; t += 64u) {
    let x = W[a * p.len + t]; let y = W[b * p.len + t];
    W[a * p.len + t] = c * x - s * y; W[b * p.len + t] = s * x + c * y;
  }
  ${
    vectors
      ? `for (var t = li; t < p.k; t += 64u) {
    let x = W[p.vt + a * p.k + t]; let y = W[p.vt + b * p.k + t];
    W[p.vt + a * p.k + t] = c * x - s * y; W[p.vt + b * p.k + t] = s * x + c * y;
  }`
      : ''
  }
}`,
    dispatch: [count / 2, 1, 1],
    buffers: [w, flags],
    uniforms: [u32('k', k), u32('len', len), u32('count', count), u32('step', step), u32('vt', layout(k, len).vt)],
  };
}

/** s, and U and V from W's rows in descending order of norm (rows scaled by 1/σ) and from Vᵀ. */
function writeFactors(p: SvdParams<WebGpuTensor>, w: GPUBuffer, flags: GPUBuffer, k: number, len: number): Program {
  const tall = p.m >= p.n;
  const l = layout(k, len);
  const entries = k + (p.vectors ? k * (len + k) : 0);
  return {
    name: 'svd-write-factors',
    key: `svd-write-factors-${+tall}`,
    code: (u) => /* wgsl */ `
@group(0) @binding(0) var<storage, read_write> U: array<f32>;
@group(0) @binding(1) var<storage, read_write> S: array<f32>;
@group(0) @binding(2) var<storage, read_write> V: array<f32>;
@group(0) @binding(3) var<storage, read> W: array<f32>;
@group(0) @binding(4) var<storage, read_write> flags: array<atomic<u32>>;
${u}
${JACOBI_FLAGS}
${entry1d('e', 'p.entries')}
  if (!converged()) { return; }
  if (e < p.k) { S[e] = W[p.sorted + e]; return; }
  // Entry (t, i) of the factor from W's rows (t < len: U's columns when tall, V's when wide), then from Vᵀ's (t < k).
  let left = e - p.k < p.k * p.len;
  let f = select(e - p.k - p.k * p.len, e - p.k, left);
  let rows = select(p.k, p.len, left);
  let i = f / rows; let t = f % rows;
  let src = u32(W[p.order + i]);
  let sigma = W[p.sorted + i];
  var x = 0.0;
  if (left) { x = select(W[src * p.len + t] / sigma, 0.0, sigma == 0.0); } else { x = W[p.vt + src * p.k + t]; }
  ${tall ? 'if (left) { U[t * p.k + i] = x; } else { V[t * p.k + i] = x; }' : 'if (left) { V[t * p.k + i] = x; } else { U[t * p.k + i] = x; }'}
}`,
    dispatch: grid1d(entries),
    buffers: [p.u.buffer, p.s.buffer, p.v.buffer, w, flags],
    uniforms: [
      u32('entries', entries),
      u32('k', k),
      u32('len', len),
      u32('vt', l.vt),
      u32('order', l.order),
      u32('sorted', l.sorted),
    ],
  };
}

export async function svd(ctx: KernelContext, p: SvdParams<WebGpuTensor>): Promise<number> {
  const k = Math.min(p.m, p.n),
    len = Math.max(p.m, p.n);
  if (k === 0) return 1;
  const l = layout(k, len);
  const w = ctx.scratch(l.words * 4, 0);
  const count = k + (k % 2);
  return jacobiSweeps(ctx, {
    maxSweeps: p.maxSweeps,
    start: (flags) => start(p, w, flags, k, len),
    sweep: (flags) => [
      rowNorms(w, flags, k, len, false),
      ...Array.from({ length: count - 1 }, (_, step) => rotatePairs(w, flags, k, len, p.vectors, step)),
    ],
    finish: (flags) => [
      rowNorms(w, flags, k, len, true),
      rankOrder(w, flags, k, { keys: l.norms, order: l.order, sorted: l.sorted, negligible: len }),
      writeFactors(p, w, flags, k, len),
    ],
  });
}
