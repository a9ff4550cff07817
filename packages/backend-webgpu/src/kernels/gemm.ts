import type { GemmParams } from '@lowrank/core';
import { cdiv, f32, u32, type Program } from '../program.ts';
import type { KernelContext } from '../kernel-context.ts';
import type { WebGpuTensor } from '../tensor.ts';
import { elem, enable, type Elem } from '../shared/dtype.ts';
import { entry1d, grid1d } from '../shared/grid.ts';

/**
 * Tiled GEMM with register blocking: a workgroup of 16×16 invocations computes a (16·R)×(16·R) tile
 * of C. Each invocation owns R rows and R columns in groups of 4 adjacent ones, the groups 64 apart
 * (rows 4·y + {0..3} + 64·g), so it reads its operands from the workgroup tiles as vec4s (R/2 loads
 * per R² multiply-adds; invocations of one row broadcast, of one column read adjacent vec4s) and
 * holds R × R/4 vec4 accumulators. K advances in steps of 16 through two workgroup tiles stored
 * k-major. R = 8 for large problems, 4 otherwise.
 * Loads are guarded, so no invocation reads or writes out of bounds whatever the shape.
 * Split-K: when C has few tiles and k is long, each of `splits` workgroup layers sums one K range
 * into a partial buffer, and a second pass reduces the partials and applies α and β.
 * Error bound as the CPU kernels: |Ĉ − C| ≤ γ_{k+2}(|α||A||B| + |β||C|) in f32.
 */
const TK = 16;

/*
 * The register block is written out (acc_i_g, a_g, b_g) rather than as WGSL arrays indexed in loops:
 * with arrays, naga's index clamping and the driver's choice not to unroll put the accumulators in
 * local memory, which held an H100 at 785 GFLOP/s (1.5% of cuBLAS) at n = 8192.
 */
const range = (r: number) => Array.from({ length: r }, (_, i) => i);
const lane = ['x', 'y', 'z', 'w'];
/** Offset of the invocation's i-th row (or column) within the tile, given its 4-group index t. */
const offset = (i: number, t: string) => `${64 * (i >> 2) + (i & 3)}u + 4u * ${t}`;

function declareAccumulators(r: number): string {
  return range(r)
    .map(
      (i) =>
        `  ${range(r / 4)
          .map((g) => `var acc_${i}_${g} = vec4<f32>(0.0);`)
          .join(' ')}`,
    )
    .join('\n');
}

function multiplyAccumulate(r: number): string {
  const loads = range(r / 4).map(
    (g) => `      let a_${g} = As[kk][${16 * g}u + lid.y]; let b_${g} = Bs[kk][${16 * g}u + lid.x];`,
  );
  const fmas = range(r).map(
    (i) =>
      `      ${range(r / 4)
        .map((g) => `acc_${i}_${g} = acc_${i}_${g} + a_${i >> 2}.${lane[i & 3]} * b_${g};`)
        .join(' ')}`,
  );
  return [...loads, ...fmas].join('\n');
}

function storeAccumulators(r: number, splitOut: boolean, e: Elem): string {
  const lines: string[] = [];
  for (const i of range(r)) {
    lines.push(`  { let row = row0 + ${offset(i, 'lid.y')};`, '  if (row < p.m) {');
    for (const j of range(r)) {
      const acc = `acc_${i}_${j >> 2}.${lane[j & 3]}`;
      lines.push(
        `    { let col = col0 + ${offset(j, 'lid.x')};`,
        '    if (col < p.n) {',
        splitOut
          ? `      C[(batch * p.splits + split) * p.m * p.n + row * p.n + col] = ${acc};`
          : `      let idx = batch * p.strideC + row * p.n + col;
      var v = p.alpha * ${acc};
      if (p.beta != 0.0) { v = v + p.beta * f32(C[idx]); }
      C[idx] = ${e}(v);`,
        '    } }',
      );
    }
    lines.push('  } }');
  }
  return lines.join('\n');
}

function gemmCode(uniforms: string, r: number, splitOut: boolean, vec4: boolean, e: Elem): string {
  const t = 16 * r;
  const out = splitOut ? 'f32' : e; // split-K partials are f32 scratch
  return /* wgsl */ `${enable(e)}
@group(0) @binding(0) var<storage, read> A: array<${vec4 ? `vec4<${e}>` : e}>;
@group(0) @binding(1) var<storage, read> B: array<${vec4 ? `vec4<${e}>` : e}>;
@group(0) @binding(2) var<storage, read_write> C: array<${out}>;
${uniforms}
const T = ${t}u;
// Element (kk, i) of a tile is As[kk][i / 4][i % 4].
var<workgroup> As: array<array<vec4<f32>, ${t / 4}>, ${TK}>;
var<workgroup> Bs: array<array<vec4<f32>, ${t / 4}>, ${TK}>;

${
  vec4
    ? ''
    : `fn loadA(base: u32, row: u32, kk: u32) -> f32 {
  if (row >= p.m || kk >= p.k) { return 0.0; }
  if (p.transA == 1u) { return f32(A[base + kk * p.m + row]); }
  return f32(A[base + row * p.k + kk]);
}
fn loadB(base: u32, kk: u32, col: u32) -> f32 {
  if (kk >= p.k || col >= p.n) { return 0.0; }
  if (p.transB == 1u) { return f32(B[base + col * p.k + kk]); }
  return f32(B[base + kk * p.n + col]);
}`
}

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
${declareAccumulators(r)}
  for (var k0 = kBegin; k0 < kEnd; k0 += ${TK}u) {${
    vec4
      ? `
    // Aligned, untransposed operands (k and n multiples of 4): one vec4 load brings 4 elements.
    for (var e = li; e < ${TK / 4}u * T; e += 256u) {
      let row = e / ${TK / 4}u; let kq = (e % ${TK / 4}u) * 4u;
      var va = vec4<f32>(0.0);
      if (row0 + row < p.m && k0 + kq < kEnd) { va = vec4<f32>(A[(aBase + (row0 + row) * p.k + k0 + kq) / 4u]); }
      let r4 = row / 4u; let rl = row % 4u;
      As[kq][r4][rl] = va.x; As[kq + 1u][r4][rl] = va.y; As[kq + 2u][r4][rl] = va.z; As[kq + 3u][r4][rl] = va.w;
      let kk = e / (T / 4u); let cq = (e % (T / 4u)) * 4u;
      var vb = vec4<f32>(0.0);
      if (k0 + kk < kEnd && col0 + cq < p.n) { vb = vec4<f32>(B[(bBase + (k0 + kk) * p.n + col0 + cq) / 4u]); }
      Bs[kk][cq / 4u] = vb;
    }`
      : `
    // ${TK}·T elements per tile over 256 invocations; index order keeps global reads contiguous.
    for (var e = li; e < ${TK}u * T; e += 256u) {
      if (p.transA == 1u) {
        let kk = e / T; let row = e % T;
        As[kk][row / 4u][row % 4u] = select(0.0, loadA(aBase, row0 + row, k0 + kk), k0 + kk < kEnd);
      } else {
        let row = e / ${TK}u; let kk = e % ${TK}u;
        As[kk][row / 4u][row % 4u] = select(0.0, loadA(aBase, row0 + row, k0 + kk), k0 + kk < kEnd);
      }
      if (p.transB == 1u) {
        let col = e / ${TK}u; let kk = e % ${TK}u;
        Bs[kk][col / 4u][col % 4u] = select(0.0, loadB(bBase, k0 + kk, col0 + col), k0 + kk < kEnd);
      } else {
        let kk = e / T; let col = e % T;
        Bs[kk][col / 4u][col % 4u] = select(0.0, loadB(bBase, k0 + kk, col0 + col), k0 + kk < kEnd);
      }
    }`
  }
    workgroupBarrier();
    for (var kk = 0u; kk < ${TK}u; kk++) {
${multiplyAccumulate(r)}
    }
    workgroupBarrier();
  }
${storeAccumulators(r, splitOut, e)}
}`;
}

/** C = α·Σ_s partial_s + β·C (β = 0: C is not read). */
const reduceSplits = (uniforms: string, e: Elem) => /* wgsl */ `${enable(e)}
@group(0) @binding(0) var<storage, read> P: array<f32>;
@group(0) @binding(1) var<storage, read_write> C: array<${e}>;
${uniforms}
${entry1d('i', 'p.mn')}
  var s = 0.0;
  for (var t = 0u; t < p.splits; t++) { s = s + P[t * p.mn + i]; }
  var v = p.alpha * s;
  if (p.beta != 0.0) { v = v + p.beta * f32(C[i]); }
  C[i] = ${e}(v);
}`;

function plan(p: GemmParams<WebGpuTensor>, batch: number) {
  const r = Math.min(p.m, p.n) >= 512 ? 8 : 4;
  const tiles = cdiv(p.m, 16 * r) * cdiv(p.n, 16 * r) * batch;
  const splits = batch === 1 && tiles < 16 && p.k >= 2048 ? Math.min(16, Math.floor(p.k / 512)) : 1;
  const kPerSplit = Math.ceil(p.k / splits / TK) * TK;
  return { r, splits, kPerSplit };
}

/** The GEMMs of gemm (batch 1) and batchedGemm. */
export async function runGemm(ctx: KernelContext, p: GemmParams<WebGpuTensor>, batch: number): Promise<void> {
  const { r, splits, kPerSplit } = plan(p, batch);
  const t = 16 * r;
  // kPerSplit is a multiple of 16, so split boundaries keep vec4 alignment too.
  const vec4 = !p.transA && !p.transB && p.k % 4 === 0 && p.n % 4 === 0;
  const e = elem(p.c.dtype);
  const common = [u32('m', p.m), u32('n', p.n), u32('k', p.k), u32('transA', +p.transA), u32('transB', +p.transB)];
  const dispatch = [cdiv(p.n, t), cdiv(p.m, t), batch * splits] as const;
  if (splits === 1) {
    await ctx.run([
      {
        name: 'gemm',
        key: `gemm-r${r}-v${+vec4}-${e}`,
        code: (u) => gemmCode(u, r, false, vec4, e),
        dispatch,
        buffers: [p.a.buffer, p.b.buffer, p.c.buffer],
        uniforms: [
          ...common,
          f32('alpha', p.alpha),
          f32('beta', p.beta),
          u32('strideA', p.m * p.k),
          u32('strideB', p.k * p.n),
          u32('strideC', p.m * p.n),
          u32('kPerSplit', Math.max(p.k, 1)),
          u32('splits', 1),
        ],
      },
    ]);
    return;
  }
  const partial = ctx.scratch(splits * p.m * p.n * 4);
  const programs: Program[] = [
    {
      name: 'gemm-splitk',
      key: `gemm-splitk-r${r}-v${+vec4}-${e}`,
      code: (u) => gemmCode(u, r, true, vec4, e),
      dispatch,
      buffers: [p.a.buffer, p.b.buffer, partial],
      uniforms: [
        ...common,
        f32('alpha', 1),
        f32('beta', 0),
        u32('strideA', 0),
        u32('strideB', 0),
        u32('strideC', 0),
        u32('kPerSplit', kPerSplit),
        u32('splits', splits),
      ],
    },
    {
      name: 'gemm-splitk-reduce',
      key: `gemm-splitk-reduce-${e}`,
      code: (u) => reduceSplits(u, e),
      dispatch: grid1d(p.m * p.n),
      buffers: [partial, p.c.buffer],
      uniforms: [u32('mn', p.m * p.n), u32('splits', splits), f32('alpha', p.alpha), f32('beta', p.beta)],
    },
  ];
  await ctx.run(programs);
}

export function gemm(ctx: KernelContext, p: GemmParams<WebGpuTensor>): Promise<void> {
  if (p.k === 0 || p.alpha === 0) return ctx.scaleInPlace(p.c, p.beta, p.m * p.n);
  return runGemm(ctx, p, 1);
}

/** Dispatches and bytes of one GEMM (the model recorded with results). */
export function gemmDispatchModel(
  m: number,
  n: number,
  k: number,
): { dispatches: number; splits: number; tile: number } {
  const fake = { m, n, k } as GemmParams<WebGpuTensor>;
  const { r, splits } = plan(fake, 1);
  return { dispatches: splits > 1 ? 2 : 1, splits, tile: 16 * r };
}
