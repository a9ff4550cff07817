/**
 * LoRA on the query projection of one attention head, as analysed in S11 (Hu, Su, Chen, Liu & Song,
 * "Computational Limits of Low-Rank Adaptation (LoRA) for Transformer-Based Models"):
 *   W_Q = W_Q* + s·B_Q·A_Q,  S = X·W_Q·W_Kᵀ·Xᵀ,  P = D⁻¹·exp(S) (D = diag(exp(S)·1)),
 *   loss = ½‖P·X·W_V − Y‖²_F.
 * Its gradient as a chain of products (their Lemma on the LoRA gradient): with R = P·V − Y (V = X·W_V),
 *   ∂P = R·Vᵀ,  ∂S = P ⊙ (∂P − (P ⊙ ∂P)·1·1ᵀ)  (softmax backward, row-wise),
 *   ∂W_Q = Xᵀ·∂S·(X·W_K),  ∂B_Q = s·∂W_Q·A_Qᵀ,  ∂A_Q = s·B_Qᵀ·∂W_Q.
 * The paper's fast algorithms replace exp(S) by low-rank polynomial features when |S| is bounded;
 * `taylorAttentionError` measures that approximation against the optimal low rank.
 */
import { hostTensor, ops, type Backend, type DeviceTensor, type DType } from '@lowrank/core';
import { diagonalMatrix, svd } from '@lowrank/linalg';

export interface AttentionLora {
  readonly x: DeviceTensor; // L×d
  readonly wq: DeviceTensor; // d×d (W_Q*)
  readonly wk: DeviceTensor;
  readonly wv: DeviceTensor;
  readonly y: DeviceTensor; // L×d
  readonly rank: number;
  readonly scale: number;
}

/** diag(v)·M for a host vector v (rows of M scaled), by a GEMM with the diagonal matrix. */
async function scaleRows(be: Backend, v: ArrayLike<number>, m: DeviceTensor): Promise<DeviceTensor> {
  return ops.gemm(be, await be.upload(hostTensor(m.dtype, [v.length, v.length], diagonalMatrix(v))), m);
}

/** The loss and ∂A_Q (r×d), ∂B_Q (d×r) for LoRA factors A_Q, B_Q (host, row-major). */
export async function attentionLoraGradient(
  be: Backend,
  dtype: DType,
  p: AttentionLora,
  a: Float64Array,
  b: Float64Array,
): Promise<{ loss: number; da: Float64Array; db: Float64Array }> {
  const release = be.track();
  try {
    const [l, d] = p.x.shape,
      r = p.rank;
    const ad = await be.upload(hostTensor(dtype, [r, d], a)),
      bd = await be.upload(hostTensor(dtype, [d, r], b));
    const wq = await ops.copy(be, p.wq);
    await ops.gemm(be, bd, ad, { alpha: p.scale, beta: 1, c: wq });
    const k = await ops.gemm(be, p.x, p.wk),
      v = await ops.gemm(be, p.x, p.wv);
    const s = await ops.gemm(be, await ops.gemm(be, p.x, wq), k, { transB: true });
    const e = await ops.unary(be, 'exp', s);
    const rowSums = (await be.download(await ops.reduce(be, 'sum', e, 'rows'))).data;
    const prob = await scaleRows(
      be,
      Array.from(rowSums, (x) => 1 / x),
      e,
    );
    const res = await ops.gemm(be, prob, v);
    await ops.axpy(be, -1, p.y, res);
    const norm = await ops.nrm2(be, res);
    const loss = norm ** 2 / 2;
    const dP = await ops.gemm(be, res, v, { transB: true });
    const inner = (await be.download(await ops.reduce(be, 'sum', await ops.binary(be, 'mul', prob, dP), 'rows'))).data;
    const centred = await ops.gemm(
      be,
      await be.upload(hostTensor(dtype, [l, 1], inner)),
      await be.upload(hostTensor(dtype, [1, l], new Float64Array(l).fill(1))),
    );
    const dS = await ops.binary(be, 'mul', prob, await ops.binary(be, 'sub', dP, centred));
    const dWq = await ops.gemm(be, p.x, await ops.gemm(be, dS, k), { transA: true });
    const db = await ops.gemm(be, dWq, ad, { transB: true, alpha: p.scale });
    const da = await ops.gemm(be, bd, dWq, { transA: true, alpha: p.scale });
    return {
      loss,
      da: Float64Array.from((await be.download(da)).data),
      db: Float64Array.from((await be.download(db)).data),
    };
  } finally {
    release();
  }
}

/**
 * For Q, K (L×d, host) scaled so that max |q_i·k_j| = bound: the relative Frobenius errors of exp(QKᵀ)'s
 * degree-g Taylor polynomial Σ_{j≤g} (QKᵀ)^{∘j}/j! (= Φ(Q)·Φ(K)ᵀ with the C(d+g, g) monomial features,
 * so a rank-C(d+g, g) approximation) and of the optimal approximation of rank `rank` (Eckart–Young;
 * by default C(d+g, g), the features' own rank).
 */
export async function taylorAttentionError(
  be: Backend,
  dtype: DType,
  q: Float64Array,
  k: Float64Array,
  l: number,
  d: number,
  bound: number,
  degree: number,
  rank?: number,
): Promise<{ polynomial: number; optimal: number; featureRank: number; rank: number }> {
  const release = be.track();
  try {
    const qd = await be.upload(hostTensor(dtype, [l, d], q)),
      kd = await be.upload(hostTensor(dtype, [l, d], k));
    const s = await ops.gemm(be, qd, kd, { transB: true });
    const max = Math.max(...(await be.download(await ops.reduce(be, 'absmax', s, 'rows'))).data); // of the L row maxima, not a copy of S
    await ops.scal(be, bound / max, s);
    const e = await ops.unary(be, 'exp', s);
    const sum = await be.upload(hostTensor(dtype, [l, l], new Float64Array(l * l).fill(1)));
    let term = await ops.copy(be, sum);
    for (let j = 1; j <= degree; j++) {
      term = await ops.binary(be, 'mul', term, s);
      await ops.scal(be, 1 / j, term);
      await ops.axpy(be, 1, term, sum);
    }
    const norm = await ops.nrm2(be, e);
    const polynomial = (await ops.nrm2(be, await ops.binary(be, 'sub', e, sum))) / norm;
    let features = 1;
    for (let j = 1; j <= degree; j++) features = (features * (d + j)) / j; // C(d + g, g)
    const featureRank = Math.round(features),
      r = rank ?? featureRank;
    const sigma = (await be.download((await svd(be, e, { valuesOnly: true })).s)).data;
    let tail = 0;
    for (let i = r; i < sigma.length; i++) tail += sigma[i] ** 2;
    return { polynomial, optimal: Math.sqrt(tail) / norm, featureRank, rank: r };
  } finally {
    release();
  }
}
