/**
 * What the diagonal adapters (svfit.ts, loldu.ts) share. Each trains a diagonal inside a frozen
 * factorization of W₀: W = W_res + L·diag(θ)·R with L (out×r) and R (r×in) frozen and
 * W_res = W₀ − L·diag(θ₀)·R, so that W(θ₀) = W₀ exactly:
 *
 * - SVFit (S44: "Parameter-Efficient Fine-Tuning of Large Pre-Trained Models Using Singular Values"):
 *   L = U_r, R = V_rᵀ, θ₀ = σ₁…σ_r of W₀ = U·S·Vᵀ; r from the energy rule Σ_{i≤r}σ_i² ≥ e·Σσ_i² or given.
 * - LoLDU (S22: "Low-Rank Adaptation via Lower-Diag-Upper Decomposition", following its public
 *   `ldu_decomposition`): W₀ = P·L·D·U′ (pivoted LU, U′ unit upper), L ← s·(P·L)[:, :r], R = U′[:r, :],
 *   θ₀ = D[:r] and one more trainable scalar s (init α/r): r + 1 parameters.
 *
 * ∂L/∂θ_i = l_iᵀ·∂W·r_i = (Lᵀ·∂W·Rᵀ)_ii: two GEMMs (r×out·out×in, then ·in×r) and the diagonal.
 */
import { hostTensor, ops, type Backend, type DeviceTensor } from '@lowrank/core';
import { diagonalMatrix } from '@lowrank/linalg';

/** W_res + scale·L·diag(d)·R on the device. */
export async function lowRankUpdate(
  be: Backend,
  base: DeviceTensor,
  l: DeviceTensor,
  d: ArrayLike<number>,
  r: DeviceTensor,
  scale: number,
): Promise<DeviceTensor> {
  const k = d.length;
  const ld = await ops.gemm(be, l, await be.upload(hostTensor(base.dtype, [k, k], diagonalMatrix(d))));
  const w = await ops.copy(be, base);
  await ops.gemm(be, ld, r, { alpha: scale, beta: 1, c: w });
  be.dispose(ld);
  return w;
}

/** (Lᵀ·∂W·Rᵀ)_ii for i < r, on the host. */
export async function diagonalContraction(
  be: Backend,
  l: DeviceTensor,
  dW: DeviceTensor,
  r: DeviceTensor,
): Promise<Float64Array> {
  const m = await ops.gemm(be, l, dW, { transA: true });
  const n = await ops.gemm(be, m, r, { transB: true });
  const k = l.shape[1],
    data = (await be.download(n)).data;
  be.dispose(m);
  be.dispose(n);
  return Float64Array.from({ length: k }, (_, i) => data[i * k + i]);
}
