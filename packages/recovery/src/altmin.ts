/**
 * S03 (Gu, Song, Yin & Zhang, "Low Rank Matrix Completion via Robust Alternating Minimization in
 * Nearly Linear Time", ICLR 2024): recover M (n×n, rank k) from its entries on Ω by alternating
 * minimization,
 *   V ← argmin_V ‖P_Ω(U·Vᵀ − M)‖²_F,   then  U ← argmin_U ‖P_Ω(U·Vᵀ − M)‖²_F,
 * each factor QR-orthonormalized before it is held fixed. The problem splits by rows: row j of the
 * unknown factor solves min_x ‖F_{Ω_j}·x − M_{Ω_j}‖ where F_{Ω_j} holds the rows of the fixed factor
 * that row j observes. Two solvers of those least-squares problems:
 *
 * - **exact**: the k×k normal equations of every row, G_j = Σ_{i∈Ω_j} f_i f_iᵀ, as one SpMM of the
 *   0/1 pattern with the row-wise Kronecker squares f_i ⊗ f_i (cost 2|Ω|k², the |Ω|k² of prior AltMin),
 *   then a Cholesky solve per row on the host (k³/3 each).
 * - **robust** (the paper's point: approximate solves suffice): conjugate gradients on the normal
 *   equations, preconditioned by R from a sketch of F_{Ω_j} (a CountSketch to s = 4k rows, computed
 *   for all rows at once as one SpMM; R = chol of the sketch's Gram, i.e. CholeskyQR's R), warm started
 *   from the previous iterate and stopped when each row's residual fell tenfold. One CG iteration for
 *   all rows is one SDDMM (F_{Ω_j}·z_j on Ω) and one SpMM (F_{Ω_j}ᵀ·(…)): 4|Ω|k, the paper's Õ(|Ω|k).
 *
 * Flops are counted analytically per kernel call (the plan's measure), from the first AltMin
 * step on: the spectral initialization is the same for both solvers and is not counted.
 */
import {
  choleskyInPlace,
  fillRandom,
  hostTensor,
  ops,
  solveLower,
  solveLowerTransposed,
  sparsePattern,
  transposePattern,
  type Backend,
  type DeviceTensor,
  type DType,
  type SparsePattern,
} from '@lowrank/core';
import { gaussianInit, lowRankTarget } from './sensing.ts';

export interface CompletionProblem {
  readonly n: number;
  readonly k: number;
  /** Sampling probability of each entry. */
  readonly p: number;
  /** Ω as positions of M; `omegaT` is the same entries as positions of Mᵀ (same entry order). */
  readonly omega: SparsePattern;
  readonly omegaT: SparsePattern;
  /** M on Ω, in entry order. */
  readonly observed: Float64Array;
  /** M itself (n×n), for the error only. */
  readonly target: Float64Array;
}

/** The plan's sampling probability for rank k and size n: p = min(0.5, 6k·ln n / n). */
export function samplingRate(n: number, k: number): number {
  return Math.min(0.5, (6 * k * Math.log(n)) / n);
}

/**
 * The plan's instance: M = U*·diag(σ)·V*ᵀ with orthonormal U*, V* from Gaussian draws and σ spaced
 * evenly from 2 down to 1 (κ = 2); each entry observed with probability p = min(0.5, 6k·ln n / n).
 */
export function completionProblem(n: number, k: number, seed: number): CompletionProblem {
  const p = samplingRate(n, k);
  const sigmas = Array.from({ length: k }, (_, i) => (k === 1 ? 1 : 2 - i / (k - 1)));
  const target = lowRankTarget(n, sigmas, seed, false);
  const draws = fillRandom({ seed, stream: 30 }, 'uniform', 'f64', n * n);
  const rows: number[] = [],
    cols: number[] = [],
    observed: number[] = [];
  for (let e = 0; e < n * n; e++) {
    if (draws[e] < p) {
      rows.push(Math.floor(e / n));
      cols.push(e % n);
      observed.push(target[e]);
    }
  }
  const omega = sparsePattern(n, n, rows, cols);
  return { n, k, p, omega, omegaT: transposePattern(omega), observed: Float64Array.from(observed), target };
}

export type AltMinSolver = 'exact' | 'robust';

/**
 * Flops of the row solvers' steps, counted per kernel call (a rows of unknowns, b rows of the fixed
 * factor, nnz observed entries, rank k, s sketch rows per unknown row). The counters and the
 * benchmark's cost model both use these.
 */
export const rowSolveFlops = {
  /** f_i ⊗ f_i, the Grams by SpMM, the right-hand sides by SpMM, a Cholesky and two triangular solves per row. */
  exact: (a: number, b: number, nnz: number, k: number) =>
    b * k * k + 2 * nnz * k * k + 2 * nnz * k + a * ((k * k * k) / 3 + 2 * k * k),
  /** The sketch by SpMM, its Grams by batched GEMM, a Cholesky per row; the right-hand sides by SpMM and L⁻¹. */
  robustSetup: (a: number, nnz: number, k: number, s: number) =>
    4 * nnz * k + a * (2 * s * k * k + (k * k * k) / 3 + k * k),
  /** One application of every row's preconditioned normal matrix: SDDMM, SpMM and two triangular solves per row. */
  robustApply: (a: number, nnz: number, k: number) => 4 * nnz * k + 2 * a * k * k,
  /** CG's vector updates for every row. */
  cgUpdate: (a: number, k: number) => 10 * a * k,
};

export interface AltMinOptions extends RowSolverOptions {
  /** Outer iterations (one V-step and one U-step each) at most. */
  readonly outer: number;
  /** Stop once ‖M̂ − M‖_F/‖M‖_F is below this. */
  readonly tolerance: number;
}

export interface AltMinResult {
  /** Relative error ‖M̂ − M‖_F/‖M‖_F after each outer iteration. */
  readonly errors: number[];
  /** The first outer iteration whose error is below the tolerance (Infinity if none). */
  readonly iterations: number;
  /** Flops up to that iteration (or all of them), counted per kernel call. */
  readonly flops: number;
  /** Robust: CG iterations of each half-step. */
  readonly inner: number[];
}

/** Power iterations for the spectral initialization: (1/p)·P_Ω(M) has a gap after σ_k, so a few suffice; AltMin refines. */
const INIT_ITERATIONS = 8;

/** Alternating minimization from the spectral initialization, with either row solver. */
export async function altMin(
  be: Backend,
  dtype: DType,
  pr: CompletionProblem,
  o: AltMinOptions,
): Promise<AltMinResult> {
  const { n, k } = pr;
  const rows = await rowSolveContext(be, dtype, pr.observed, k);
  const target = await be.upload(hostTensor(dtype, [n, n], pr.target));
  const targetNorm = Math.sqrt(pr.target.reduce((acc, v) => acc + v * v, 0));
  try {
    let u = await spectralInit(rows, pr, o.seed);
    let qv: Float64Array | null = null,
      ru: Float64Array | null = null;
    const errors: number[] = [],
      inner: number[] = [];
    let iterations = Infinity,
      flops = NaN;
    for (let t = 1; t <= o.outer; t++) {
      // V-step. Warm start V⁰ = Q_V·R_Uᵀ (M ≈ U_raw·Q_Vᵀ = U·R_U·Q_Vᵀ), or (1/p)·P_Ω(M)ᵀ·U at first.
      const v0 = qv && ru ? times(qv, ru, n, k) : await sparseProduct(rows, pr.omegaT, u, 1 / pr.p);
      const v = await solveRows(rows, pr.omegaT, u, v0, { ...o, stream: 2 * t });
      const fv = await orthonormalize(rows, v.x, n);
      // U-step, warm start U⁰ = U·R_Vᵀ (M ≈ U·V_rawᵀ = U·R_V·Q_Vᵀ).
      const w = await solveRows(rows, pr.omega, fv.q, times(u, fv.r, n, k), { ...o, stream: 2 * t + 1 });
      inner.push(v.iterations, w.iterations);
      errors.push(await relativeError(rows, w.x, fv.q, target, targetNorm, n));
      const fu = await orthonormalize(rows, w.x, n);
      [u, qv, ru] = [fu.q, fv.q, fu.r];
      if (errors[t - 1] < o.tolerance) {
        iterations = t;
        flops = rows.count.flops;
        break;
      }
    }
    return { errors, iterations, flops: Number.isFinite(iterations) ? flops : rows.count.flops, inner };
  } finally {
    rows.dispose();
    be.dispose(target);
  }
}

/**
 * What the row solvers share: the backend, M on Ω and ones on Ω (the pattern's 0/1 matrix) as device
 * tensors (entry order shared by Ω and Ωᵀ), the rank, and the running flop count.
 */
export interface RowSolveContext {
  readonly be: Backend;
  readonly dtype: DType;
  readonly obs: DeviceTensor;
  readonly ones: DeviceTensor;
  readonly k: number;
  readonly count: { flops: number };
  dispose(): void;
}

export async function rowSolveContext(
  be: Backend,
  dtype: DType,
  observed: Float64Array,
  k: number,
): Promise<RowSolveContext> {
  const obs = await be.upload(hostTensor(dtype, [observed.length], observed));
  const ones = await be.upload(hostTensor(dtype, [observed.length], new Float64Array(observed.length).fill(1)));
  return {
    be,
    dtype,
    obs,
    ones,
    k,
    count: { flops: 0 },
    dispose: () => {
      be.dispose(obs);
      be.dispose(ones);
    },
  };
}

export interface RowSolverOptions {
  readonly solver: AltMinSolver;
  /** Robust: each row's CG stops when its residual has fallen by this factor (ε_t of the paper). */
  readonly innerReduction?: number;
  /** Robust: sketch rows per unknown row, as a multiple of k. */
  readonly sketchFactor?: number;
  /** Robust: CG iterations at most (default 50; a benchmark fixes the count with innerReduction 0). */
  readonly maxInner?: number;
  /** Robust: the sketch's seed and stream (fresh per half-step). */
  readonly seed: number;
  readonly stream?: number;
}

/** α·S·F for S = P_Ω(M) on `pattern` and the host factor F; returns the host product. */
async function sparseProduct(
  c: RowSolveContext,
  pattern: SparsePattern,
  f: Float64Array,
  alpha = 1,
): Promise<Float64Array> {
  const release = c.be.track();
  try {
    const fd = await c.be.upload(hostTensor(c.dtype, [pattern.n, c.k], f));
    return Float64Array.from((await c.be.download(await ops.spmm(c.be, pattern, c.obs, fd, { alpha }))).data);
  } finally {
    release();
  }
}

/** Top-k left singular subspace of P_Ω(M) by subspace iteration, as orthonormal columns (n×k). */
async function spectralInit(c: RowSolveContext, pr: CompletionProblem, seed: number): Promise<Float64Array> {
  let q: Float64Array = gaussianInit(pr.n, c.k, 1, seed, 31);
  let left: Float64Array = new Float64Array(0);
  for (let it = 0; it < INIT_ITERATIONS; it++) {
    left = (await orthonormalize(c, await sparseProduct(c, pr.omega, q), pr.n, false)).q;
    q = (await orthonormalize(c, await sparseProduct(c, pr.omegaT, left), pr.n, false)).q;
  }
  return left;
}

/** Thin QR of a host n×k factor on the backend: Q (n×k) and R (k×k). */
async function orthonormalize(
  c: RowSolveContext,
  x: Float64Array,
  rows: number,
  counted = true,
): Promise<{ q: Float64Array; r: Float64Array }> {
  const release = c.be.track();
  try {
    const { q, r } = await ops.qr(c.be, await c.be.upload(hostTensor(c.dtype, [rows, c.k], x)));
    if (counted) c.count.flops += 4 * rows * c.k * c.k; // Householder R (2nk²) and the explicit thin Q (2nk²)
    return { q: Float64Array.from((await c.be.download(q)).data), r: Float64Array.from((await c.be.download(r)).data) };
  } finally {
    release();
  }
}

/** X·Rᵀ for host X (rows×k) and R (k×k): the warm start of the other factor. */
function times(x: Float64Array, r: Float64Array, rows: number, k: number): Float64Array {
  const out = new Float64Array(rows * k);
  for (let i = 0; i < rows; i++)
    for (let a = 0; a < k; a++) {
      let s = 0;
      for (let b = 0; b < k; b++) s += x[i * k + b] * r[a * k + b];
      out[i * k + a] = s;
    }
  return out;
}

/** ‖U·Q_Vᵀ − M‖_F/‖M‖_F, densely on the backend (not counted: a measurement, not a step). */
async function relativeError(
  c: RowSolveContext,
  u: Float64Array,
  qv: Float64Array,
  target: DeviceTensor,
  norm: number,
  n: number,
): Promise<number> {
  const release = c.be.track();
  try {
    const ud = await c.be.upload(hostTensor(c.dtype, [n, c.k], u));
    const vd = await c.be.upload(hostTensor(c.dtype, [n, c.k], qv));
    const diff = await ops.binary(c.be, 'sub', await ops.gemm(c.be, ud, vd, { transB: true }), target);
    return (await ops.nrm2(c.be, diff)) / norm;
  } finally {
    release();
  }
}

/**
 * One half-step: every row's least-squares problem min_x ‖F_{Ω_j}·x − M_{Ω_j}‖ on `pattern` (rows =
 * unknowns, columns = rows of the host factor F), by the chosen solver; the robust one starts from x0.
 */
export async function solveRows(
  c: RowSolveContext,
  pattern: SparsePattern,
  f: Float64Array,
  x0: Float64Array,
  o: RowSolverOptions,
): Promise<{ x: Float64Array; iterations: number }> {
  const release = c.be.track();
  try {
    const fd = await c.be.upload(hostTensor(c.dtype, [pattern.n, c.k], f));
    return o.solver === 'exact'
      ? { x: await exactRows(c, pattern, fd), iterations: 0 }
      : await robustRows(c, pattern, fd, x0, o);
  } finally {
    release();
  }
}

/** Exact normal equations: G_j = S·(f_i ⊗ f_i) and F_{Ω_j}ᵀ·M_{Ω_j} on the backend, k×k Cholesky solves per row on the host. */
async function exactRows(c: RowSolveContext, pattern: SparsePattern, f: DeviceTensor): Promise<Float64Array> {
  const { be, k } = c;
  const a = pattern.m,
    b = pattern.n,
    nnz = pattern.nnz;
  const outer = await ops.batchedGemm(be, await ops.reshape(be, f, [b, k, 1]), await ops.reshape(be, f, [b, 1, k]));
  const gram = Float64Array.from(
    (await be.download(await ops.spmm(be, pattern, c.ones, await ops.reshape(be, outer, [b, k * k])))).data,
  );
  const x = Float64Array.from((await be.download(await ops.spmm(be, pattern, c.obs, f))).data);
  for (let j = 0; j < a; j++) {
    choleskyInPlace(gram, k, j * k * k, `the normal equations of row ${j}`);
    solveLower(gram, k, x, j * k * k, j * k);
    solveLowerTransposed(gram, k, x, j * k * k, j * k);
  }
  c.count.flops += rowSolveFlops.exact(a, b, nnz, k);
  return x;
}

/**
 * Sketch-preconditioned CG on every row's normal equations at once. With L_j the Cholesky factor of the
 * sketch's Gram (R = L_jᵀ), CG runs on (L⁻¹·F_{Ω_j}ᵀF_{Ω_j}·L⁻ᵀ)·y = L⁻¹·F_{Ω_j}ᵀM_{Ω_j}, x = L⁻ᵀ·y,
 * whose condition number is that of the sketch's distortion, not of F_{Ω_j}.
 */
async function robustRows(
  c: RowSolveContext,
  pattern: SparsePattern,
  f: DeviceTensor,
  x0: Float64Array,
  o: RowSolverOptions,
): Promise<{ x: Float64Array; iterations: number }> {
  const { be, dtype, k } = c;
  const a = pattern.m,
    nnz = pattern.nnz,
    s = (o.sketchFactor ?? 4) * k,
    reduction = o.innerReduction ?? 0.1;
  // CountSketch (Clarkson–Woodruff): entry e of row j goes to sketch row j·s + h_e with sign ±1, fresh per
  // half-step. One uniform draw u gives both: h = ⌊u·s⌋, and the sign from the fractional part of u·s.
  const draws = fillRandom({ seed: o.seed, stream: 1000 + (o.stream ?? 0) }, 'uniform', 'f64', nnz);
  const sketchRows = new Int32Array(nnz),
    signs = new Float64Array(nnz);
  for (let e = 0; e < nnz; e++) {
    const h = Math.floor(draws[e] * s);
    sketchRows[e] = pattern.rows[e] * s + h;
    signs[e] = draws[e] * s - h < 0.5 ? -1 : 1;
  }
  const sketchPattern = sparsePattern(a * s, pattern.n, sketchRows, pattern.cols);
  const sk = await ops.spmm(be, sketchPattern, await be.upload(hostTensor(dtype, [nnz], signs)), f);
  const blocks = await ops.reshape(be, sk, [a, s, k]);
  const l = Float64Array.from((await be.download(await ops.batchedGemm(be, blocks, blocks, { transA: true }))).data);
  for (let j = 0; j < a; j++) choleskyInPlace(l, k, j * k * k, `the sketch of row ${j}`);

  /** out = L⁻¹·F_{Ω_j}ᵀF_{Ω_j}·L⁻ᵀ·y for every row: one SDDMM and one SpMM. */
  const apply = async (y: Float64Array): Promise<Float64Array> => {
    const z = Float64Array.from(y);
    for (let j = 0; j < a; j++) solveLowerTransposed(l, k, z, j * k * k, j * k);
    const release = be.track();
    try {
      const onOmega = await ops.sddmm(be, await be.upload(hostTensor(dtype, [a, k], z)), f, pattern);
      const out = Float64Array.from((await be.download(await ops.spmm(be, pattern, onOmega, f))).data);
      for (let j = 0; j < a; j++) solveLower(l, k, out, j * k * k, j * k);
      c.count.flops += rowSolveFlops.robustApply(a, nnz, k);
      return out;
    } finally {
      release();
    }
  };

  const rhs = Float64Array.from((await be.download(await ops.spmm(be, pattern, c.obs, f))).data);
  for (let j = 0; j < a; j++) solveLower(l, k, rhs, j * k * k, j * k);
  c.count.flops += rowSolveFlops.robustSetup(a, nnz, k, s);
  const y = new Float64Array(a * k); // y = R·x₀ = L_jᵀ·x₀
  for (let j = 0; j < a; j++)
    for (let p = 0; p < k; p++) {
      let v = 0;
      for (let q = p; q < k; q++) v += l[j * k * k + q * k + p] * x0[j * k + q];
      y[j * k + p] = v;
    }
  const ay = await apply(y);
  const r = rhs.map((v, i) => v - ay[i]);
  const dir = Float64Array.from(r);
  const rr = new Float64Array(a),
    goal = new Float64Array(a);
  for (let j = 0; j < a; j++) {
    rr[j] = dot(r, r, j * k, k);
    goal[j] = reduction * reduction * rr[j];
  }
  let iterations = 0;
  for (const most = o.maxInner ?? 50; iterations < most; iterations++) {
    let active = 0;
    for (let j = 0; j < a; j++) {
      if (rr[j] > goal[j]) active++;
      else dir.fill(0, j * k, (j + 1) * k);
    }
    if (active === 0) break;
    const ad = await apply(dir);
    for (let j = 0; j < a; j++) {
      if (rr[j] <= goal[j]) continue;
      const curvature = dot(dir, ad, j * k, k);
      if (!(curvature > 0)) {
        // the row's Krylov space is exhausted: its residual is at rounding level
        goal[j] = Infinity;
        continue;
      }
      const alpha = rr[j] / curvature;
      for (let p = j * k; p < (j + 1) * k; p++) {
        y[p] += alpha * dir[p];
        r[p] -= alpha * ad[p];
      }
      const next = dot(r, r, j * k, k);
      const beta = next / rr[j];
      rr[j] = next;
      for (let p = j * k; p < (j + 1) * k; p++) dir[p] = r[p] + beta * dir[p];
    }
    c.count.flops += rowSolveFlops.cgUpdate(a, k);
  }
  for (let j = 0; j < a; j++) solveLowerTransposed(l, k, y, j * k * k, j * k);
  return { x: y, iterations };
}

function dot(x: Float64Array, y: Float64Array, off: number, len: number): number {
  let s = 0;
  for (let i = off; i < off + len; i++) s += x[i] * y[i];
  return s;
}
