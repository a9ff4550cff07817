/**
 * FWSVD (S43: Hsu, Hua, Tang, Lin, Shen & Jin, "Language model compression with weighted low-rank
 * factorization", ICLR 2022): weight the rows of a layer by their Fisher information before the SVD.
 *   I_ij = (1/|D|)·Σ_d (∂L_d/∂W_ij)²,  Î_i = Σ_j I_ij,  D = diag(√Î),
 *   D·W = U·S·Vᵀ,  W ≈ A·B with A = D⁻¹·U_r·S_r, B = V_rᵀ  (the minimizer of ‖D·(W − A·B)‖_F).
 * The layer here is the first of a two-layer ReLU network y = W₂·relu(W₁·x) with squared loss, so
 * ∂L_d/∂W₁ = δ_d·x_dᵀ with δ_d = (W₂ᵀ·(ŷ_d − t_d)) ⊙ relu′(W₁·x_d), and I = (1/|D|)·(Δ⊙Δ)ᵀ·(X⊙X): one GEMM.
 */
import { ArgumentError, hostTensor, ops, type Backend, type DeviceTensor, type DType } from '@lowrank/core';
import { hostSvd } from '@lowrank/linalg';
import { termsFromSvd, type LowRankTerm } from './low-rank-term.ts';

/** A two-layer ReLU network y = W₂·relu(W₁·x): W₁ hidden×inputs, W₂ outputs×hidden (host, row-major). */
export interface TwoLayerNet {
  readonly inputs: number;
  readonly hidden: number;
  readonly outputs: number;
  readonly w1: Float64Array;
  readonly w2: Float64Array;
}

/** Outputs (samples×outputs) of the network with first layer `w1` on inputs X (samples×inputs), on the backend. */
export async function forward(
  be: Backend,
  dtype: DType,
  net: TwoLayerNet,
  w1: Float64Array,
  x: DeviceTensor,
): Promise<DeviceTensor> {
  const release = be.track();
  const a = await ops.unary(
    be,
    'relu',
    await ops.gemm(be, x, await be.upload(hostTensor(dtype, [net.hidden, net.inputs], w1)), { transB: true }),
  );
  const y = await ops.gemm(be, a, await be.upload(hostTensor(dtype, [net.outputs, net.hidden], net.w2)), {
    transB: true,
  });
  release(y);
  return y;
}

/**
 * Row importance Î_i = Σ_j I_ij of W₁ from the empirical Fisher on samples X (samples×inputs) with
 * targets T (samples×outputs). The ReLU mask is applied on the host (no step primitive); the products run on the backend.
 */
export async function fisherRowImportance(
  be: Backend,
  dtype: DType,
  net: TwoLayerNet,
  x: DeviceTensor,
  targets: Float64Array,
): Promise<Float64Array> {
  const samples = x.shape[0];
  if (targets.length !== samples * net.outputs)
    throw new ArgumentError(
      `fisherRowImportance: ${targets.length} targets for ${samples} samples × ${net.outputs} outputs`,
    );
  const release = be.track();
  try {
    const w1 = await be.upload(hostTensor(dtype, [net.hidden, net.inputs], net.w1));
    const w2 = await be.upload(hostTensor(dtype, [net.outputs, net.hidden], net.w2));
    const pre = await ops.gemm(be, x, w1, { transB: true }); // samples×hidden
    const out = await ops.gemm(be, await ops.unary(be, 'relu', pre), w2, { transB: true });
    const residual = await ops.binary(
      be,
      'sub',
      out,
      await be.upload(hostTensor(dtype, [samples, net.outputs], targets)),
    );
    const back = (await be.download(await ops.gemm(be, residual, w2))).data; // (ŷ − t)·W₂: samples×hidden
    const mask = (await be.download(pre)).data;
    const deltaSq = Float64Array.from(back, (g, i) => (mask[i] > 0 ? g * g : 0));
    const fisher = await ops.gemm(
      be,
      await be.upload(hostTensor(dtype, [samples, net.hidden], deltaSq)),
      await ops.unary(be, 'square', x),
      { transA: true, alpha: 1 / samples },
    );
    return Float64Array.from((await be.download(await ops.reduce(be, 'sum', fisher, 'rows'))).data);
  } finally {
    release();
  }
}

/** FWSVD's rank-r factors of W (m×n) for each rank, from row importances Î (m, all positive), with σ(D·W). */
export async function fisherWeightedSvd(
  be: Backend,
  dtype: DType,
  w: ArrayLike<number>,
  m: number,
  n: number,
  importance: ArrayLike<number>,
  ranks: readonly number[],
): Promise<{ terms: LowRankTerm[]; sigma: Float64Array }> {
  const d = Array.from(importance, Math.sqrt);
  const bad = d.findIndex((v) => !(v > 0 && Number.isFinite(v)));
  if (bad >= 0)
    throw new ArgumentError(
      `fisherWeightedSvd: row ${bad} has importance ${importance[bad]}; every row needs a positive, finite weight`,
    );
  const scaled = await be.upload(
    hostTensor(
      dtype,
      [m, n],
      Float64Array.from(w, (v, i) => v * d[Math.floor(i / n)]),
    ),
  );
  const f = await hostSvd(be, scaled);
  be.dispose(scaled);
  const k = f.s.length;
  const u = f.u.map((v, i) => v / d[Math.floor(i / k)]); // D⁻¹·U
  return { terms: termsFromSvd(u, f.s, f.v, m, n, ranks), sigma: f.s };
}
