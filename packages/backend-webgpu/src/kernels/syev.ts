import type { SyevParams } from '@lowrank/core';
import { u32, type Program, type Uniform } from '../program.ts';
import type { KernelContext } from '../kernel-context.ts';
import type { WebGpuTensor } from '../tensor.ts';
import { MARK_NON_FINITE } from '../shared/blocked-factor.ts';
import { HOUSEHOLDER } from '../shared/factor-wgsl.ts';
import { entry1d, grid1d } from '../shared/grid.ts';
import { FLAG_WORDS, JACOBI_FLAGS, MAX_PASSES, rankOrder, runChunked } from '../shared/jacobi.ts';

/**
 * Symmetric eigendecomposition (LAPACK dsytrd + dsteqr) as passes of command buffers over many workgroups:
 * per column j of the Householder tridiagonalization, the reflector on one workgroup, p = τ·S·v on a workgroup
 * per row, w = p − (τ/2)(pᵀv)·v on one, and the rank-2 update S ← S − v·wᵀ − w·vᵀ on an invocation per entry;
 * Qᵀ accumulated backward, an invocation per column per reflector. Then implicit QL with Wilkinson shifts: one
 * invocation runs the scalar recurrence of an iteration and records its plane rotations, and the next pass
 * applies the chain to the rows of (Q·Z)ᵀ, an invocation per column. The iteration count is known only on the
 * GPU: iterations are encoded in batches (one read-back each) and the passes after convergence return at once.
 * Without vectors, QL runs whole in one pass. The flags are shared/jacobi.ts's (NON_FINITE, STATE: 1 converged,
 * 2 past 30·n iterations), so its rank order sorts the values; the QL state lives in words QL_L onward.
 *
 * Scratch: M (n×n: the matrix, then the reflectors by rows), Qᵀ (n×n), then p, d, e, τ, the rotations' c and
 * s, the order and the sorted values (n each).
 */
const layout = (n: number) => {
  const at = (k: number) => 2 * n * n + k * n;
  return {
    q: n * n,
    pv: at(0),
    d: at(1),
    e: at(2),
    tau: at(3),
    cs: at(4),
    sn: at(5),
    order: at(6),
    sorted: at(7),
    words: at(8),
  };
};

/** Words of the QL state after the Jacobi flags: l, iterations, the chain [lo, hi] and its reversal. */
const QL_STATE = /* wgsl */ `
const QL_L = 8u; const QL_ITERATIONS = 9u; const CHAIN = 10u; const CHAIN_LO = 11u; const CHAIN_HI = 12u; const FLIP = 13u; const FLIP_TOP = 14u;`;
const QL_FLAG_WORDS = 16;

/**
 * Flags as plain words (the QL pass writes them from one invocation): `running()` while the iteration goes on;
 * `runningHere(li)`, the same as a workgroup-uniform value, in passes with barriers.
 */
const RUNNING = /* wgsl */ `${FLAG_WORDS}
fn running() -> bool { return flags[NON_FINITE] == 0u && flags[STATE] == 0u; }
var<workgroup> go: u32;
fn runningHere(li: u32) -> bool {
  if (li == 0u) { go = select(0u, 1u, running()); }
  return workgroupUniformLoad(&go) != 0u;
}`;

/** A pass over W and the flags as plain words: `body` after their bindings, the uniforms, `pieces` and RUNNING. */
function wPass(
  name: string,
  w: GPUBuffer,
  flags: GPUBuffer,
  body: string,
  dispatch: Program['dispatch'],
  uniforms: Uniform[],
  pieces: string[] = [],
): Program {
  return {
    name: `syev-${name}`,
    key: `syev-${name}`,
    code: (u) => /* wgsl */ `
@group(0) @binding(0) var<storage, read_write> W: array<f32>;
@group(0) @binding(1) var<storage, read_write> flags: array<u32>;
${u}
${pieces.join('\n')}
${RUNNING}
${body}`,
    dispatch,
    buffers: [w, flags],
    uniforms,
  };
}

/** M ← A's lower triangle mirrored, Qᵀ ← I, e ← 0, every value checked. */
function start(p: SyevParams<WebGpuTensor>, w: GPUBuffer, flags: GPUBuffer): Program {
  const l = layout(p.n);
  return {
    name: 'syev-start',
    key: 'syev-start',
    code: (u) => /* wgsl */ `
@group(0) @binding(0) var<storage, read> A: array<f32>;
@group(0) @binding(1) var<storage, read_write> W: array<f32>;
@group(0) @binding(2) var<storage, read_write> flags: array<atomic<u32>>;
${u}
${MARK_NON_FINITE}
${entry1d('e', 'p.n * p.n')}
  let i = e / p.n; let j = e % p.n;
  if (j <= i) { let v = A[e]; markNonFinite(v); W[i * p.n + j] = v; W[j * p.n + i] = v; }
  W[p.q + e] = select(0.0, 1.0, i == j);
  if (e < p.n) { W[p.e + e] = 0.0; }
}`,
    dispatch: grid1d(p.n * p.n),
    buffers: [p.a.buffer, w, flags],
    uniforms: [u32('n', p.n), u32('q', l.q), u32('e', l.e)],
  };
}

/** The reflector of column j (row j of M) below the subdiagonal: v in place, τ_j, and e_j = β. */
function reflector(w: GPUBuffer, flags: GPUBuffer, n: number, j: number): Program {
  const l = layout(n);
  return wPass(
    'reflector',
    w,
    flags,
    /* wgsl */ `@compute @workgroup_size(256)
fn main(@builtin(local_invocation_index) li: u32) {
  if (!runningHere(li)) { return; }
  let h = householder(p.j * p.n, p.j + 1u, p.n, li);
  if (li == 0u) { W[p.tau + p.j] = h.x; W[p.e + p.j] = h.y; }
}`,
    [1, 1, 1],
    [u32('n', n), u32('j', j), u32('tau', l.tau), u32('e', l.e)],
    [HOUSEHOLDER],
  );
}

/** p_i = τ·(S·v)_i for row i of the trailing block S (a workgroup of 64 per row, a fixed summation tree). */
function symv(w: GPUBuffer, flags: GPUBuffer, n: number, j: number): Program {
  const l = layout(n);
  return wPass(
    'symv',
    w,
    flags,
    /* wgsl */ `var<workgroup> sums: array<f32, 64>;
@compute @workgroup_size(64)
fn main(@builtin(workgroup_id) wg: vec3u, @builtin(local_invocation_index) li: u32) {
  if (!runningHere(li)) { return; }
  let len = p.n - p.j - 1u;
  let row = (p.j + 1u + wg.x) * p.n + p.j + 1u; let v0 = p.j * p.n + p.j + 1u;
  var s = 0.0;
  for (var c = li; c < len; c += 64u) { s += W[row + c] * W[v0 + c]; }
  sums[li] = s;
  workgroupBarrier();
  for (var h = 32u; h > 0u; h = h >> 1u) { if (li < h) { sums[li] = sums[li] + sums[li + h]; } workgroupBarrier(); }
  if (li == 0u) { W[p.pv + wg.x] = W[p.tau + p.j] * sums[0]; }
}`,
    [n - j - 1, 1, 1],
    [u32('n', n), u32('j', j), u32('pv', l.pv), u32('tau', l.tau)],
  );
}

/** w = p − (τ/2)(pᵀv)·v, in place of p, on one workgroup. */
function correct(w: GPUBuffer, flags: GPUBuffer, n: number, j: number): Program {
  const l = layout(n);
  return wPass(
    'correct',
    w,
    flags,
    /* wgsl */ `@compute @workgroup_size(256)
fn main(@builtin(local_invocation_index) li: u32) {
  if (!runningHere(li)) { return; }
  let len = p.n - p.j - 1u; let v0 = p.j * p.n + p.j + 1u; let t = W[p.tau + p.j];
  var acc = 0.0;
  for (var i = li; i < len; i += 256u) { acc += W[p.pv + i] * W[v0 + i]; }
  let pv = workgroupSum(acc, li);
  for (var i = li; i < len; i += 256u) { W[p.pv + i] = W[p.pv + i] - 0.5 * t * pv * W[v0 + i]; }
}`,
    [1, 1, 1],
    [u32('n', n), u32('j', j), u32('pv', l.pv), u32('tau', l.tau)],
    [HOUSEHOLDER],
  );
}

/** S ← S − v·wᵀ − w·vᵀ over the trailing block, an invocation per entry. */
function rank2(w: GPUBuffer, flags: GPUBuffer, n: number, j: number): Program {
  const l = layout(n);
  const len = n - j - 1;
  return wPass(
    'rank2',
    w,
    flags,
    /* wgsl */ `${entry1d('e', 'p.len * p.len')}
  if (!running()) { return; }
  let i = e / p.len; let c = e % p.len; let v0 = p.j * p.n + p.j + 1u;
  let at = (p.j + 1u + i) * p.n + p.j + 1u + c;
  W[at] = W[at] - (W[v0 + i] * W[p.pv + c] + W[p.pv + i] * W[v0 + c]);
}`,
    grid1d(len * len),
    [u32('n', n), u32('j', j), u32('len', len), u32('pv', l.pv)],
  );
}

/** d ← diag(M), e_{n−2} ← M[n−2, n−1] (the other e_j are the reflectors' β). */
function tridiagonal(w: GPUBuffer, flags: GPUBuffer, n: number): Program {
  const l = layout(n);
  return wPass(
    'tridiagonal',
    w,
    flags,
    /* wgsl */ `${entry1d('i', 'p.n')}
  if (!running()) { return; }
  W[p.d + i] = W[i * p.n + i];
  if (i + 2u == p.n) { W[p.e + i] = W[i * p.n + i + 1u]; }
}`,
    grid1d(n),
    [u32('n', n), u32('d', l.d), u32('e', l.e)],
  );
}

/** Qᵀ ← H_j·Qᵀ on its trailing block, an invocation per column (reflectors applied backward, j = n − 3 … 0). */
function applyReflector(w: GPUBuffer, flags: GPUBuffer, n: number, j: number): Program {
  const l = layout(n);
  return wPass(
    'apply-reflector',
    w,
    flags,
    /* wgsl */ `${entry1d('c', 'p.n - p.j - 1u')}
  if (!running()) { return; }
  let len = p.n - p.j - 1u; let v0 = p.j * p.n + p.j + 1u; let col = p.q + (p.j + 1u) * p.n + p.j + 1u + c;
  var s = 0.0;
  for (var i = 0u; i < len; i++) { s += W[v0 + i] * W[col + i * p.n]; }
  let f = W[p.tau + p.j] * s;
  for (var i = 0u; i < len; i++) { W[col + i * p.n] = W[col + i * p.n] - f * W[v0 + i]; }
}`,
    grid1d(n - j - 1),
    [u32('n', n), u32('j', j), u32('q', l.q), u32('tau', l.tau)],
  );
}

/** Q ← (Qᵀ)ᵀ in place, so QL's rotations act on its rows. */
function transposeQ(w: GPUBuffer, flags: GPUBuffer, n: number): Program {
  return wPass(
    'transpose-q',
    w,
    flags,
    /* wgsl */ `${entry1d('e', 'p.n * p.n')}
  if (!running()) { return; }
  let i = e / p.n; let j = e % p.n;
  if (i < j) { let tmp = W[p.q + e]; W[p.q + e] = W[p.q + j * p.n + i]; W[p.q + j * p.n + i] = tmp; }
}`,
    grid1d(n * n),
    [u32('n', n), u32('q', layout(n).q)],
  );
}

/**
 * Up to `budget` implicit QL iterations (Numerical Recipes tqli, with dsteqr's choice of end and scaling) on
 * d and e, by one invocation; each records its rotations in c, s and its chain in the flags.
 */
function qlIterations(w: GPUBuffer, flags: GPUBuffer, n: number, budget: number): Program {
  const l = layout(n);
  return wPass(
    'ql',
    w,
    flags,
    /* wgsl */ `// dsteqr's block scaling bounds for f32: √SAFMIN/ε² and √(1/SAFMIN)/3.
const SSFMIN: f32 = 3.1242e-2;
const SSFMAX: f32 = 7.5063e14;
// One iteration on the first block [l, m] that has not deflated. Returns 1 after an iteration, 0 when every
// eigenvalue has converged, 3 past 30·n iterations. A while loop rather than loop { } with returns inside:
// naga (Deno's wgpu) rejects a function that ends in a loop, and Dawn warns of an unreachable return after one.
fn qlIteration(l: ptr<function, u32>, iterations: ptr<function, u32>, n: u32, D: u32, E: u32, CS: u32, SN: u32) -> u32 {
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
    flags[FLIP] = 0u;
    if (abs(W[D + m]) < abs(W[D + ll])) {
      for (var k = 0u; ll + k < m - k; k++) {
        let a = W[D + ll + k]; W[D + ll + k] = W[D + m - k]; W[D + m - k] = a;
      }
      for (var k = 0u; ll + k < m - 1u - k; k++) {
        let a = W[E + ll + k]; W[E + ll + k] = W[E + m - 1u - k]; W[E + m - 1u - k] = a;
      }
      flags[FLIP] = 1u;
      flags[FLIP_TOP] = ll;
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
    flags[CHAIN_LO] = lo; flags[CHAIN_HI] = m;
    return 1u;
  }
  return 0u;
}
@compute @workgroup_size(1)
fn main() {
  flags[CHAIN] = 0u;
  if (!running()) { return; }
  var l = flags[QL_L]; var iterations = flags[QL_ITERATIONS];
  for (var b = 0u; b < p.budget; b++) {
    let r = qlIteration(&l, &iterations, p.n, p.d, p.e, p.cs, p.sn);
    if (r == 0u) { flags[STATE] = 1u; break; }
    if (r == 3u) { flags[STATE] = 2u; break; }
    flags[CHAIN] = 1u;
  }
  flags[QL_L] = l; flags[QL_ITERATIONS] = iterations;
}`,
    [1, 1, 1],
    [u32('n', n), u32('budget', budget), u32('d', l.d), u32('e', l.e), u32('cs', l.cs), u32('sn', l.sn)],
    [HOUSEHOLDER, QL_STATE],
  );
}

/** The last iteration's rotations (and the block's reversal) on the rows of (Q·Z)ᵀ, an invocation per column. */
function applyChain(w: GPUBuffer, flags: GPUBuffer, n: number): Program {
  const l = layout(n);
  return wPass(
    'apply-chain',
    w,
    flags,
    /* wgsl */ `${entry1d('t', 'p.n')}
  if (!running() || flags[CHAIN] == 0u) { return; }
  let lo = flags[CHAIN_LO]; let hi = flags[CHAIN_HI];
  if (flags[FLIP] == 1u) {
    let top = flags[FLIP_TOP];
    for (var k = 0u; top + k < hi - k; k++) {
      let a = W[p.q + (top + k) * p.n + t]; W[p.q + (top + k) * p.n + t] = W[p.q + (hi - k) * p.n + t]; W[p.q + (hi - k) * p.n + t] = a;
    }
  }
  var y = W[p.q + hi * p.n + t];
  for (var i = hi; i > lo; i--) {
    let x = W[p.q + (i - 1u) * p.n + t]; let c = W[p.cs + i - 1u]; let s = W[p.sn + i - 1u];
    W[p.q + i * p.n + t] = s * x + c * y;
    y = c * x - s * y;
  }
  W[p.q + lo * p.n + t] = y;
}`,
    grid1d(n),
    [u32('n', n), u32('q', l.q), u32('cs', l.cs), u32('sn', l.sn)],
    [QL_STATE],
  );
}

/** The values in descending order, and Z's columns from the rows of (Q·Z)ᵀ, an invocation per entry. */
function writeFactors(p: SyevParams<WebGpuTensor>, w: GPUBuffer, flags: GPUBuffer): Program {
  const n = p.n,
    l = layout(n);
  const entries = n + (p.vectors ? n * n : 0);
  return {
    name: 'syev-write-factors',
    key: 'syev-write-factors',
    code: (u) => /* wgsl */ `
@group(0) @binding(0) var<storage, read_write> VALUES: array<f32>;
@group(0) @binding(1) var<storage, read_write> Z: array<f32>;
@group(0) @binding(2) var<storage, read> W: array<f32>;
@group(0) @binding(3) var<storage, read_write> flags: array<atomic<u32>>;
${u}
${JACOBI_FLAGS}
${entry1d('e', 'p.entries')}
  if (!converged()) { return; }
  if (e < p.n) { VALUES[e] = W[p.sorted + e]; return; }
  let f = e - p.n; let t = f / p.n; let i = f % p.n;
  Z[t * p.n + i] = W[p.q + u32(W[p.order + i]) * p.n + t];
}`,
    dispatch: grid1d(entries),
    buffers: [p.w.buffer, p.z.buffer, w, flags],
    uniforms: [u32('entries', entries), u32('n', n), u32('q', l.q), u32('order', l.order), u32('sorted', l.sorted)],
  };
}

export async function syev(ctx: KernelContext, p: SyevParams<WebGpuTensor>): Promise<number> {
  const n = p.n;
  if (n === 0) return 0;
  const l = layout(n);
  const w = ctx.scratch(l.words * 4, 0);
  const flags = ctx.writeScratch(new Uint32Array(QL_FLAG_WORDS), 1);
  const programs: Program[] = [start(p, w, flags)];
  for (let j = 0; j + 2 < n; j++)
    programs.push(reflector(w, flags, n, j), symv(w, flags, n, j), correct(w, flags, n, j), rank2(w, flags, n, j));
  programs.push(tridiagonal(w, flags, n));
  if (p.vectors) {
    for (let j = n - 3; j >= 0; j--) programs.push(applyReflector(w, flags, n, j));
    programs.push(transposeQ(w, flags, n));
  }
  const finish = [
    rankOrder(w, flags, n, { keys: l.d, order: l.order, sorted: l.sorted, negligible: 0 }),
    writeFactors(p, w, flags),
  ];
  // Without vectors the whole iteration is one pass; with them, a pass per iteration and one to apply it, in
  // batches from 2n iterations (about what QL takes), each read back once.
  const limit = 30 * n + 1;
  let batch = p.vectors ? 2 * n : limit;
  for (let done = 0; ; batch *= 2) {
    const iterations = Math.max(1, Math.min(batch, Math.floor(MAX_PASSES / 2), limit - done));
    if (p.vectors)
      for (let i = 0; i < iterations; i++) programs.push(qlIterations(w, flags, n, 1), applyChain(w, flags, n));
    else programs.push(qlIterations(w, flags, n, limit));
    done += iterations;
    programs.push(...finish);
    await runChunked(ctx, programs);
    programs.length = 0;
    const f = new Uint32Array((await ctx.readScalars(flags, 10)).buffer);
    if (f[0] !== 0) return -1;
    if (f[2] === 2) return -2;
    if (f[2] === 1) return f[9];
  }
}
