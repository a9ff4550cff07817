// Dense factorizations, row-oriented so every inner loop is a SIMD dot product or axpy over
// contiguous rows (row-major storage).
import { dot } from './dot';
import { at } from './shared/memory';
import { anyNonFinite, ld, rotateRows, st, takeLargest } from './shared/factor';

/** The SVD's scratch: W (k·len elements), Vᵀ (k·k elements) and the k squared row norms in f64. */
export function svdWorkBytes(m: i32, n: i32, bytesPerElement: i32): f64 {
  const k = <f64>min(m, n), len = <f64>max(m, n);
  return (k * len + k * k) * bytesPerElement + 8 * k;
}

/**
 * One-sided Jacobi SVD (Hestenes), cyclic by pairs of rows of W = the columns of A (or of Aᵀ when
 * m < n), each rotation three SIMD dot products and two SIMD row rotations, the rotations accumulated
 * in Vᵀ. Converged when every pair has |w_p·w_q| ≤ √len·ε·‖w_p‖‖w_q‖ (dgesvj; relative accuracy of the
 * singular values as Demmel and Veselić 1992) or involves a negligible row, ‖w‖ ≤ len·ε·max‖w_i‖: rows at
 * the rounding level of A (a numerically rank-deficient A, or A·Z for the preconditioned SVD) can be
 * nearly parallel to a large one in floating point and would lose only a factor ε per sweep; their
 * singular values come back as 0 (an error ≤ len·ε·σ₁, inside LAPACK's bound). Scratch: svdWorkBytes.
 */
export function svd<T>(a: usize, u: usize, s: usize, v: usize, m: i32, n: i32, maxSweeps: i32, vectors: bool, work: usize): i32 {
  if (anyNonFinite<T>(a, m * n)) return -1;
  const tall = m >= n;
  const k = min(m, n), len = max(m, n);
  const w = work;
  const vt = w + <usize>k * len * sizeof<T>();
  const norms = vt + <usize>k * k * sizeof<T>();
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) {
    const x = load<T>(at<T>(a, i, j, n));
    if (tall) store<T>(at<T>(w, j, i, len), x); else store<T>(at<T>(w, i, j, len), x);
  }
  memory.fill(vt, 0, <usize>k * k * sizeof<T>());
  for (let i = 0; i < k; i++) store<T>(at<T>(vt, i, i, k), <T>1);
  const eps: f64 = sizeof<T>() == 4 ? 1.1920928955078125e-7 : 2.220446049250313e-16;
  // Negligible rows (σ returned as 0) below len·ε·max‖w_i‖; pairs rotated until |cos| ≤ √len·ε (dgesvj's
  // tolerance): with len·ε the columns of U lost orthogonality in proportion to n.
  const tol: f64 = <f64>len * eps, orthTol: f64 = Math.sqrt(<f64>len) * eps;
  let sweeps = 0;
  let rotated = true;
  while (rotated) {
    if (sweeps == maxSweeps) return -2;
    sweeps++;
    rotated = false;
    // Squared row norms, recomputed each sweep and updated in between from the rotation itself
    // (α' = α − t·γ, β' = β + t·γ), so a pair costs one dot product until it needs a rotation.
    let biggest: f64 = 0;
    for (let i = 0; i < k; i++) {
      const wi = at<T>(w, i, 0, len);
      const x = dot<T>(wi, wi, len);
      st(norms, i, x);
      biggest = max(biggest, x);
    }
    const negligible = tol * Math.sqrt(biggest);
    for (let p = 0; p < k - 1; p++) {
      const wp = at<T>(w, p, 0, len);
      for (let q = p + 1; q < k; q++) {
        const wq = at<T>(w, q, 0, len);
        const gamma = dot<T>(wp, wq, len);
        if (gamma == 0) continue;
        const alpha = ld(norms, p), beta = ld(norms, q);
        if (abs<f64>(gamma) <= orthTol * Math.sqrt(alpha * beta) || Math.sqrt(min(alpha, beta)) <= negligible) continue;
        rotated = true;
        const zeta = (beta - alpha) / (2 * gamma);
        const t = (zeta < 0 ? -1.0 : 1.0) / (abs<f64>(zeta) + Math.sqrt(1 + zeta * zeta));
        const c = 1 / Math.sqrt(1 + t * t), sn = c * t;
        rotateRows<T>(wp, wq, len, c, sn);
        st(norms, p, alpha - t * gamma);
        st(norms, q, beta + t * gamma);
        if (vectors) rotateRows<T>(at<T>(vt, p, 0, k), at<T>(vt, q, 0, k), k, c, sn);
      }
    }
  }
  let largest: f64 = 0;
  for (let i = 0; i < k; i++) {
    const wi = at<T>(w, i, 0, len);
    const x = <f64><T>Math.sqrt(dot<T>(wi, wi, len)); // the norm as T will return it
    st(norms, i, x);
    largest = max(largest, x);
  }
  for (let i = 0; i < k; i++) if (ld(norms, i) <= tol * largest) st(norms, i, 0); // negligible: its U column is completed by ops.svd
  const lRows = tall ? m : n, rRows = tall ? n : m;
  const left = tall ? u : v, right = tall ? v : u;
  for (let i = 0; i < k; i++) {
    const best = takeLargest(norms, k);
    const bestNorm = <T>ld(norms, best);
    st(norms, best, -Infinity);
    store<T>(s + <usize>i * sizeof<T>(), bestNorm);
    if (!vectors) continue;
    const inv: T = bestNorm == 0 ? <T>0 : <T>1 / bestNorm;
    for (let t = 0; t < lRows; t++) store<T>(at<T>(left, t, i, k), load<T>(at<T>(w, best, t, len)) * inv);
    for (let t = 0; t < rRows; t++) store<T>(at<T>(right, t, i, k), load<T>(at<T>(vt, best, t, k)));
  }
  return sweeps;
}

// The exports, as src/abi.ts declares them (index.ts re-exports every one).
export function svd_f32(a: usize, u: usize, s: usize, v: usize, m: i32, n: i32, maxSweeps: i32, vectors: bool, work: usize): i32 { return svd<f32>(a, u, s, v, m, n, maxSweeps, vectors, work); }
export function svd_f64(a: usize, u: usize, s: usize, v: usize, m: i32, n: i32, maxSweeps: i32, vectors: bool, work: usize): i32 { return svd<f64>(a, u, s, v, m, n, maxSweeps, vectors, work); }
