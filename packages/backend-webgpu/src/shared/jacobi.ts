/**
 * The one-sided Jacobi SVD's sweeps, and what syev's QL passes share with them (the flags, the rank order, the
 * chunked submit). Sweeps of parallel rotations run over many workgroups, driven from the host in batches. A sweep is a control pass, the kernel's passes (one per step of the round-robin
 * tournament, a workgroup per pair) and a closing pass; WGSL synchronizes only inside a workgroup, so each
 * step is a pass of its own and successive passes see each other's writes. Whether a sweep rotated anything
 * is known only on the GPU: the passes read a flags buffer and return at once after convergence, so a batch
 * of sweeps is encoded in one command buffer and read back once. Batches double (2, 4, 8 … sweeps, at most
 * MAX_PASSES passes each): a Jacobi iteration converges quadratically, in a few sweeps on the linalg paths
 * (their A is preconditioned) and in ~10 on a random A, so few batches are read back and few empty sweeps run.
 *
 * Flags (u32): NON_FINITE (set by the start pass), ROTATED (this sweep), STATE (0 sweeping, 1 converged,
 * 2 out of sweeps), SWEEPS (begun), LEVEL and LARGEST (non-negative f32 bits, maxima by atomicMax: such
 * floats order as their bits).
 */
import { u32, type Program, type Uniform } from '../program.ts';
import { entry1d, grid1d } from './grid.ts';
import type { KernelContext } from '../kernel-context.ts';

/** Passes encoded in one command buffer at most (each costs a bind group and a uniform buffer to encode). */
export const MAX_PASSES = 4096;

/** Submits `programs` in order, MAX_PASSES to a command buffer (the queue keeps the order across them). */
export async function runChunked(ctx: KernelContext, programs: readonly Program[]): Promise<void> {
  for (let i = 0; i < programs.length; i += MAX_PASSES) await ctx.run(programs.slice(i, i + MAX_PASSES));
}

/** The flags' word indices, for a pass that binds them as plain words (written by one invocation). */
export const FLAG_WORDS = /* wgsl */ `
const NON_FINITE = 0u; const ROTATED = 1u; const STATE = 2u; const SWEEPS = 3u; const LEVEL = 4u; const LARGEST = 5u;`;

/** The flags bound as atomics: an iteration still going, or converged. */
export const JACOBI_FLAGS = /* wgsl */ `${FLAG_WORDS}
fn sweeping() -> bool { return atomicLoad(&flags[NON_FINITE]) == 0u && atomicLoad(&flags[STATE]) == 0u; }
fn converged() -> bool { return atomicLoad(&flags[NON_FINITE]) == 0u && atomicLoad(&flags[STATE]) == 1u; }`;

/** The round-robin tournament (Brent and Luk 1985): seat `pos` of `count` (even) plays this player in round `step`. */
export const ROUND_ROBIN = /* wgsl */ `
fn player(pos: u32, step: u32, count: u32) -> u32 {
  if (pos == 0u) { return 0u; }
  return (pos - 1u + step) % (count - 1u) + 1u;
}`;

function control(flags: GPUBuffer, name: string, body: string, uniforms: Uniform[] = []): Program {
  return {
    name: `jacobi-${name}`,
    key: `jacobi-${name}`,
    code: (u) => /* wgsl */ `
@group(0) @binding(0) var<storage, read_write> flags: array<atomic<u32>>;
${u}
${JACOBI_FLAGS}
@compute @workgroup_size(1)
fn main() {
  if (!sweeping()) { return; }
  ${body}
}`,
    dispatch: [1, 1, 1],
    buffers: [flags],
    uniforms,
  };
}

/** Begins a sweep. */
const beginSweep = (flags: GPUBuffer) =>
  control(
    flags,
    'begin-sweep',
    `atomicAdd(&flags[SWEEPS], 1u); atomicStore(&flags[ROTATED], 0u); atomicStore(&flags[LEVEL], 0u);`,
  );

/** Ends a sweep: converged when it rotated nothing, else out of sweeps after the last one allowed. */
const endSweep = (flags: GPUBuffer, maxSweeps: number) =>
  control(
    flags,
    'end-sweep',
    `if (atomicLoad(&flags[ROTATED]) == 0u) { atomicStore(&flags[STATE], 1u); }
  else if (atomicLoad(&flags[SWEEPS]) == p.maxSweeps) { atomicStore(&flags[STATE], 2u); }`,
    [u32('maxSweeps', maxSweeps)],
  );

export interface JacobiRun {
  maxSweeps: number;
  /** Copies the input in and marks a non-finite value in flags[NON_FINITE]. */
  start(flags: GPUBuffer): Program;
  /** The passes of one sweep (each returns at once unless `sweeping()`). */
  sweep(flags: GPUBuffer): Program[];
  /** The passes after convergence (each returns at once unless `converged()`). */
  finish(flags: GPUBuffer): Program[];
}

/**
 * Runs the iteration to its end; the status of @lowrank/core's params: the sweeps run (≥ 1), −1 for a
 * non-finite input, −2 when `maxSweeps` sweeps did not converge.
 */
export async function jacobiSweeps(ctx: KernelContext, j: JacobiRun): Promise<number> {
  const flags = ctx.writeScratch(new Uint32Array(8), 1);
  const body = j.sweep(flags);
  const perSweep = body.length + 2;
  let programs: Program[] = [j.start(flags)];
  // Sweeps encoded so far: the maxSweeps-th sweep's end ends the iteration, so the loop ends by then.
  let begun = 0;
  for (let batch = 2; ; batch *= 2) {
    const sweeps = Math.max(1, Math.min(batch, Math.floor(MAX_PASSES / perSweep), j.maxSweeps - begun));
    for (let s = 0; s < sweeps; s++) programs.push(beginSweep(flags), ...body, endSweep(flags, j.maxSweeps));
    begun += sweeps;
    programs.push(...j.finish(flags));
    await runChunked(ctx, programs);
    programs = [];
    const [nonFinite, , state, done] = new Uint32Array((await ctx.readScalars(flags, 4)).buffer);
    if (nonFinite !== 0) return -1;
    if (state === 2) return -2;
    if (state === 1) return done;
  }
}

/**
 * Ranks W[keys..+k) in descending order, one invocation per key: order[r] = i and sorted[r] = key_i for the
 * key's rank r (the keys above it, and the equal keys before it). `negligible`: keys ≤ negligible·ε·
 * flags[LARGEST] count as 0 (the SVD's rows at the rounding level); 0 keeps every key.
 */
export function rankOrder(
  w: GPUBuffer,
  flags: GPUBuffer,
  k: number,
  at: { keys: number; order: number; sorted: number; negligible: number },
): Program {
  return {
    name: 'jacobi-rank-order',
    key: 'jacobi-rank-order',
    code: (u) => /* wgsl */ `
@group(0) @binding(0) var<storage, read_write> W: array<f32>;
@group(0) @binding(1) var<storage, read_write> flags: array<atomic<u32>>;
${u}
${JACOBI_FLAGS}
fn key(i: u32, cut: f32) -> f32 { let x = W[p.keys + i]; return select(x, 0.0, p.negligible != 0u && x <= cut); }
${entry1d('i', 'p.k')}
  if (!converged()) { return; }
  let cut = f32(p.negligible) * 1.1920929e-7 * bitcast<f32>(atomicLoad(&flags[LARGEST]));
  let mine = key(i, cut);
  var rank = 0u;
  for (var j = 0u; j < p.k; j++) { let x = key(j, cut); if (x > mine || (x == mine && j < i)) { rank++; } }
  W[p.order + rank] = f32(i);
  W[p.sorted + rank] = mine;
}`,
    dispatch: grid1d(k),
    buffers: [w, flags],
    uniforms: [
      u32('k', k),
      u32('keys', at.keys),
      u32('order', at.order),
      u32('sorted', at.sorted),
      u32('negligible', at.negligible),
    ],
  };
}
