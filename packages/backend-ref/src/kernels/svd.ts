import type { SvdParams } from '@lowrank/core';
import type { RefTensor } from '../tensor.ts';
import { hasNonFinite, rotateRows } from '../shared/factor.ts';

function rowNorms(w: Float64Array, k: number, len: number): number[] {
  return Array.from({ length: k }, (_, i) => {
    let ss = 0;
    for (let t = 0; t < len; t++) ss += w[i * len + t] ** 2;
    return Math.sqrt(ss);
  });
}

/**
 * One-sided Jacobi SVD (Hestenes): rotate pairs of rows of W (the columns of A, or of Aᵀ when m < n)
 * until every pair is orthogonal to |w_p·w_q| ≤ √len·ε·‖w_p‖‖w_q‖ or involves a negligible row
 * (‖w‖ ≤ len·ε·max‖w_i‖, whose singular value is returned as 0), accumulating the rotations in V (from I, or
 * from the basis Z).
 * Then s_i = ‖w_i‖, U's columns w_i/s_i, sorted by s descending (a zero s_i leaves a zero column, which
 * ops.svd completes to an orthonormal basis).
 */
export function svd(p: SvdParams<RefTensor>): number {
  const { m, n, maxSweeps } = p;
  const A = p.a.data;
  if (hasNonFinite(A)) return -1;
  const tall = m >= n;
  const k = Math.min(m, n),
    len = Math.max(m, n);
  const w = new Float64Array(k * len);
  for (let i = 0; i < m; i++)
    for (let j = 0; j < n; j++) {
      if (tall) w[j * len + i] = A[i * n + j];
      else w[i * len + j] = A[i * n + j];
    }
  // Vᵀ starts as I, or as Zᵀ for a basis Z (tall: k = n), so it ends as (Z·V)ᵀ.
  const vt = new Float64Array(k * k);
  const z = p.basis?.data;
  for (let i = 0; i < k; i++) for (let t = 0; t < k; t++) vt[i * k + t] = z === undefined ? +(i === t) : z[t * k + i];
  // Negligible rows below len·ε·max‖w_i‖; pairs rotated until |cos| ≤ √len·ε (dgesvj's tolerance):
  // with len·ε the columns of U lost orthogonality in proportion to n.
  const tol = len * 2 ** -52,
    orthTol = Math.sqrt(len) * 2 ** -52;
  let sweeps = 0;
  for (let rotated = true; rotated;) {
    if (sweeps === maxSweeps) return -2;
    sweeps++;
    rotated = false;
    const negligible = tol * Math.max(0, ...rowNorms(w, k, len));
    for (let a = 0; a < k - 1; a++) {
      for (let b = a + 1; b < k; b++) {
        let alpha = 0,
          beta = 0,
          gamma = 0;
        for (let t = 0; t < len; t++) {
          const x = w[a * len + t],
            y = w[b * len + t];
          alpha += x * x;
          beta += y * y;
          gamma += x * y;
        }
        if (
          gamma === 0 ||
          Math.abs(gamma) <= orthTol * Math.sqrt(alpha * beta) ||
          Math.sqrt(Math.min(alpha, beta)) <= negligible
        )
          continue;
        rotated = true;
        const zeta = (beta - alpha) / (2 * gamma);
        const t = Math.sign(zeta || 1) / (Math.abs(zeta) + Math.sqrt(1 + zeta * zeta));
        const c = 1 / Math.sqrt(1 + t * t),
          s = c * t;
        rotateRows(w, a * len, b * len, len, c, s);
        if (p.vectors) rotateRows(vt, a * k, b * k, k, c, s);
      }
    }
  }
  const norms = rowNorms(w, k, len);
  const floor = tol * Math.max(0, ...norms);
  norms.forEach((x, i) => {
    if (x <= floor) norms[i] = 0;
  }); // negligible rows: U's column is completed by ops.svd
  const order = norms.map((_, i) => i).sort((x, y) => norms[y] - norms[x]);
  const U = p.u.data,
    S = p.s.data,
    V = p.v.data;
  order.forEach((src, i) => {
    S[i] = norms[src];
    if (!p.vectors) return;
    const inv = norms[src] === 0 ? 0 : 1 / norms[src];
    // Columns of W normalized are the left vectors of the matrix Jacobi ran on; V holds the right ones.
    const [left, right] = tall ? [U, V] : [V, U];
    const [lRows, rRows] = tall ? [m, n] : [n, m];
    for (let t = 0; t < lRows; t++) left[t * k + i] = w[src * len + t] * inv;
    for (let t = 0; t < rRows; t++) right[t * k + i] = vt[src * k + t];
  });
  return sweeps;
}
