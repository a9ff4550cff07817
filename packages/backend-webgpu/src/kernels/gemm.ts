import type { BatchedGemmParams, GemmParams } from '@lowrank/core';
import { cdiv, type Program } from '../program.ts';
import type { KernelContext } from './context.ts';
import type { WebGpuTensor } from '../tensor.ts';
import { elem, enable, type Elem } from './dtype.ts';

/**
 * Tiled GEMM with register blocking: a workgroup of 16×16 invocations computes a (16·R)×(16·R) tile
 * of C, each invocation an R×R block of outputs at stride 16 (so reads of the workgroup tiles and
 * writes of C are contiguous across invocations). K advances in steps of 16 through two workgroup
 * tiles, stored k-major so the inner loop broadcasts. R = 8 for large problems, 4 otherwise.
 * Loads are guarded, so no invocation reads or writes out of bounds whatever the shape.
 * Split-K: when C has few tiles and k is long, each of `splits` workgroup layers sums one K range
 * into a partial buffer, and a second pass reduces the partials and applies α and β.
 * Error bound as the CPU kernels: |Ĉ − C| ≤ γ_{k+2}(|α||A||B| + |β||C|) in f32.
 */
const TK = 16;

function gemmCode(r: number, splitOut: boolean, vec4: boolean, e: Elem): string {
  const t = 16 * r;
  const out = splitOut ? 'f32' : e; // split-K partials are f32 scratch
  return /* wgsl */ `${enable(e)}
struct Params { m: u32, n: u32, k: u32, transA: u32, transB: u32, alpha: f32, beta: f32,
  strideA: u32, strideB: u32, strideC: u32, kPerSplit: u32, splits: u32 }
@group(0) @binding(0) var<storage, read> A: array<${vec4 ? `vec4<${e}>` : e}>;
@group(0) @binding(1) var<storage, read> B: array<${vec4 ? `vec4<${e}>` : e}>;
@group(0) @binding(2) var<storage, read_write> C: array<${out}>;
@group(0) @binding(3) var<uniform> p: Params;
const R = ${r}u;
const T = ${t}u;
var<workgroup> As: array<array<f32, ${t}>, ${TK}>;
var<workgroup> Bs: array<array<f32, ${t}>, ${TK}>;

${vec4 ? '' : `fn loadA(base: u32, row: u32, kk: u32) -> f32 {
  if (row >= p.m || kk >= p.k) { return 0.0; }
  if (p.transA == 1u) { return f32(A[base + kk * p.m + row]); }
  return f32(A[base + row * p.k + kk]);
}
fn loadB(base: u32, kk: u32, col: u32) -> f32 {
  if (kk >= p.k || col >= p.n) { return 0.0; }
  if (p.transB == 1u) { return f32(B[base + col * p.k + kk]); }
  return f32(B[base + kk * p.n + col]);
}`}

@compute @workgroup_size(16, 16)
fn main(@builtin(workgroup_id) wg: vec3u, @builtin(local_invocation_id) lid: vec3u, @builtin(local_invocation_index) li: u32) {
  let batch = wg.z / p.splits;
  let split = wg.z % p.splits;
  let aBase = batch * p.strideA;
  let bBase = batch * p.strideB;
  let row0 = wg.y * T;
  let col0 = wg.x * T;
  let kBegin = split * p.kPerSplit;
  let kEnd = min(p.k, kBegin + p.kPerSplit);
  var acc: array<array<f32, ${r}>, ${r}>;
  for (var k0 = kBegin; k0 < kEnd; k0 += ${TK}u) {${vec4 ? `
    // Aligned, untransposed operands (k and n multiples of 4): one vec4 load brings 4 elements.
    for (var e = li; e < ${TK / 4}u * T; e += 256u) {
      let row = e / ${TK / 4}u; let kq = (e % ${TK / 4}u) * 4u;
      var va = vec4<f32>(0.0);
      if (row0 + row < p.m && k0 + kq < kEnd) { va = vec4<f32>(A[(aBase + (row0 + row) * p.k + k0 + kq) / 4u]); }
      As[kq][row] = va.x; As[kq + 1u][row] = va.y; As[kq + 2u][row] = va.z; As[kq + 3u][row] = va.w;
      let kk = e / (T / 4u); let cq = (e % (T / 4u)) * 4u;
      var vb = vec4<f32>(0.0);
      if (k0 + kk < kEnd && col0 + cq < p.n) { vb = vec4<f32>(B[(bBase + (k0 + kk) * p.n + col0 + cq) / 4u]); }
      Bs[kk][cq] = vb.x; Bs[kk][cq + 1u] = vb.y; Bs[kk][cq + 2u] = vb.z; Bs[kk][cq + 3u] = vb.w;
    }` : `
    // ${TK}·T elements per tile over 256 invocations; index order keeps global reads contiguous.
    for (var e = li; e < ${TK}u * T; e += 256u) {
      if (p.transA == 1u) {
        let kk = e / T; let row = e % T;
        As[kk][row] = select(0.0, loadA(aBase, row0 + row, k0 + kk), k0 + kk < kEnd);
      } else {
        let row = e / ${TK}u; let kk = e % ${TK}u;
        As[kk][row] = select(0.0, loadA(aBase, row0 + row, k0 + kk), k0 + kk < kEnd);
      }
      if (p.transB == 1u) {
        let col = e / ${TK}u; let kk = e % ${TK}u;
        Bs[kk][col] = select(0.0, loadB(bBase, k0 + kk, col0 + col), k0 + kk < kEnd);
      } else {
        let kk = e / T; let col = e % T;
        Bs[kk][col] = select(0.0, loadB(bBase, k0 + kk, col0 + col), k0 + kk < kEnd);
      }
    }`}
    workgroupBarrier();
    for (var kk = 0u; kk < ${TK}u; kk++) {
      var a: array<f32, ${r}>;
      var b: array<f32, ${r}>;
      for (var i = 0u; i < R; i++) { a[i] = As[kk][lid.y + 16u * i]; b[i] = Bs[kk][lid.x + 16u * i]; }
      for (var i = 0u; i < R; i++) {
        for (var j = 0u; j < R; j++) { acc[i][j] = acc[i][j] + a[i] * b[j]; }
      }
    }
    workgroupBarrier();
  }
  for (var i = 0u; i < R; i++) {
    let row = row0 + lid.y + 16u * i;
    if (row >= p.m) { continue; }
    for (var j = 0u; j < R; j++) {
      let col = col0 + lid.x + 16u * j;
      if (col >= p.n) { continue; }
      ${splitOut
        ? 'C[(batch * p.splits + split) * p.m * p.n + row * p.n + col] = acc[i][j];'
        : `let idx = batch * p.strideC + row * p.n + col;
      var v = p.alpha * acc[i][j];
      if (p.beta != 0.0) { v = v + p.beta * f32(C[idx]); }
      C[idx] = ${e}(v);`}
    }
  }
}`;
}

/** C = α·Σ_s partial_s + β·C (β = 0: C is not read). */
const reduceSplits = (e: Elem) => /* wgsl */ `${enable(e)}
struct Params { mn: u32, splits: u32, alpha: f32, beta: f32 }
@group(0) @binding(0) var<storage, read> P: array<f32>;
@group(0) @binding(1) var<storage, read_write> C: array<${e}>;
@group(0) @binding(2) var<uniform> p: Params;
@compute @workgroup_size(256)
fn main(@builtin(global_invocation_id) g: vec3u, @builtin(num_workgroups) nw: vec3u) {
  let i = g.x + g.y * nw.x * 256u;
  if (i >= p.mn) { return; }
  var s = 0.0;
  for (var t = 0u; t < p.splits; t++) { s = s + P[t * p.mn + i]; }
  var v = p.alpha * s;
  if (p.beta != 0.0) { v = v + p.beta * f32(C[i]); }
  C[i] = ${e}(v);
}`;

/** A 1-D dispatch of `n` invocations (workgroups of 256) folded into 2-D past the 65535 limit. */
export function grid1d(n: number): [number, number, number] {
  const groups = cdiv(n, 256);
  return groups <= 65535 ? [groups, 1, 1] : [65535, cdiv(groups, 65535), 1];
}

function plan(p: GemmParams<WebGpuTensor>, batch: number) {
  const r = Math.min(p.m, p.n) >= 512 ? 8 : 4;
  const tiles = cdiv(p.m, 16 * r) * cdiv(p.n, 16 * r) * batch;
  const splits = batch === 1 && tiles < 16 && p.k >= 2048 ? Math.min(16, Math.floor(p.k / 512)) : 1;
  const kPerSplit = Math.ceil(p.k / splits / TK) * TK;
  return { r, splits, kPerSplit };
}

async function run(ctx: KernelContext, p: GemmParams<WebGpuTensor>, batch: number): Promise<void> {
  const { r, splits, kPerSplit } = plan(p, batch);
  const t = 16 * r;
  // kPerSplit is a multiple of 16, so split boundaries keep vec4 alignment too.
  const vec4 = !p.transA && !p.transB && p.k % 4 === 0 && p.n % 4 === 0;
  const e = elem(p.c.dtype);
  const common = [
    { type: 'u32', value: p.m }, { type: 'u32', value: p.n }, { type: 'u32', value: p.k },
    { type: 'u32', value: +p.transA }, { type: 'u32', value: +p.transB },
  ] as const;
  const dispatch = [cdiv(p.n, t), cdiv(p.m, t), batch * splits] as const;
  if (splits === 1) {
    await ctx.run([{
      name: 'gemm', key: `gemm-r${r}-v${+vec4}-${e}`, code: () => gemmCode(r, false, vec4, e), dispatch,
      buffers: [p.a.buffer, p.b.buffer, p.c.buffer],
      uniforms: [...common, { type: 'f32', value: p.alpha }, { type: 'f32', value: p.beta },
        { type: 'u32', value: p.m * p.k }, { type: 'u32', value: p.k * p.n }, { type: 'u32', value: p.m * p.n },
        { type: 'u32', value: Math.max(p.k, 1) }, { type: 'u32', value: 1 }],
    }]);
    return;
  }
  const partial = ctx.scratch(splits * p.m * p.n * 4);
  const programs: Program[] = [{
    name: 'gemm-splitk', key: `gemm-splitk-r${r}-v${+vec4}-${e}`, code: () => gemmCode(r, true, vec4, e), dispatch,
    buffers: [p.a.buffer, p.b.buffer, partial],
    uniforms: [...common, { type: 'f32', value: 1 }, { type: 'f32', value: 0 },
      { type: 'u32', value: 0 }, { type: 'u32', value: 0 }, { type: 'u32', value: 0 },
      { type: 'u32', value: kPerSplit }, { type: 'u32', value: splits }],
  }, {
    name: 'gemm-splitk-reduce', key: `gemm-splitk-reduce-${e}`, code: () => reduceSplits(e), dispatch: grid1d(p.m * p.n),
    buffers: [partial, p.c.buffer],
    uniforms: [{ type: 'u32', value: p.m * p.n }, { type: 'u32', value: splits }, { type: 'f32', value: p.alpha }, { type: 'f32', value: p.beta }],
  }];
  await ctx.run(programs);
}

export function gemm(ctx: KernelContext, p: GemmParams<WebGpuTensor>): Promise<void> {
  if (p.k === 0 || p.alpha === 0) return ctx.scaleInPlace(p.c, p.beta, p.m * p.n);
  return run(ctx, p, 1);
}

export function batchedGemm(ctx: KernelContext, p: BatchedGemmParams<WebGpuTensor>): Promise<void> {
  if (p.k === 0 || p.alpha === 0) return ctx.scaleInPlace(p.c, p.beta, p.batch * p.m * p.n);
  return run(ctx, p, p.batch);
}

/** Dispatches and bytes of one GEMM (the model recorded with results). */
export function gemmDispatchModel(m: number, n: number, k: number): { dispatches: number; splits: number; tile: number } {
  const fake = { m, n, k } as GemmParams<WebGpuTensor>;
  const { r, splits } = plan(fake, 1);
  return { dispatches: splits > 1 ? 2 : 1, splits, tile: 16 * r };
}
