// Dense factorizations, row-oriented so every inner loop is a SIMD dot product or axpy over
// contiguous rows (row-major storage).
import { axpy } from './axpy';
import { dot } from './dot';
import { at } from './shared/memory';
import { anyNonFinite, householder, ld, rotateRows, safeMin, st, takeLargest } from './shared/factor';

/** Scratch bytes `syev` needs: d, e, τ in f64, then W, Qᵀ and p in T. */
export function syevWorkBytes(n: i32, bytesPerElement: i32): i32 {
  return 3 * n * 8 + (2 * n * n + n + 1) * bytesPerElement;
}

/**
 * Symmetric eigendecomposition (LAPACK dsytd2 + dorgtr + dsteqr) from A's lower triangle: Householder
 * tridiagonalization on full storage, where p = τ·S·v is one SIMD dot per row of the trailing block S
 * and S ← S − v·wᵀ − w·vᵀ two SIMD axpys per row; Qᵀ accumulated backward by rows; implicit QL with
 * Wilkinson shifts in f64, each rotation applied to two contiguous rows of (Q·Z)ᵀ. Backward error
 * ‖ΔA‖ ≤ c·n·ε·‖A‖ (Higham Thm 19.4 for the reflectors, Wilkinson for the rotations), orthogonality
 * ‖I − ZᵀZ‖ ≤ c·n·ε. Values descending, vectors as columns of z. Returns the QL iterations, −1 for
 * NaN/±Inf, −2 past 30·n iterations.
 */
export function syev<T>(a: usize, w: usize, z: usize, n: i32, vectors: bool, work: usize): i32 {
  for (let i = 0; i < n; i++) if (anyNonFinite<T>(at<T>(a, i, 0, n), i + 1)) return -1;
  const sz = sizeof<T>();
  const d = work, e = d + (<usize>n << 3), tau = e + (<usize>n << 3);
  const wm = tau + (<usize>n << 3);
  const q = wm + <usize>n * n * sz;
  const pv = q + <usize>n * n * sz;
  const beta = pv + <usize>n * sz;
  for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) {
    const x = load<T>(at<T>(a, i, j, n));
    store<T>(at<T>(wm, i, j, n), x);
    store<T>(at<T>(wm, j, i, n), x);
  }
  for (let j = 0; j < n - 2; j++) {
    const len = n - j - 1;
    const v = at<T>(wm, j, j + 1, n);
    const t = householder<T>(at<T>(wm, j, 0, n), j + 1, n, beta);
    store<f64>(tau + (<usize>j << 3), t);
    store<f64>(e + (<usize>j << 3), <f64>load<T>(beta));
    if (t == 0) continue;
    let pv2: f64 = 0;
    for (let i = 0; i < len; i++) {
      const pi = t * dot<T>(at<T>(wm, j + 1 + i, j + 1, n), v, len);
      store<T>(pv + <usize>i * sz, <T>pi);
      pv2 += pi * <f64>load<T>(v + <usize>i * sz);
    }
    axpy<T>(<T>(-0.5 * t * pv2), v, pv, len);
    for (let i = 0; i < len; i++) {
      const row = at<T>(wm, j + 1 + i, j + 1, n);
      axpy<T>(-load<T>(v + <usize>i * sz), pv, row, len);
      axpy<T>(-load<T>(pv + <usize>i * sz), v, row, len);
    }
  }
  for (let j = 0; j < n; j++) store<f64>(d + (<usize>j << 3), <f64>load<T>(at<T>(wm, j, j, n)));
  if (n >= 2) store<f64>(e + (<usize>(n - 2) << 3), <f64>load<T>(at<T>(wm, n - 2, n - 1, n)));
  if (vectors) {
    // Q = H₀·H₁⋯H_{n−3} built backward (H_j·Q touches rows and columns > j only), then transposed.
    memory.fill(q, 0, <usize>n * n * sz);
    for (let i = 0; i < n; i++) store<T>(at<T>(q, i, i, n), <T>1);
    for (let j = n - 3; j >= 0; j--) {
      const t = load<f64>(tau + (<usize>j << 3));
      if (t == 0) continue;
      const len = n - j - 1;
      const v = at<T>(wm, j, j + 1, n);
      memory.fill(pv, 0, <usize>len * sz);
      for (let i = 0; i < len; i++) axpy<T>(load<T>(v + <usize>i * sz), at<T>(q, j + 1 + i, j + 1, n), pv, len);
      for (let i = 0; i < len; i++) axpy<T>(<T>(-t * <f64>load<T>(v + <usize>i * sz)), pv, at<T>(q, j + 1 + i, j + 1, n), len);
    }
    for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) {
      const x = load<T>(at<T>(q, i, j, n));
      store<T>(at<T>(q, i, j, n), load<T>(at<T>(q, j, i, n)));
      store<T>(at<T>(q, j, i, n), x);
    }
  }
  const iterations = tridiagonalQl<T>(d, e, n, vectors ? q : 0);
  if (iterations < 0) return iterations;
  // Descending values, the vectors (rows of q) written as columns of z.
  for (let i = 0; i < n; i++) {
    const best = takeLargest(d, n);
    store<T>(w + <usize>i * sz, <T>ld(d, best));
    st(d, best, -Infinity);
    if (vectors) for (let t = 0; t < n; t++) store<T>(at<T>(z, t, i, n), load<T>(at<T>(q, best, t, n)));
  }
  return iterations;
}

/**
 * Implicit QL with Wilkinson shifts on the symmetric tridiagonal (d, e) in f64, e[i] coupling i and
 * i + 1 (Numerical Recipes tqli, EISPACK tql2); each rotation (i, i + 1) is applied to rows i and i + 1
 * of the n×n `rows` unless it is 0. Deflates when |e_m| ≤ ε·(|d_m| + |d_{m+1}|).
 */
function tridiagonalQl<T>(d: usize, e: usize, n: i32, rows: usize): i32 {
  const eps: f64 = 2.220446049250313e-16;
  let iterations = 0;
  for (let l = 0; l < n; l++) {
    while (true) {
      let m = l;
      for (; m < n - 1; m++) {
        const dd = abs<f64>(ld(d, m)) + abs<f64>(ld(d, m + 1));
        // As dsteqr, also below the safe minimum: ε·dd underflows to 0 for subnormal eigenvalues.
        if (abs<f64>(ld(e, m)) <= eps * dd || abs<f64>(ld(e, m)) <= safeMin<f64>()) break;
      }
      if (m == l) break;
      if (++iterations > 30 * n) return -2;
      let g = (ld(d, l + 1) - ld(d, l)) / (2 * ld(e, l));
      let r = Math.hypot(g, 1);
      g = ld(d, m) - ld(d, l) + ld(e, l) / (g + (g >= 0 ? r : -r));
      let s: f64 = 1, c: f64 = 1, p: f64 = 0;
      let i = m - 1;
      for (; i >= l; i--) {
        const f = s * ld(e, i), b = c * ld(e, i);
        r = Math.hypot(f, g);
        st(e, i + 1, r);
        if (r == 0) {
          st(d, i + 1, ld(d, i + 1) - p);
          st(e, m, 0);
          break;
        }
        s = f / r;
        c = g / r;
        g = ld(d, i + 1) - p;
        r = (ld(d, i) - g) * s + 2 * c * b;
        p = s * r;
        st(d, i + 1, g + p);
        g = c * r - b;
        if (rows != 0) rotateRows<T>(at<T>(rows, i, 0, n), at<T>(rows, i + 1, 0, n), n, c, s);
      }
      if (r == 0 && i >= l) continue;
      st(d, l, ld(d, l) - p);
      st(e, l, g);
      st(e, m, 0);
    }
  }
  return iterations;
}

// The exports, as src/abi.ts declares them (index.ts re-exports every one).
export function syev_f32(a: usize, w: usize, z: usize, n: i32, vectors: bool, work: usize): i32 { return syev<f32>(a, w, z, n, vectors, work); }
export function syev_f64(a: usize, w: usize, z: usize, n: i32, vectors: bool, work: usize): i32 { return syev<f64>(a, w, z, n, vectors, work); }
