import type { SyevParams } from '@lowrank/core';
import type { RefTensor } from '../tensor.ts';
import { SAFMIN_F64, householderVector, rotateRows } from '../shared/factor.ts';

/**
 * Symmetric eigendecomposition by Householder tridiagonalization and the implicit QL iteration with
 * Wilkinson shifts (EISPACK tred2/tql2, LAPACK dsytd2/dsteqr). The trailing block is updated on full
 * storage, S ← S − v·wᵀ − w·vᵀ with w = p − (τ/2)(pᵀv)·v, p = τ·S·v; Qᵀ is accumulated by rows, and the
 * QL rotations act on rows of Eᵀ = (Q·Z)ᵀ, so every update is a row operation. Eigenvalues sorted
 * descending, vectors as columns. Returns the QL iterations, −1 for NaN/±Inf, −2 past 30·n iterations.
 */
export function syev(p: SyevParams<RefTensor>): number {
  const { n } = p;
  const A = p.a.data;
  for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) if (!Number.isFinite(A[i * n + j])) return -1;
  // W: the symmetric matrix from A's lower triangle; its row j keeps reflector j once eliminated.
  const W = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) W[i * n + j] = W[j * n + i] = A[i * n + j];
  const d = new Float64Array(n),
    e = new Float64Array(n),
    tau = new Float64Array(n);
  const pv = new Float64Array(n);
  for (let j = 0; j < n - 2; j++) {
    const o = j * n + j + 1,
      len = n - j - 1;
    const { tau: t, beta } = householderVector(W, o, len);
    tau[j] = t;
    e[j] = beta;
    if (t === 0) continue;
    // p = τ·S·v on the trailing block S = W[j+1:, j+1:], v = W[j, j+1:] with v₀ = 1.
    let pv2 = 0;
    for (let i = 0; i < len; i++) {
      const row = (j + 1 + i) * n + j + 1;
      let s = 0;
      for (let c = 0; c < len; c++) s += W[row + c] * W[o + c];
      pv[i] = t * s;
      pv2 += pv[i] * W[o + i];
    }
    const k = 0.5 * t * pv2;
    for (let i = 0; i < len; i++) pv[i] -= k * W[o + i];
    for (let i = 0; i < len; i++) {
      const row = (j + 1 + i) * n + j + 1,
        vi = W[o + i],
        wi = pv[i];
      for (let c = 0; c < len; c++) W[row + c] -= vi * pv[c] + wi * W[o + c];
    }
  }
  for (let j = 0; j < n; j++) d[j] = W[j * n + j];
  if (n >= 2) e[n - 2] = W[(n - 2) * n + n - 1];
  // E = Qᵀ with Q = H₀·H₁⋯H_{n−3}, built backward (Q ← H_j·Q touches rows and columns > j only),
  // then transposed so that row i is Q's column i.
  const q = p.vectors ? new Float64Array(n * n) : new Float64Array(0);
  if (p.vectors) {
    for (let i = 0; i < n; i++) q[i * n + i] = 1;
    for (let j = n - 3; j >= 0; j--) {
      if (tau[j] === 0) continue;
      const o = j * n + j + 1,
        len = n - j - 1;
      pv.fill(0, 0, len);
      for (let i = 0; i < len; i++) {
        const row = (j + 1 + i) * n + j + 1,
          vi = W[o + i];
        for (let c = 0; c < len; c++) pv[c] += vi * q[row + c];
      }
      for (let i = 0; i < len; i++) {
        const row = (j + 1 + i) * n + j + 1,
          f = tau[j] * W[o + i];
        for (let c = 0; c < len; c++) q[row + c] -= f * pv[c];
      }
    }
    transposeSquare(q, n);
  }
  const iterations = tridiagonalQl(d, e, n, p.vectors ? (i, c, s) => rotateRows(q, i * n, (i + 1) * n, n, c, s) : null);
  if (iterations < 0) return iterations;
  const order = Array.from(d.keys()).sort((x, y) => d[y] - d[x]);
  const w = p.w.data,
    Z = p.z.data;
  order.forEach((src, i) => {
    w[i] = d[src];
    if (p.vectors) for (let t = 0; t < n; t++) Z[t * n + i] = q[src * n + t];
  });
  return iterations;
}

/**
 * Implicit QL with Wilkinson shifts on the symmetric tridiagonal (d, e), e[i] coupling i and i + 1
 * (Numerical Recipes tqli, EISPACK tql2). Each plane rotation (i, i + 1) is also handed to `rotate`.
 * Deflates when |e_m| ≤ ε·(|d_m| + |d_{m+1}|) or |e_m| ≤ safmin. Returns the iterations, or −2 past 30·n.
 */
export function tridiagonalQl(
  d: Float64Array,
  e: Float64Array,
  n: number,
  rotate: ((i: number, c: number, s: number) => void) | null,
): number {
  const eps = 2 ** -52;
  let iterations = 0;
  for (let l = 0; l < n; l++) {
    for (;;) {
      let m = l;
      // dsteqr also deflates an off-diagonal below the safe minimum: ε·(|d_m| + |d_{m+1}|) underflows to 0
      // for subnormal eigenvalues, and the test alone would never hold.
      for (; m < n - 1; m++)
        if (Math.abs(e[m]) <= eps * (Math.abs(d[m]) + Math.abs(d[m + 1])) || Math.abs(e[m]) <= SAFMIN_F64) break;
      if (m === l) break;
      if (++iterations > 30 * n) return -2;
      let g = (d[l + 1] - d[l]) / (2 * e[l]);
      let r = Math.hypot(g, 1);
      g = d[m] - d[l] + e[l] / (g + (g >= 0 ? r : -r));
      let s = 1,
        c = 1,
        pp = 0,
        i = m - 1;
      for (; i >= l; i--) {
        const f = s * e[i],
          b = c * e[i];
        r = Math.hypot(f, g);
        e[i + 1] = r;
        if (r === 0) {
          d[i + 1] -= pp;
          e[m] = 0;
          break;
        }
        s = f / r;
        c = g / r;
        g = d[i + 1] - pp;
        r = (d[i] - g) * s + 2 * c * b;
        pp = s * r;
        d[i + 1] = g + pp;
        g = c * r - b;
        rotate?.(i, c, s);
      }
      if (r === 0 && i >= l) continue;
      d[l] -= pp;
      e[l] = g;
      e[m] = 0;
    }
  }
  return iterations;
}

function transposeSquare(buf: Float64Array, n: number): void {
  for (let i = 0; i < n; i++)
    for (let j = i + 1; j < n; j++) {
      const t = buf[i * n + j];
      buf[i * n + j] = buf[j * n + i];
      buf[j * n + i] = t;
    }
}
