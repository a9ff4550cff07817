/**
 * Rank-r subspaces of a gradient G (m×n, m ≥ n: a wider G is handled as Gᵀ by the caller) onto which a
 * low-rank optimizer projects, g = G·P with P n×r orthonormal, and maps back, ΔW = u·Pᵀ.
 *
 * - DCT (S05, Modoranu et al.; the rule confirmed from the official fft_projector.py, FORMULAS.md): P
 *   is r columns of the orthonormal DCT-II matrix Q, Q[j, k] = c_k·cos(πk(2j+1)/2n), c_0 = √(1/n),
 *   c_k = √(2/n). The columns are those of S = G·Q with the largest norms, ℓ1 by default (the code's),
 *   ℓ2 the error-optimal choice: Σ_k ‖S_k‖² = ‖G‖²_F, so the r largest ℓ2 scores keep at least r/n of
 *   the energy. S is the row-wise DCT of G (the fast transform) when n is a power of two, else the
 *   dense product with Q. Only the r indices are state.
 * - SVD (GaLore's projector, Zhao et al. 2024): the r leading right singular vectors of G, the best
 *   rank-r subspace (Eckart–Young); P itself is state.
 */
import { hostTensor, ops, topK, type Backend, type DeviceTensor } from '@lowrank/core';
import { truncatedSvd } from '@lowrank/linalg';

export type ScoreNorm = 'l1' | 'l2';

export interface Subspace {
  /** n×r, orthonormal columns. */
  basis: DeviceTensor;
  /** The DCT columns chosen (ascending rank of score), or null for an SVD subspace. */
  indices: Int32Array | null;
}

/** Columns `indices` of the n×n orthonormal DCT-II matrix, as an n×r row-major host array. */
export function dctColumns(n: number, indices: ArrayLike<number>): Float64Array {
  const r = indices.length;
  const out = new Float64Array(n * r);
  for (let c = 0; c < r; c++) {
    const k = indices[c];
    const scale = Math.sqrt((k === 0 ? 1 : 2) / n);
    for (let j = 0; j < n; j++) out[j * r + c] = scale * Math.cos((Math.PI * k * (2 * j + 1)) / (2 * n));
  }
  return out;
}

const isPowerOfTwo = (n: number) => n > 0 && (n & (n - 1)) === 0;

/** S = G·Q: the DCT of each row of G, by the fast transform where n is a power of two. */
export async function dctOfRows(be: Backend, g: DeviceTensor): Promise<DeviceTensor> {
  const n = g.shape[1];
  if (isPowerOfTwo(n)) return ops.dct(be, g);
  const all = Int32Array.from({ length: n }, (_, k) => k);
  const q = await be.upload(hostTensor(g.dtype, [n, n], dctColumns(n, all)));
  const s = await ops.gemm(be, g, q);
  be.dispose(q);
  return s;
}

/** The score of every DCT column of G: ‖S_k‖₁ or ‖S_k‖₂² (host, length n). */
export async function dctScores(be: Backend, g: DeviceTensor, norm: ScoreNorm): Promise<Float64Array> {
  const release = be.track();
  try {
    const s = await dctOfRows(be, g);
    const scores =
      norm === 'l1'
        ? await ops.reduce(be, 'sum', await ops.unary(be, 'abs', s), 'cols')
        : await ops.reduce(be, 'sumsq', s, 'cols');
    return Float64Array.from((await be.download(scores)).data);
  } finally {
    release();
  }
}

/** The r DCT columns of G with the largest scores (ties to the lower index) and their basis. */
export async function dctSubspace(be: Backend, g: DeviceTensor, r: number, norm: ScoreNorm = 'l1'): Promise<Subspace> {
  const indices = topK(await dctScores(be, g, norm), r);
  const basis = await be.upload(hostTensor(g.dtype, [g.shape[1], r], dctColumns(g.shape[1], indices)));
  return { basis, indices };
}

/** GaLore's projector: the r leading right singular vectors of G. */
export async function svdSubspace(be: Backend, g: DeviceTensor, r: number): Promise<Subspace> {
  const f = await truncatedSvd(be, g, r);
  be.dispose(f.u);
  be.dispose(f.s);
  return { basis: f.v, indices: null };
}

/**
 * The change of basis R = P_prevᵀ·P_new (r×r) that carries moments kept in the old coordinates into
 * the new ones (m ← m·R). For DCT subspaces R is a partial permutation: a column kept moves its
 * moments, a new column starts from zero.
 */
export async function rotation(be: Backend, prev: Subspace, next: Subspace): Promise<DeviceTensor> {
  return ops.gemm(be, prev.basis, next.basis, { transA: true });
}

/** Energy kept by a subspace, ‖G·P‖²_F / ‖G‖²_F (1 for G = 0). */
export async function capturedEnergy(be: Backend, g: DeviceTensor, s: Subspace): Promise<number> {
  // Deno's parser refuses an awaited value raised to a power: the norms are named first.
  const norm = await ops.nrm2(be, g);
  const total = norm * norm;
  if (total === 0) return 1;
  const p = await ops.gemm(be, g, s.basis);
  const keptNorm = await ops.nrm2(be, p);
  const kept = keptNorm * keptNorm;
  be.dispose(p);
  return kept / total;
}
