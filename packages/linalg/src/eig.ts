/**
 * Symmetric eigenproblems written against the Backend interface.
 * - `symmetricEig` by one of two methods:
 *   - `'tridiagonal'` (default): the backends' `syev` kernel, Householder tridiagonalization, then
 *     implicit QL (LAPACK dsytrd + dsteqr: the reference and WebGPU kernels, and WASM without vectors)
 *     or divide and conquer (dstedc: WASM with vectors);
 *   - `'jacobi'`: the backends' one-sided Jacobi SVD kernel on the shifted matrix B = A + c·I with
 *     c = ‖A‖_F ≥ ρ(A), so B is positive semidefinite and its SVD is its eigendecomposition
 *     (B = V·Σ·Vᵀ): λ = σ − c, eigenvectors V; ±λ pairs, which an SVD of A itself would mix, are
 *     separated by the shift.
 *   Both are normwise backward stable (errors of order ε·‖A‖, what LAPACK's dsyt21 test measures).
 * - `lanczos`: the top-k eigenpairs of a symmetric operator given only as a matrix–vector product,
 *   with full reorthogonalization, Ritz values from the small tridiagonal matrix.
 */
import { EPSILON, hostTensor, ops, type Backend, type DeviceTensor } from '@lowrank/core';
import { checkCount, checkRank } from './checks.ts';
import { frobenius } from './host.ts';
import { rangeScale } from './range.ts';

export interface SymmetricEig {
  /** Eigenvalues, descending. */
  values: Float64Array;
  /** Orthonormal eigenvectors as columns (n×n), in the order of `values`. */
  vectors: DeviceTensor;
}

export type EigMethod = 'tridiagonal' | 'jacobi';
export const EIG_METHODS: readonly EigMethod[] = ['tridiagonal', 'jacobi'];

/** B = A + c·I with c = ‖A‖_F ≥ ρ(A): positive semidefinite, so its SVD is its eigendecomposition. */
async function shiftedPsd(be: Backend, a: DeviceTensor): Promise<{ b: DeviceTensor; c: number }> {
  const n = a.shape[0];
  if (a.shape.length !== 2 || a.shape[1] !== n)
    throw new RangeError(`symmetricEig: a must be square, got [${a.shape.join('×')}]`);
  const c = frobenius(Float64Array.from((await be.download(a)).data));
  const shift = new Float64Array(n * n);
  for (let i = 0; i < n; i++) shift[i * n + i] = c;
  const cI = await be.upload(hostTensor(a.dtype, [n, n], shift));
  const b = await ops.binary(be, 'add', a, cI);
  be.dispose(cI);
  return { b, c };
}

async function hostValues(be: Backend, t: DeviceTensor, shift = 0): Promise<Float64Array> {
  const values = Float64Array.from((await be.download(t)).data, (x) => x - shift);
  be.dispose(t);
  return values;
}

export async function symmetricEig(
  be: Backend,
  a: DeviceTensor,
  o: { method?: EigMethod } = {},
): Promise<SymmetricEig> {
  if ((o.method ?? 'tridiagonal') === 'tridiagonal') {
    return inRange(be, a, async (x) => {
      const f = await ops.syev(be, x);
      return { values: await hostValues(be, f.values), vectors: f.vectors };
    });
  }
  return inRange(be, a, async (x) => {
    const { b, c } = await shiftedPsd(be, x);
    const f = await ops.svd(be, b);
    be.dispose(b);
    be.dispose(f.u);
    return { values: await hostValues(be, f.s, c), vectors: f.v };
  });
}

/**
 * Runs an eigensolve on A scaled by the power of two `svd` uses (max|a_ij| near 1 when it lies
 * outside the safe exponent range), so neither Jacobi's squared column norms nor the QL deflation test
 * (ε·|d|) under- or overflow, and scales the eigenvalues back; exact, since the scale is a power of two.
 */
async function inRange<T extends { values: Float64Array }>(
  be: Backend,
  a: DeviceTensor,
  solve: (x: DeviceTensor) => Promise<T>,
): Promise<T> {
  const scale = await rangeScale(be, a);
  if (scale === 1 || Number.isNaN(scale)) return solve(a); // NaN: A holds NaN or ±Inf, which the kernel names
  const scaled = await ops.scal(be, scale, await ops.copy(be, a));
  try {
    const r = await solve(scaled);
    r.values.forEach((v, i) => {
      r.values[i] = v / scale;
    });
    return r;
  } finally {
    be.dispose(scaled);
  }
}

/** Eigenvalues only, descending (no vectors accumulated). */
export async function symmetricEigValues(
  be: Backend,
  a: DeviceTensor,
  o: { method?: EigMethod } = {},
): Promise<Float64Array> {
  if ((o.method ?? 'tridiagonal') === 'tridiagonal') {
    const { values } = await inRange(be, a, async (x) => {
      const f = await ops.syev(be, x, { valuesOnly: true });
      be.dispose(f.vectors);
      return { values: await hostValues(be, f.values) };
    });
    return values;
  }
  const { values } = await inRange(be, a, async (x) => {
    const { b, c } = await shiftedPsd(be, x);
    const f = await ops.svd(be, b, { valuesOnly: true });
    be.dispose(b);
    be.dispose(f.u);
    be.dispose(f.v);
    return { values: await hostValues(be, f.s, c) };
  });
  return values;
}

export interface LanczosOptions {
  /** Krylov dimension (default min(n, 2k + 20)). */
  steps?: number;
  seed?: number;
}

/**
 * Lanczos with full reorthogonalization (Golub and Van Loan §10.1): q₀ random, w = A·q_j − β_{j−1}·q_{j−1},
 * α_j = q_j·w, w ← w − α_j·q_j, then w orthogonalized twice against every earlier q (so the basis stays
 * orthonormal to working precision), β_j = ‖w‖. The top-k eigenvalues of the tridiagonal T_m are the
 * Ritz values. On an invariant subspace (β_j ≤ n·ε·‖T‖, e.g. A = I, a zero or rank-one A) it restarts
 * from a random vector orthogonal to the basis with β_j = 0, so T splits into blocks whose eigenvalues
 * together are A's (multiple ones included) and k Ritz values still come back (Parlett §13.6).
 *
 * The basis is the rows of one device matrix Q, and each orthogonalization is classical Gram–Schmidt
 * done twice, h = Q·w, w ← w − Qᵀ·h: two GEMVs and no scalar read back, where modified Gram–Schmidt
 * reads one dot product per basis vector. Twice is enough (Giraud, Langou, Rozložník 2005): CGS2
 * leaves w orthogonal to the basis to O(ε) as MGS2 does. Only α_j and β_j come back each step.
 */
export async function lanczos(
  be: Backend,
  matvec: (x: DeviceTensor) => Promise<DeviceTensor>,
  n: number,
  k: number,
  dtype: 'f32' | 'f64' | 'f16',
  o: LanczosOptions = {},
): Promise<Float64Array> {
  checkRank(k);
  checkCount('n', n, 1);
  if (o.steps !== undefined) checkCount('steps', o.steps, 1);
  const steps = Math.min(n, o.steps ?? 2 * k + 20);
  const release = be.track();
  try {
    const basis = be.zeros(dtype, [steps, n]); // row j is q_j; rows not yet written are zero
    const unit = new Float64Array(steps);
    /** Q ← Q + e_j·qᵀ: writes q into row j. */
    const append = async (j: number, q: DeviceTensor) => {
      unit.fill(0);
      unit[j] = 1;
      const e = await be.upload(hostTensor(dtype, [steps, 1], unit));
      const row = await ops.reshape(be, q, [1, n]);
      await ops.gemm(be, e, row, { c: basis, beta: 1 });
      be.dispose(e);
      be.dispose(row);
    };
    const orthogonalize = async (w: DeviceTensor) => {
      for (let pass = 0; pass < 2; pass++) {
        const h = await ops.gemv(be, basis, w);
        await ops.gemv(be, basis, h, { trans: true, alpha: -1, beta: 1, y: w });
        be.dispose(h);
      }
    };
    let q = await ops.random(be, dtype, [n], { dist: 'normal', seed: o.seed ?? 0, stream: 1 });
    await ops.scal(be, 1 / (await ops.nrm2(be, q)), q);
    let previous: DeviceTensor | null = null;
    const alpha: number[] = [],
      beta: number[] = [];
    const tol = n * EPSILON[be.info.computeDType[dtype]];
    let tNorm = 0; // max row sum of |T| so far: the scale of the breakdown test
    for (let j = 0; j < steps; j++) {
      await append(j, q);
      const w = await matvec(q);
      if (previous !== null) await ops.axpy(be, -beta[j - 1], previous, w);
      const a = await ops.dot(be, q, w);
      alpha.push(a);
      await ops.axpy(be, -a, q, w);
      await orthogonalize(w);
      const b = await ops.nrm2(be, w);
      tNorm = Math.max(tNorm, Math.abs(a) + b + (j > 0 ? beta[j - 1] : 0));
      if (j === steps - 1) break;
      if (previous !== null) be.dispose(previous); // q_{j−1}: its last use was this step
      previous = q;
      if (b <= tol * tNorm) {
        // Invariant subspace: continue from a fresh random direction orthogonal to the basis.
        const r = await ops.random(be, dtype, [n], {
          dist: 'normal',
          seed: o.seed ?? 0,
          stream: 1,
          offset: n * (j + 1),
        });
        await ops.scal(be, 1 / (await ops.nrm2(be, r)), r);
        await orthogonalize(r);
        const left = await ops.nrm2(be, r);
        if (!(left > 1e-4)) break; // the basis already spans (numerically) the whole space
        await ops.scal(be, 1 / left, r);
        beta.push(0);
        q = r;
        continue;
      }
      beta.push(b);
      await ops.scal(be, 1 / b, w);
      q = w;
    }
    return await ritzValues(be, dtype, alpha, beta, k);
  } finally {
    release();
  }
}

/** The top k eigenvalues of the tridiagonal T with diagonal α and off-diagonal β. */
async function ritzValues(
  be: Backend,
  dtype: 'f32' | 'f64' | 'f16',
  alpha: number[],
  beta: number[],
  k: number,
): Promise<Float64Array> {
  const m = alpha.length;
  const t = new Float64Array(m * m);
  for (let i = 0; i < m; i++) {
    t[i * m + i] = alpha[i];
    if (i + 1 < m) {
      t[i * m + i + 1] = beta[i];
      t[(i + 1) * m + i] = beta[i];
    }
  }
  const tDevice = await be.upload(hostTensor(dtype, [m, m], t));
  const values = await symmetricEigValues(be, tDevice);
  be.dispose(tDevice);
  return values.slice(0, Math.min(k, m));
}
