/**
 * Maestro's low-rank ordered decomposition (S19: Horváth et al., "Maestro: Uncovering Low-Rank
 * Structures via Trainable Decomposition"): factor a map as U·Vᵀ with R components and train it with
 * ordered dropout, each step keeping only a random prefix b ~ Uniform{1..R} of the components,
 *   min E_b ‖(U_{:, :b}·V_{:, :b}ᵀ − T)·C‖²_F,
 * where C·Cᵀ = Σ is the input covariance (the expected squared error over x ~ N(0, Σ), used exactly).
 * Every prefix must then be a good rank-b map, which orders the components as the SVD does (the
 * paper's result for uniformly distributed data), or as PCA for a linear autoencoder (T = I).
 * The components are stored as rows (Uᵀ: R×m, Vᵀ: R×n), so a prefix is contiguous.
 */
import { fillRandom, hostTensor, ops, type Backend, type DType } from '@lowrank/core';
import { Adam } from '@lowrank/mlp';

export interface OrderedFactorization {
  readonly m: number;
  readonly n: number;
  readonly rank: number;
  /** Uᵀ (rank×m) and Vᵀ (rank×n), host. */
  readonly ut: Float64Array;
  readonly vt: Float64Array;
}

export interface OrderedTraining {
  readonly rank: number;
  readonly steps: number;
  readonly lr: number;
  /** Ordered dropout on (Maestro) or off (plain factorized training: every step uses all components). */
  readonly ordered: boolean;
  readonly seed: number;
}

/** Trains U·Vᵀ ≈ T (m×n) under input covariance Σ (n×n; identity when null) with Adam. */
export async function trainOrderedFactorization(
  be: Backend,
  dtype: DType,
  target: Float64Array,
  m: number,
  n: number,
  sigma: Float64Array | null,
  o: OrderedTraining,
): Promise<OrderedFactorization> {
  const r = o.rank,
    scale = 1 / Math.sqrt(Math.max(m, n));
  const theta = (fillRandom({ seed: o.seed, stream: 170 }, 'normal', 'f64', r * (m + n)) as Float64Array).map(
    (v) => v * scale,
  );
  const draws = fillRandom({ seed: o.seed, stream: 171 }, 'uniform', 'f64', o.steps);
  const adam = new Adam(theta.length, o.lr);
  const t = await be.upload(hostTensor(dtype, [m, n], target));
  const cov = sigma ? await be.upload(hostTensor(dtype, [n, n], sigma)) : null;
  const grad = new Float64Array(theta.length);
  try {
    for (let step = 0; step < o.steps; step++) {
      const b = o.ordered ? 1 + Math.floor(draws[step] * r) : r;
      const release = be.track();
      try {
        const ub = await be.upload(hostTensor(dtype, [b, m], theta.subarray(0, b * m)));
        const vb = await be.upload(hostTensor(dtype, [b, n], theta.subarray(r * m, r * m + b * n)));
        // R = U_b·V_bᵀ − T, G = R·Σ; ∂U_bᵀ = 2·V_bᵀ·Gᵀ, ∂V_bᵀ = 2·U_bᵀ·G.
        const res = await ops.gemm(be, ub, vb, { transA: true });
        await ops.axpy(be, -1, t, res);
        const g = cov ? await ops.gemm(be, res, cov) : res;
        const du = await ops.gemm(be, vb, g, { transB: true, alpha: 2 });
        const dv = await ops.gemm(be, ub, g, { alpha: 2 });
        grad.fill(0);
        grad.set((await be.download(du)).data, 0);
        grad.set((await be.download(dv)).data, r * m);
      } finally {
        release();
      }
      adam.step(theta, grad);
    }
  } finally {
    be.dispose(t);
    if (cov) be.dispose(cov);
  }
  return { m, n, rank: r, ut: theta.slice(0, r * m), vt: theta.slice(r * m) };
}
