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
export function termsFromSvd(u: Float64Array, s: Float64Array, v: Float64Array, m: number, n: number, ranks: readonly number[]): LowRankTerm[] {
  const k = s.length;
  return ranks.map((r) => {
    const b = new Float64Array(m * r), a = new Float64Array(r * n);
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

/** B·A on the host, for small layers. */
export function reconstructHost(t: LowRankTerm): Float64Array {
  return matmul(t.b, t.m, t.r, t.a, t.r, t.n);
}
