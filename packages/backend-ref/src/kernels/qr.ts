import type { QrParams } from '@lowrank/core';
import type { RefTensor } from '../tensor.ts';
import { hasNonFinite, householderVector } from '../shared/factor.ts';

/**
 * Householder QR on the transpose (columns of A become contiguous rows): reflector j is LAPACK's
 * dlarfg of column j, applied to the later columns; Q is built by applying the reflectors to the
 * rows of Iₖ from the right, last to first.
 */
export function qr(p: QrParams<RefTensor>): number {
  const { m, n } = p;
  const A = p.a.data,
    Q = p.q.data,
    R = p.r.data;
  if (hasNonFinite(A)) return -1;
  const k = Math.min(m, n);
  const w = new Float64Array(n * m); // w[c][i] = A[i][c]
  for (let i = 0; i < m; i++) for (let c = 0; c < n; c++) w[c * m + i] = A[i * n + c];
  const tau = new Float64Array(k);
  for (let j = 0; j < k; j++) {
    const x = j * m;
    const h = householderVector(w, x + j, m - j);
    tau[j] = h.tau;
    R[j * n + j] = h.beta;
    for (let c = j + 1; c < n; c++) {
      const y = c * m;
      if (tau[j] !== 0) {
        let d = 0;
        for (let i = j; i < m; i++) d += w[x + i] * w[y + i];
        d *= tau[j];
        for (let i = j; i < m; i++) w[y + i] -= d * w[x + i];
      }
      R[j * n + c] = w[y + j];
    }
  }
  // Rows of Qᵀ: e_iᵀ·H_{k−1}⋯H_0.
  const qt = new Float64Array(k * m);
  for (let i = 0; i < k; i++) {
    const row = i * m;
    qt[row + i] = 1;
    for (let j = k - 1; j >= 0; j--) {
      if (tau[j] === 0) continue;
      let d = 0;
      for (let t = j; t < m; t++) d += qt[row + t] * w[j * m + t];
      d *= tau[j];
      for (let t = j; t < m; t++) qt[row + t] -= d * w[j * m + t];
    }
  }
  for (let i = 0; i < k; i++) for (let t = 0; t < m; t++) Q[t * k + i] = qt[i * m + t];
  return 0;
}
