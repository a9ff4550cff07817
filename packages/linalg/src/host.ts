/** Small float64 host helpers for residual checks: O(n³) at verification sizes, never on a hot path. */

/** ‖X‖_F. */
export function frobenius(x: ArrayLike<number>): number {
  let scale = 0,
    ssq = 1;
  for (let i = 0; i < x.length; i++) {
    const a = Math.abs(x[i]);
    if (a === 0) continue;
    if (scale < a) {
      ssq = 1 + ssq * (scale / a) ** 2;
      scale = a;
    } else ssq += (a / scale) ** 2;
  }
  return scale * Math.sqrt(ssq);
}

/** The first k columns of a row-major rows×cols matrix. */
export function firstColumns(x: ArrayLike<number>, rows: number, cols: number, k: number): Float64Array {
  const out = new Float64Array(rows * k);
  for (let i = 0; i < rows; i++) for (let j = 0; j < k; j++) out[i * k + j] = x[i * cols + j];
  return out;
}

/** diag(values) as a dense row-major matrix. */
export function diagonalMatrix(values: ArrayLike<number>): Float64Array {
  const n = values.length,
    d = new Float64Array(n * n);
  for (let i = 0; i < n; i++) d[i * n + i] = values[i];
  return d;
}

/** C = op(A)·op(B) in float64, A and B row-major with their stored shapes. */
export function matmul(
  a: ArrayLike<number>,
  ar: number,
  ac: number,
  b: ArrayLike<number>,
  br: number,
  bc: number,
  transA = false,
  transB = false,
): Float64Array {
  const [m, k] = transA ? [ac, ar] : [ar, ac];
  const n = transB ? br : bc;
  // op(B) as a contiguous k×n array, so the inner loop is a unit-stride axpy (i-l-j order).
  const bk = new Float64Array(k * n);
  if (transB) for (let j = 0; j < n; j++) for (let l = 0; l < k; l++) bk[l * n + j] = b[j * bc + l];
  else for (let x = 0; x < k * n; x++) bk[x] = b[x];
  const c = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    const ci = i * n;
    for (let l = 0; l < k; l++) {
      const ail = transA ? a[l * ac + i] : a[i * ac + l];
      if (ail === 0) continue;
      const bl = l * n;
      for (let j = 0; j < n; j++) c[ci + j] += ail * bk[bl + j];
    }
  }
  return c;
}

/**
 * Applies LAPACK-style row interchanges (row j ↔ row piv[j], in order: P·x) to a row-major m×n matrix,
 * or their inverse (in reverse order: Pᵀ·x) when `inverse`.
 */
export function permuteRows(x: Float64Array, n: number, piv: ArrayLike<number>, inverse = false): Float64Array {
  const out = Float64Array.from(x);
  for (let t = 0; t < piv.length; t++) {
    const j = inverse ? piv.length - 1 - t : t,
      p = piv[j];
    if (p === j) continue;
    for (let c = 0; c < n; c++) {
      const v = out[j * n + c];
      out[j * n + c] = out[p * n + c];
      out[p * n + c] = v;
    }
  }
  return out;
}

/** Splits getrf's packed factors into L (m×k, unit lower) and U (k×n, upper), k = min(m, n). */
export function unpackLu(lu: ArrayLike<number>, m: number, n: number): { l: Float64Array; u: Float64Array; k: number } {
  const k = Math.min(m, n);
  const l = new Float64Array(m * k),
    u = new Float64Array(k * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      const v = lu[i * n + j];
      if (j < i && j < k) l[i * k + j] = v;
      else if (i < k) u[i * n + j] = v;
    }
    if (i < k) l[i * k + i] = 1;
  }
  return { l, u, k };
}

/** ‖X − Y‖_F for equal-length arrays. */
export function diffNorm(x: ArrayLike<number>, y: ArrayLike<number>): number {
  const d = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) d[i] = x[i] - y[i];
  return frobenius(d);
}

/** ‖I − QᵀQ‖_F for a rows×k matrix Q: how far its columns are from orthonormal. */
export function orthogonalityError(q: ArrayLike<number>, rows: number, k: number): number {
  const g = matmul(q, rows, k, q, rows, k, true);
  for (let i = 0; i < k; i++) g[i * k + i] -= 1;
  return frobenius(g);
}
