import type { CholeskyParams, LuParams, QrParams, SvdParams, SyevParams, TrsmParams } from '@lowrank/core';
import type { RefTensor } from '../tensor.ts';

function hasNonFinite(x: Float64Array): boolean {
  return x.some((v) => !Number.isFinite(v));
}

/** Cholesky–Crout by rows: l_ij = (a_ij − Σ_{k<j} l_ik l_jk) / l_jj, l_ii = √(a_ii − Σ_{k<i} l_ik²). */
export function cholesky(p: CholeskyParams<RefTensor>): number {
  const { n } = p;
  const A = p.a.data, L = p.l.data;
  for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) if (!Number.isFinite(A[i * n + j])) return -1;
  L.fill(0);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = A[i * n + j];
      for (let k = 0; k < j; k++) s -= L[i * n + k] * L[j * n + k];
      if (j < i) {
        L[i * n + j] = s / L[j * n + j];
      } else {
        if (!(s > 0)) return i + 1;
        L[i * n + i] = Math.sqrt(s);
      }
    }
  }
  return 0;
}

/** Substitution row by row: each solved row of X is subtracted from the rows that depend on it. */
export function trsm(p: TrsmParams<RefTensor>): number {
  const { n, m, lower, trans, unitDiag, alpha } = p;
  const T = p.t.data, B = p.b.data;
  if (!unitDiag) for (let i = 0; i < n; i++) if (T[i * n + i] === 0) return i + 1;
  for (let i = 0; i < n * m; i++) B[i] *= alpha;
  // op(T) is lower triangular when (lower, no transpose) or (upper, transposed): solve top-down.
  const forward = lower !== trans;
  const t = (i: number, k: number) => (trans ? T[k * n + i] : T[i * n + k]);
  for (let s = 0; s < n; s++) {
    const i = forward ? s : n - 1 - s;
    for (let r = 0; r < s; r++) {
      const k = forward ? r : n - 1 - r;
      const tik = t(i, k);
      if (tik !== 0) for (let j = 0; j < m; j++) B[i * m + j] -= tik * B[k * m + j];
    }
    if (!unitDiag) {
      const d = T[i * n + i];
      for (let j = 0; j < m; j++) B[i * m + j] /= d;
    }
  }
  return 0;
}

/** Right-looking LU with partial pivoting (LAPACK getf2), rows swapped in place. */
export function lu(p: LuParams<RefTensor>): number {
  const { m, n } = p;
  if (hasNonFinite(p.a.data)) return -1;
  const LU = p.lu.data, piv = p.piv.data;
  LU.set(p.a.data);
  let info = 0;
  for (let j = 0; j < Math.min(m, n); j++) {
    let pr = j;
    for (let i = j + 1; i < m; i++) if (Math.abs(LU[i * n + j]) > Math.abs(LU[pr * n + j])) pr = i;
    piv[j] = pr;
    if (pr !== j) {
      for (let c = 0; c < n; c++) {
        const tmp = LU[j * n + c];
        LU[j * n + c] = LU[pr * n + c];
        LU[pr * n + c] = tmp;
      }
    }
    const d = LU[j * n + j];
    if (d === 0) {
      if (info === 0) info = j + 1;
      continue;
    }
    for (let i = j + 1; i < m; i++) {
      const l = (LU[i * n + j] /= d);
      if (l !== 0) for (let c = j + 1; c < n; c++) LU[i * n + c] -= l * LU[j * n + c];
    }
  }
  return info;
}

/**
 * Householder QR on the transpose (columns of A become contiguous rows): reflector j is LAPACK's
 * dlarfg of column j, applied to the later columns; Q is built by applying the reflectors to the
 * rows of Iₖ from the right, last to first.
 */
export function qr(p: QrParams<RefTensor>): number {
  const { m, n } = p;
  const A = p.a.data, Q = p.q.data, R = p.r.data;
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
 * (‖w‖ ≤ len·ε·max‖w_i‖, whose singular value is returned as 0), accumulating the rotations in V.
 * Then s_i = ‖w_i‖, U's columns w_i/s_i, sorted by s descending (a zero s_i leaves a zero column, which
 * ops.svd completes to an orthonormal basis).
 */
export function svd(p: SvdParams<RefTensor>): number {
  const { m, n, maxSweeps } = p;
  const A = p.a.data;
  if (hasNonFinite(A)) return -1;
  const tall = m >= n;
  const k = Math.min(m, n), len = Math.max(m, n);
  const w = new Float64Array(k * len);
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) {
    if (tall) w[j * len + i] = A[i * n + j]; else w[i * len + j] = A[i * n + j];
  }
  const vt = new Float64Array(k * k);
  for (let i = 0; i < k; i++) vt[i * k + i] = 1;
  // Negligible rows below len·ε·max‖w_i‖; pairs rotated until |cos| ≤ √len·ε (dgesvj's tolerance):
  // with len·ε the columns of U lost orthogonality in proportion to n.
  const tol = len * 2 ** -52, orthTol = Math.sqrt(len) * 2 ** -52;
  let sweeps = 0;
  for (let rotated = true; rotated; ) {
    if (sweeps === maxSweeps) return -2;
    sweeps++;
    rotated = false;
    const negligible = tol * Math.max(0, ...rowNorms(w, k, len));
    for (let a = 0; a < k - 1; a++) {
      for (let b = a + 1; b < k; b++) {
        let alpha = 0, beta = 0, gamma = 0;
        for (let t = 0; t < len; t++) {
          const x = w[a * len + t], y = w[b * len + t];
          alpha += x * x; beta += y * y; gamma += x * y;
        }
        if (gamma === 0 || Math.abs(gamma) <= orthTol * Math.sqrt(alpha * beta) || Math.sqrt(Math.min(alpha, beta)) <= negligible) continue;
        rotated = true;
        const zeta = (beta - alpha) / (2 * gamma);
        const t = Math.sign(zeta || 1) / (Math.abs(zeta) + Math.sqrt(1 + zeta * zeta));
        const c = 1 / Math.sqrt(1 + t * t), s = c * t;
        rotateRows(w, a * len, b * len, len, c, s);
        if (p.vectors) rotateRows(vt, a * k, b * k, k, c, s);
      }
    }
  }
  const norms = rowNorms(w, k, len);
  const floor = tol * Math.max(0, ...norms);
  norms.forEach((x, i) => { if (x <= floor) norms[i] = 0; }); // negligible rows: U's column is completed by ops.svd
  const order = norms.map((_, i) => i).sort((x, y) => norms[y] - norms[x]);
  const U = p.u.data, S = p.s.data, V = p.v.data;
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
  const d = new Float64Array(n), e = new Float64Array(n), tau = new Float64Array(n);
  const pv = new Float64Array(n);
  for (let j = 0; j < n - 2; j++) {
    const o = j * n + j + 1, len = n - j - 1;
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
      const row = (j + 1 + i) * n + j + 1, vi = W[o + i], wi = pv[i];
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
      const o = j * n + j + 1, len = n - j - 1;
      pv.fill(0, 0, len);
      for (let i = 0; i < len; i++) {
        const row = (j + 1 + i) * n + j + 1, vi = W[o + i];
        for (let c = 0; c < len; c++) pv[c] += vi * q[row + c];
      }
      for (let i = 0; i < len; i++) {
        const row = (j + 1 + i) * n + j + 1, f = tau[j] * W[o + i];
        for (let c = 0; c < len; c++) q[row + c] -= f * pv[c];
      }
    }
    transposeSquare(q, n);
  }
  const iterations = tridiagonalQl(d, e, n, p.vectors ? (i, c, s) => rotateRows(q, i * n, (i + 1) * n, n, c, s) : null);
  if (iterations < 0) return iterations;
  const order = Array.from(d.keys()).sort((x, y) => d[y] - d[x]);
  const w = p.w.data, Z = p.z.data;
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
export function tridiagonalQl(d: Float64Array, e: Float64Array, n: number, rotate: ((i: number, c: number, s: number) => void) | null): number {
  const eps = 2 ** -52;
  let iterations = 0;
  for (let l = 0; l < n; l++) {
    for (;;) {
      let m = l;
      // dsteqr also deflates an off-diagonal below the safe minimum: ε·(|d_m| + |d_{m+1}|) underflows to 0
      // for subnormal eigenvalues, and the test alone would never hold.
      for (; m < n - 1; m++) if (Math.abs(e[m]) <= eps * (Math.abs(d[m]) + Math.abs(d[m + 1])) || Math.abs(e[m]) <= SAFMIN_F64) break;
      if (m === l) break;
      if (++iterations > 30 * n) return -2;
      let g = (d[l + 1] - d[l]) / (2 * e[l]);
      let r = Math.hypot(g, 1);
      g = d[m] - d[l] + e[l] / (g + (g >= 0 ? r : -r));
      let s = 1, c = 1, pp = 0, i = m - 1;
      for (; i >= l; i--) {
        const f = s * e[i], b = c * e[i];
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

/**
 * LAPACK dlarfg on x = buf[o, o + len): (I − τ·v·vᵀ)·x = β·e₁ with β = −sign(x₀)·‖x‖; v overwrites x
 * (v₀ = 1 written). τ = 0 and β = x₀ when x[1:] is already zero.
 */
function householderVector(buf: Float64Array, o: number, len: number): { tau: number; beta: number } {
  let alpha = buf[o];
  const norm = () => {
    let s = 0;
    for (let i = 1; i < len; i++) s = Math.hypot(s, buf[o + i]);
    return s;
  };
  let xnorm = norm();
  if (xnorm === 0) return { tau: 0, beta: alpha };
  let beta = -Math.sign(alpha || 1) * Math.hypot(alpha, xnorm);
  // dlarfg: while |β| < safmin, 1/(α − β) would overflow: scale x up by 1/safmin (at most 20 times,
  // as LAPACK does), compute the reflector there, and scale β back. τ and v are scale-invariant.
  let knt = 0;
  if (Math.abs(beta) < SAFMIN_F64) {
    do {
      knt++;
      for (let i = 1; i < len; i++) buf[o + i] /= SAFMIN_F64;
      beta /= SAFMIN_F64;
      alpha /= SAFMIN_F64;
    } while (Math.abs(beta) < SAFMIN_F64 && knt < 20);
    xnorm = norm();
    beta = -Math.sign(alpha || 1) * Math.hypot(alpha, xnorm);
  }
  const tau = (beta - alpha) / beta;
  const scale = 1 / (alpha - beta);
  for (let i = 1; i < len; i++) buf[o + i] *= scale;
  buf[o] = 1;
  for (let j = 0; j < knt; j++) beta *= SAFMIN_F64;
  return { tau, beta };
}

/** LAPACK's safe minimum dlamch('S')/dlamch('E'): 1/SAFMIN does not overflow, nor do quotients by it. */
const SAFMIN_F64 = 2.2250738585072014e-308 / 1.1102230246251565e-16;

/** (x, y) ← (c·x − s·y, s·x + c·y) for the rows of `buf` at offsets x and y. */
function rotateRows(buf: Float64Array, x: number, y: number, len: number, c: number, s: number): void {
  for (let i = 0; i < len; i++) {
    const a = buf[x + i], b = buf[y + i];
    buf[x + i] = c * a - s * b;
    buf[y + i] = s * a + c * b;
  }
}

function transposeSquare(buf: Float64Array, n: number): void {
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) {
    const t = buf[i * n + j];
    buf[i * n + j] = buf[j * n + i];
    buf[j * n + i] = t;
  }
}
