/**
 * Continuous-index Tucker of two-mode data, FunBaT-lite (S24; Fang et al., "Functional Bayesian Tucker
 * decomposition for continuous-indexed tensor data"): observations f_i at continuous coordinates (x_i, y_i),
 *
 *   f(x, y) = u(x)ᵀ W v(y),   u_r ~ GP(0, Matérn),  v_s ~ GP(0, Matérn),  W Gaussian (R₁ × R₂),
 *
 * fitted by alternating Gaussian updates — the catalogue's reduced form of the paper's conditional EP (the
 * paper's message schedule was not available offline; this is the closest standard method, named in the claim):
 * given v and W, each u_r in turn (Gauss–Seidel backfitting) sees pseudo-observations z_i = e_i/c_ir with precision
 * c_ir²/σ², c_i = W v(y_i) and e_i = f_i − Σ_{r'≠r} c_ir' u_r'(x_i), and takes its posterior mean from the Kalman
 * smoother of its Matérn SDE (packages/ssm: O(n) per function, on the backend) at every mode-1 coordinate —
 * observed and queried, the latter with precision 0; then v likewise; then W by its Gaussian posterior mean (ridge
 * normal equations, R₁R₂ unknowns, on the host). Predictions read the functions at the query coordinates. The start
 * is deterministic: v_s(y) = cos(sπy), W = I, u from its first update.
 *
 * The baseline the paper improves on, Tucker on binned indices: the data averaged in a B × B grid of cells
 * (count c_ab, mean m_ab) and a rank-(R, R) Tucker of that matrix by weighted ALS on the observed cells —
 * for two modes Tucker is a rank-R factorization, the core absorbed into one factor — with a small ridge for cells
 * never observed; predictions read the query's cell.
 */
import {
  ArgumentError,
  choleskyFactor,
  choleskySolve,
  fillRandom,
  ShapeError,
  type Backend,
  type DType,
} from '@lowrank/core';
import { maternSmooth, type MaternSde } from '@lowrank/ssm';

/** Observations f at coordinates (x, y) in one allocation each. */
export interface TwoModeData {
  x: Float64Array;
  y: Float64Array;
  f: Float64Array;
}

export interface FunbatOptions {
  ranks: readonly [number, number];
  /** The latent functions' prior (one SDE for both modes). */
  sde: MaternSde;
  /** Observation noise variance σ² > 0. */
  noiseVariance: number;
  sweeps: number;
  /** Prior variance of W's entries. */
  coreVariance: number;
}

function checkData(d: TwoModeData, name: string): void {
  if (d.y.length !== d.x.length || d.f.length !== d.x.length)
    throw new ShapeError(
      `${name}: x, y and f need one value per point, got ${d.x.length}, ${d.y.length}, ${d.f.length}`,
    );
  for (const a of [d.x, d.y, d.f])
    for (let i = 0; i < a.length; i++)
      if (!Number.isFinite(a[i])) throw new ArgumentError(`${name}: value ${i} is not finite`);
}

/** One mode's functions at its coordinates: the n observed ones first, then the queries. */
interface ModeState {
  coords: Float64Array;
  /** R × (n + q), row r the values of function r. */
  values: Float64Array;
  rank: number;
}

/**
 * Backfits one mode's functions: `coef[i·R + r]` is c_ir for observation i (the other mode and W folded in);
 * each function r smoothed in turn against its partial residuals.
 */
async function backfit(
  be: Backend,
  dtype: DType,
  o: FunbatOptions,
  mode: ModeState,
  coef: Float64Array,
  f: Float64Array,
): Promise<void> {
  const n = f.length,
    total = mode.coords.length,
    R = mode.rank;
  const fit = new Float64Array(n);
  for (let i = 0; i < n; i++) for (let r = 0; r < R; r++) fit[i] += coef[i * R + r] * mode.values[r * total + i];
  for (let r = 0; r < R; r++) {
    const z = new Float64Array(total),
      w = new Float64Array(total);
    for (let i = 0; i < n; i++) {
      const c = coef[i * R + r];
      if (c === 0) continue;
      const partial = f[i] - fit[i] + c * mode.values[r * total + i];
      z[i] = partial / c;
      w[i] = (c * c) / o.noiseVariance;
    }
    const post = await maternSmooth(be, dtype, o.sde, mode.coords, z, w, 1);
    for (let i = 0; i < n; i++) fit[i] += coef[i * R + r] * (post.mean[i] - mode.values[r * total + i]);
    mode.values.set(post.mean, r * total);
  }
}

/** W's posterior mean given both modes' functions at the observations: (ΦᵀΦ/σ² + I/τ)⁻¹Φᵀf/σ². */
function coreUpdate(o: FunbatOptions, u: ModeState, v: ModeState, f: Float64Array): Float64Array {
  const [R1, R2] = o.ranks,
    k = R1 * R2,
    n = f.length;
  const g = new Float64Array(k * k),
    b = new Float64Array(k),
    phi = new Float64Array(k);
  for (let i = 0; i < n; i++) {
    for (let r = 0; r < R1; r++)
      for (let s = 0; s < R2; s++)
        phi[r * R2 + s] = u.values[r * u.coords.length + i] * v.values[s * v.coords.length + i];
    for (let a = 0; a < k; a++) {
      b[a] += (phi[a] * f[i]) / o.noiseVariance;
      for (let c = 0; c < k; c++) g[a * k + c] += (phi[a] * phi[c]) / o.noiseVariance;
    }
  }
  for (let a = 0; a < k; a++) g[a * k + a] += 1 / o.coreVariance;
  return choleskySolve(choleskyFactor(g, k, 'the core normal equations'), k, b);
}

/** Fits FunBaT-lite to the data and returns its predictions at the query coordinates. */
export async function funbatLite(
  be: Backend,
  dtype: DType,
  data: TwoModeData,
  query: { x: Float64Array; y: Float64Array },
  o: FunbatOptions,
): Promise<Float64Array> {
  checkData(data, 'FunBaT data');
  checkData({ ...query, f: new Float64Array(query.x.length) }, 'FunBaT queries');
  const [R1, R2] = o.ranks;
  if (!(o.noiseVariance > 0) || !(o.coreVariance > 0)) throw new ArgumentError('FunBaT: variances must be > 0');
  if (!Number.isInteger(o.sweeps) || o.sweeps < 1)
    throw new ArgumentError(`FunBaT: sweeps must be ≥ 1, got ${o.sweeps}`);
  const n = data.f.length,
    q = query.x.length;
  // Mode 1 starts at zero (its first update reads only v and W); mode 2 at the cosines cos(sπy), s = 0 … R₂ − 1,
  // a smooth deterministic start.
  const mode = (coords: Float64Array, extra: Float64Array, rank: number, cosines: boolean): ModeState => {
    const all = new Float64Array(n + q);
    all.set(coords);
    all.set(extra, n);
    const values = new Float64Array(rank * (n + q));
    if (cosines)
      for (let s = 0; s < rank; s++)
        for (let j = 0; j < n + q; j++) values[s * (n + q) + j] = Math.cos(s * Math.PI * all[j]);
    return { coords: all, rank, values };
  };
  const u = mode(data.x, query.x, R1, false),
    v = mode(data.y, query.y, R2, true);
  let w: Float64Array = Float64Array.from({ length: R1 * R2 }, (_, i) => (Math.floor(i / R2) === i % R2 ? 1 : 0));
  const coefU = new Float64Array(n * R1),
    coefV = new Float64Array(n * R2);
  for (let sweep = 0; sweep < o.sweeps; sweep++) {
    // c_i = W v(y_i) for mode 1, Wᵀ u(x_i) for mode 2.
    for (let i = 0; i < n; i++)
      for (let r = 0; r < R1; r++) {
        let s = 0;
        for (let t = 0; t < R2; t++) s += w[r * R2 + t] * v.values[t * (n + q) + i];
        coefU[i * R1 + r] = s;
      }
    await backfit(be, dtype, o, u, coefU, data.f);
    for (let i = 0; i < n; i++)
      for (let t = 0; t < R2; t++) {
        let s = 0;
        for (let r = 0; r < R1; r++) s += w[r * R2 + t] * u.values[r * (n + q) + i];
        coefV[i * R2 + t] = s;
      }
    await backfit(be, dtype, o, v, coefV, data.f);
    w = coreUpdate(o, u, v, data.f);
  }
  const out = new Float64Array(q);
  for (let j = 0; j < q; j++)
    for (let r = 0; r < R1; r++)
      for (let t = 0; t < R2; t++)
        out[j] += u.values[r * (n + q) + n + j] * w[r * R2 + t] * v.values[t * (n + q) + n + j];
  return out;
}

export interface BinnedOptions {
  /** Cells per axis on [0, 1]. */
  bins: number;
  rank: number;
  sweeps: number;
  /** Ridge on both factors, relative to the largest cell count. */
  ridge: number;
  seed: number;
}

/** Cell index of a coordinate in [0, 1] (the last cell closed). */
const cellOf = (t: number, bins: number) => Math.min(bins - 1, Math.max(0, Math.floor(t * bins)));

/** Rank-R Tucker of the binned data by weighted ALS; predictions at the queries' cells. */
export function binnedTucker(
  data: TwoModeData,
  query: { x: Float64Array; y: Float64Array },
  o: BinnedOptions,
): Float64Array {
  checkData(data, 'binned data');
  const B = o.bins,
    R = o.rank;
  if (!Number.isInteger(B) || B < 1 || !Number.isInteger(R) || R < 1)
    throw new ArgumentError(`binned Tucker: bins and rank must be integers ≥ 1, got ${B}, ${R}`);
  const count = new Float64Array(B * B),
    sum = new Float64Array(B * B);
  for (let i = 0; i < data.f.length; i++) {
    const c = cellOf(data.x[i], B) * B + cellOf(data.y[i], B);
    count[c]++;
    sum[c] += data.f[i];
  }
  const mean = sum.map((s, c) => (count[c] > 0 ? s / count[c] : 0));
  const lambda = o.ridge * Math.max(1, ...count);
  const a = Float64Array.from(fillRandom({ seed: o.seed, stream: 2 }, 'normal', 'f64', B * R)),
    b = Float64Array.from(fillRandom({ seed: o.seed, stream: 3 }, 'normal', 'f64', B * R));
  /** Rows of `target` (B × R) by weighted least squares against the fixed factor, cells read along `byRow`. */
  const solve = (target: Float64Array, fixed: Float64Array, byRow: boolean) => {
    for (let p = 0; p < B; p++) {
      const g = new Float64Array(R * R),
        rhs = new Float64Array(R);
      for (let t = 0; t < B; t++) {
        const c = byRow ? p * B + t : t * B + p;
        if (count[c] === 0) continue;
        for (let r = 0; r < R; r++) {
          rhs[r] += count[c] * mean[c] * fixed[t * R + r];
          for (let s = 0; s < R; s++) g[r * R + s] += count[c] * fixed[t * R + r] * fixed[t * R + s];
        }
      }
      for (let r = 0; r < R; r++) g[r * R + r] += lambda;
      target.set(choleskySolve(choleskyFactor(g, R, 'a binned row'), R, rhs), p * R);
    }
  };
  for (let sweep = 0; sweep < o.sweeps; sweep++) {
    solve(a, b, true);
    solve(b, a, false);
  }
  return Float64Array.from(query.x, (x, j) => {
    const p = cellOf(x, B),
      t = cellOf(query.y[j], B);
    let s = 0;
    for (let r = 0; r < R; r++) s += a[p * R + r] * b[t * R + r];
    return s;
  });
}
