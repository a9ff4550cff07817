/** A rank-r product B·A held on the host, made from a truncated SVD; the compression methods' common output. */
import { hostTensor, ops, type Backend, type DeviceTensor, type DType } from '@lowrank/core';
import { hostSvd, matmul } from '@lowrank/linalg';

/** A rank-r compensation B (m×r) · A (r×n), on the host. */
export interface LowRankTerm {
  readonly m: number;
  readonly n: number;
  readonly r: number;
  readonly b: Float64Array;
  readonly a: Float64Array;
}

/** B = U_r·S_r and A = V_rᵀ for each rank r, from one SVD on the host (U m×k, S k, V n×k). */
export function termsFromSvd(
  u: Float64Array,
  s: Float64Array,
  v: Float64Array,
  m: number,
  n: number,
  ranks: readonly number[],
): LowRankTerm[] {
  const k = s.length;
  return ranks.map((r) => {
    const b = new Float64Array(m * r),
      a = new Float64Array(r * n);
    for (let i = 0; i < m; i++) for (let j = 0; j < r; j++) b[i * r + j] = u[i * k + j] * s[j];
    for (let j = 0; j < r; j++) for (let c = 0; c < n; c++) a[j * n + c] = v[c * k + j];
    return { m, n, r, b, a };
  });
}

/** The truncated SVD of a device matrix A (m×n) as B = U_r·S_r, A = V_rᵀ for each rank (plain SVD compression or compensation). */
export async function svdTerms(be: Backend, a: DeviceTensor, ranks: readonly number[]): Promise<LowRankTerm[]> {
  const [m, n] = a.shape;
  const f = await hostSvd(be, a);
  return termsFromSvd(f.u, f.s, f.v, m, n, ranks);
}

/** B·A as a new device tensor (m×n). */
export async function reconstruct(be: Backend, dtype: DType, term: LowRankTerm): Promise<DeviceTensor> {
  const b = await be.upload(hostTensor(dtype, [term.m, term.r], term.b));
  const a = await be.upload(hostTensor(dtype, [term.r, term.n], term.a));
  const out = await ops.gemm(be, b, a);
  be.dispose(b);
  be.dispose(a);
  return out;
}

/** B·A computed on the backend, brought to the host. */
export async function reconstructOnBackend(be: Backend, dtype: DType, term: LowRankTerm): Promise<Float64Array> {
  const w = await reconstruct(be, dtype, term);
  const out = Float64Array.from((await be.download(w)).data);
  be.dispose(w);
  return out;
}

/** The gradients of W = B·A's factors from ∂W (m×n, host), on the backend: ∂B = ∂W·Aᵀ, ∂A = Bᵀ·∂W. */
export async function factorGradients(
  be: Backend,
  dtype: DType,
  t: LowRankTerm,
  dw: Float64Array,
): Promise<{ b: Float64Array; a: Float64Array }> {
  const release = be.track();
  try {
    const g = await be.upload(hostTensor(dtype, [t.m, t.n], dw));
    const db = await ops.gemm(be, g, await be.upload(hostTensor(dtype, [t.r, t.n], t.a)), { transB: true });
    const da = await ops.gemm(be, await be.upload(hostTensor(dtype, [t.m, t.r], t.b)), g, { transA: true });
    return { b: Float64Array.from((await be.download(db)).data), a: Float64Array.from((await be.download(da)).data) };
  } finally {
    release();
  }
}

/** B·A on the host, for small layers. */
export function reconstructHost(t: LowRankTerm): Float64Array {
  return matmul(t.b, t.m, t.r, t.a, t.r, t.n);
}
