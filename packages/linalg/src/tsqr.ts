/**
 * TSQR (Demmel, Grigori, Hoemmen & Langou, "Communication-optimal parallel and sequential QR and LU
 * factorizations", 2012), one level of a flat reduction tree: split the rows of a tall-skinny A (m×n,
 * m ≥ n) into p blocks, factor each (A_i = Q_i·R_i, the backend's Householder kernel), factor the stacked
 * R's ([R_1; …; R_p] = Q_top·R). Q = diag(Q_1, …, Q_p)·Q_top stays implicit (Q in applied form):
 *   Qᵀ·B = Q_topᵀ·[Q_1ᵀ·B_1; …; Q_pᵀ·B_p],   Q·C = [Q_1·(Q_top)_1·C; …; Q_p·(Q_top)_p·C].
 * Each block's factorization is independent (the parallel, communication-avoiding part); row blocks
 * are split and stacked through the host.
 */
import { ArgumentError, hostTensor, ops, ShapeError, type Backend, type DeviceTensor } from '@lowrank/core';

export interface Tsqr {
  /** R (n×n, upper triangular). */
  readonly r: DeviceTensor;
  /** Qᵀ·B for B (m×k): n×k. */
  applyQt(b: DeviceTensor): Promise<DeviceTensor>;
  /** Q·C for C (n×k): m×k. */
  applyQ(c: DeviceTensor): Promise<DeviceTensor>;
  dispose(): void;
}

/** Rows [from, to) of a row-major device matrix, as a new device tensor (through the host). */
async function rows(be: Backend, x: DeviceTensor, from: number, to: number): Promise<DeviceTensor> {
  const cols = x.shape[1],
    data = (await be.download(x)).data;
  return be.upload(hostTensor(x.dtype, [to - from, cols], data.subarray(from * cols, to * cols)));
}

/** The row blocks' bounds: `blocks` nearly equal blocks of at least n rows each. */
function bounds(m: number, n: number, blocks: number): number[] {
  const p = Math.max(1, Math.min(blocks, Math.floor(m / Math.max(n, 1))));
  return Array.from({ length: p + 1 }, (_, i) => Math.round((i * m) / p));
}

/** TSQR of A (m×n, m ≥ n) with `blocks` row blocks (default: blocks of about 4n rows). */
export async function tsqr(be: Backend, a: DeviceTensor, blocks?: number): Promise<Tsqr> {
  if (a.shape.length !== 2) throw new ShapeError(`tsqr: a must be a matrix, got [${a.shape.join('×')}]`);
  const [m, n] = a.shape;
  if (m < n) throw new ShapeError(`tsqr: a must be tall (m ≥ n), got ${m}×${n}`);
  const p = blocks ?? Math.max(1, Math.floor(m / (4 * Math.max(n, 1))));
  if (!Number.isInteger(p) || p < 1) throw new ArgumentError(`tsqr: blocks must be a positive integer, got ${p}`);
  const at = bounds(m, n, p);
  const qs: DeviceTensor[] = [],
    stacked = new Float64Array((at.length - 1) * n * n);
  for (let i = 0; i + 1 < at.length; i++) {
    const block = await rows(be, a, at[i], at[i + 1]);
    const f = await ops.qr(be, block);
    be.dispose(block);
    qs.push(f.q);
    stacked.set((await be.download(f.r)).data, i * n * n);
    be.dispose(f.r);
  }
  const top = await ops.qr(be, await be.upload(hostTensor(a.dtype, [(at.length - 1) * n, n], stacked)));
  return {
    r: top.r,
    async applyQt(b) {
      if (b.shape[0] !== m) throw new ShapeError(`tsqr.applyQt: B must have ${m} rows, got ${b.shape[0]}`);
      const k = b.shape[1],
        parts = new Float64Array(qs.length * n * k);
      for (let i = 0; i < qs.length; i++) {
        const bi = await rows(be, b, at[i], at[i + 1]);
        const y = await ops.gemm(be, qs[i], bi, { transA: true });
        parts.set((await be.download(y)).data, i * n * k);
        be.dispose(bi);
        be.dispose(y);
      }
      const stackedB = await be.upload(hostTensor(b.dtype, [qs.length * n, k], parts));
      const out = await ops.gemm(be, top.q, stackedB, { transA: true });
      be.dispose(stackedB);
      return out;
    },
    async applyQ(c) {
      if (c.shape[0] !== n) throw new ShapeError(`tsqr.applyQ: C must have ${n} rows, got ${c.shape[0]}`);
      const k = c.shape[1],
        out = new Float64Array(m * k);
      const z = await ops.gemm(be, top.q, c); // (p·n)×k
      for (let i = 0; i < qs.length; i++) {
        const zi = await rows(be, z, i * n, (i + 1) * n);
        const y = await ops.gemm(be, qs[i], zi);
        out.set((await be.download(y)).data, at[i] * k);
        be.dispose(zi);
        be.dispose(y);
      }
      be.dispose(z);
      return be.upload(hostTensor(c.dtype, [m, k], out));
    },
    dispose() {
      for (const t of [...qs, top.q, top.r]) be.dispose(t);
    },
  };
}
