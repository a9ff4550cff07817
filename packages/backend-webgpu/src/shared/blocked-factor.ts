/**
 * What the blocked factorizations share: the flags and their checks (cholesky, lu, qr), the copy in and the
 * tiled trailing update (cholesky, lu). WGSL synchronizes only inside a workgroup, so a
 * factorization in one dispatch runs on one workgroup; blocked, it is a sequence of passes in one command
 * buffer (LAPACK's right-looking dpotrf/dgetrf): per panel of NB columns, the panel on one workgroup, then the
 * trailing matrix brought up to date by a tiled rank-NB update on as many workgroups as it has 64×64 tiles.
 * Successive passes see each other's writes (WebGPU orders the passes of a command buffer), so nothing returns
 * to the host between panels.
 *
 * State lives in a two-word `flags` buffer, zeroed by the kernel before the run: flags[0] is set by the start
 * pass when A holds a NaN or ±Inf, flags[1] is the first failing pivot + 1 (a Cholesky minor that is not
 * positive, an LU pivot that is exactly zero). Every later pass reads them first, so a failed factorization
 * stops on the GPU without a round trip, and the host reads the two words once at the end.
 */
import { cdiv, u32, type Program } from '../program.ts';
import { grid1d, entry1d } from './grid.ts';
import type { KernelContext } from '../kernel-context.ts';

/** Panel width: the trailing update is a rank-NB GEMM, whose k steps through workgroup tiles of 16. */
export const NB = 32;
/** Rows and columns of a trailing-update tile: 16×16 invocations, each owning 4×4 entries 16 apart. */
const TILE = 64;

/** A start pass's check of each value it copies: NaN or ±Inf sets flags[0] (all exponent bits set). */
export const MARK_NON_FINITE = /* wgsl */ `
fn markNonFinite(x: f32) { if ((bitcast<u32>(x) & 0x7f800000u) == 0x7f800000u) { atomicStore(&flags[0], 1u); } }`;

/** Loads the flags into a workgroup-uniform value (barriers may follow a return on it). */
export const READ_FLAGS = /* wgsl */ `
var<workgroup> stopped: u32;
fn stopNow(li: u32, alsoPivot: bool) -> bool {
  if (li == 0u) { stopped = select(0u, 1u, flags[0] != 0u || (alsoPivot && flags[1] != 0u)); }
  return workgroupUniformLoad(&stopped) != 0u;
}`;

/**
 * Copies A (m×n) into the factor's buffer, checking every value: `lower` keeps the lower triangle and zeroes
 * the rest (Cholesky reads only A's lower triangle).
 */
export function copyIn(a: GPUBuffer, out: GPUBuffer, flags: GPUBuffer, m: number, n: number, lower: boolean): Program {
  return {
    name: 'factor-copy-in',
    key: `factor-copy-in-${+lower}`,
    code: (u) => /* wgsl */ `
@group(0) @binding(0) var<storage, read> A: array<f32>;
@group(0) @binding(1) var<storage, read_write> F: array<f32>;
@group(0) @binding(2) var<storage, read_write> flags: array<atomic<u32>>;
${u}
${MARK_NON_FINITE}
${entry1d('e', 'p.m * p.n')}
  let v = A[e];
  markNonFinite(v);
  ${lower ? 'F[e] = select(0.0, v, e % p.n <= e / p.n);' : 'F[e] = v;'}
}`,
    dispatch: grid1d(m * n),
    buffers: [a, out, flags],
    uniforms: [u32('m', m), u32('n', n)],
  };
}

/**
 * The status word of the kernels' params, from the flags read back (their bits, through readScalars' f32s):
 * −1 for a non-finite input, else the first failing pivot + 1 (0: none).
 */
export async function readStatus(ctx: KernelContext, flags: GPUBuffer): Promise<number> {
  const [nonFinite, pivot] = new Uint32Array((await ctx.readScalars(flags, 2)).buffer);
  return nonFinite !== 0 ? -1 : pivot;
}

/**
 * F[i, c] −= Σ_{t ∈ [j0, j1)} F[i, t]·B(t, c) over the trailing block i, c ≥ j1 of an m×n F (row-major), where
 * B(t, c) = F[c, t] (`symmetric`: Cholesky's L₂₁·L₂₁ᵀ, lower triangle c ≤ i only) or F[t, c] (LU's L₂₁·U₁₂).
 * The panel columns it reads lie left of every entry it writes, so one binding serves both. Each sum runs over
 * t in order, then is subtracted: |error| ≤ γ_NB·|L₂₁||B| per step, as the CPU kernels' blocked updates.
 * Stops when the factorization has (a zero LU pivot does not stop it: LAPACK's getrf goes on).
 */
export function trailingUpdate(
  f: GPUBuffer,
  flags: GPUBuffer,
  m: number,
  n: number,
  j0: number,
  j1: number,
  symmetric: boolean,
): Program {
  const b = symmetric ? '(c0 + r) * p.n + k' : 'k * p.n + c0 + r';
  const keep = symmetric ? 'col <= row' : 'true';
  return {
    name: 'factor-trailing-update',
    key: `factor-trailing-update-${+symmetric}`,
    code: (u) => /* wgsl */ `
@group(0) @binding(0) var<storage, read_write> F: array<f32>;
@group(0) @binding(1) var<storage, read> flags: array<u32>;
${u}
${READ_FLAGS}
// Element (kk, r) of a tile: the panel's column k0 + kk at row (As) or column (Bs) r of the tile.
var<workgroup> As: array<array<f32, ${TILE}>, 16>;
var<workgroup> Bs: array<array<f32, ${TILE}>, 16>;
@compute @workgroup_size(16, 16)
fn main(@builtin(workgroup_id) wg: vec3u, @builtin(local_invocation_id) lid: vec3u, @builtin(local_invocation_index) li: u32) {
  ${symmetric ? `if (wg.x > wg.y) { return; } // a tile wholly above the diagonal` : ''}
  if (stopNow(li, ${symmetric})) { return; }
  let r0 = p.j1 + wg.y * ${TILE}u;
  let c0 = p.j1 + wg.x * ${TILE}u;
  var acc0 = vec4<f32>(0.0); var acc1 = vec4<f32>(0.0); var acc2 = vec4<f32>(0.0); var acc3 = vec4<f32>(0.0);
  for (var k0 = p.j0; k0 < p.j1; k0 += 16u) {
    for (var e = li; e < ${16 * TILE}u; e += 256u) {
      let r = e / 16u; let kk = e % 16u; let k = k0 + kk;
      var a = 0.0; var b = 0.0;
      if (k < p.j1) {
        if (r0 + r < p.m) { a = F[(r0 + r) * p.n + k]; }
        if (c0 + r < p.n) { b = F[${b}]; }
      }
      As[kk][r] = a; Bs[kk][r] = b;
    }
    workgroupBarrier();
    for (var kk = 0u; kk < 16u; kk++) {
      let a = vec4<f32>(As[kk][lid.y], As[kk][lid.y + 16u], As[kk][lid.y + 32u], As[kk][lid.y + 48u]);
      let b = vec4<f32>(Bs[kk][lid.x], Bs[kk][lid.x + 16u], Bs[kk][lid.x + 32u], Bs[kk][lid.x + 48u]);
      acc0 = acc0 + a.x * b; acc1 = acc1 + a.y * b; acc2 = acc2 + a.z * b; acc3 = acc3 + a.w * b;
    }
    workgroupBarrier();
  }
  let accs = array<vec4<f32>, 4>(acc0, acc1, acc2, acc3);
  for (var i = 0u; i < 4u; i++) {
    let row = r0 + lid.y + 16u * i;
    for (var j = 0u; j < 4u; j++) {
      let col = c0 + lid.x + 16u * j;
      if (row < p.m && col < p.n && ${keep}) { F[row * p.n + col] = F[row * p.n + col] - accs[i][j]; }
    }
  }
}`,
    dispatch: [cdiv(n - j1, TILE), cdiv(m - j1, TILE), 1],
    buffers: [f, flags],
    uniforms: [u32('m', m), u32('n', n), u32('j0', j0), u32('j1', j1)],
  };
}
