// Dense factorizations and triangular solves, row-oriented so every inner loop is a SIMD dot product
// or axpy over contiguous rows (row-major storage). Error bounds are LAPACK's (Higham ch. 9, 10, 8):
// Cholesky |ΔA| ≤ γ_{n+1}|L||Lᵀ|, LU with partial pivoting |ΔA| ≤ γ_n|L||U|, substitution
// |ΔT| ≤ γ_n|T| per right-hand side. Status codes as in @lowrank/core's CholeskyParams, TrsmParams, LuParams.
import { axpy, dot, scal } from './level1';
import { gemm } from './gemm';

// @ts-ignore: decorator
@inline function el<T>(base: usize, i: i32, j: i32, ld: i32): usize {
  return base + (<usize>i * ld + j) * sizeof<T>();
}

/** x − x is NaN exactly when x is NaN or ±Inf. */
function anyNonFinite<T>(a: usize, count: i32): bool {
  for (let i = 0; i < count; i++) {
    const v = load<T>(a + <usize>i * sizeof<T>());
    if (v - v != 0) return true;
  }
  return false;
}

const CHOLESKY_NB: i32 = 32;

/**
 * Blocked right-looking Cholesky (LAPACK dpotrf, lower) in place in `l`: per panel of CHOLESKY_NB
 * columns, Crout by rows over the panel only, l_ij = (a_ij − L[i, j₀:j]·L[j, j₀:j]) / l_jj and
 * l_ii = √(a_ii − ‖L[i, j₀:i]‖²), for the diagonal block and every row below it; then the trailing
 * A₂₂ ← A₂₂ − L₂₁·L₂₁ᵀ by the GEMM micro-kernel, one block row at a time up to its diagonal block.
 * The strict upper triangle is scratch until the end, then zeroed. |ΔA| ≤ γ_{n+1}|L||Lᵀ| (Higham Thm 10.3).
 */
export function cholesky<T>(a: usize, l: usize, n: i32, gemmWork: usize): i32 {
  for (let i = 0; i < n; i++) if (anyNonFinite<T>(el<T>(a, i, 0, n), i + 1)) return -1;
  memory.copy(l, a, <usize>n * n * sizeof<T>());
  for (let j0 = 0; j0 < n; j0 += CHOLESKY_NB) {
    const j1 = min(j0 + CHOLESKY_NB, n);
    for (let i = j0; i < n; i++) {
      const li = el<T>(l, i, j0, n);
      for (let j = j0; j < min(i + 1, j1); j++) {
        const s = load<T>(el<T>(l, i, j, n)) - <T>dot<T>(li, el<T>(l, j, j0, n), j - j0);
        if (j < i) {
          store<T>(el<T>(l, i, j, n), s / load<T>(el<T>(l, j, j, n)));
        } else {
          if (!(s > 0)) return i + 1;
          store<T>(el<T>(l, i, i, n), <T>Math.sqrt(<f64>s));
        }
      }
    }
    for (let r0 = j1; r0 < n; r0 += CHOLESKY_NB) {
      const r1 = min(r0 + CHOLESKY_NB, n);
      gemm<T>(false, true, r1 - r0, r1 - j1, j1 - j0, <T>-1, el<T>(l, r0, j0, n), n, el<T>(l, j1, j0, n), n, <T>1, el<T>(l, r0, j1, n), n, gemmWork);
    }
  }
  for (let i = 0; i < n - 1; i++) memory.fill(el<T>(l, i, i + 1, n), 0, <usize>(n - i - 1) * sizeof<T>());
  return 0;
}

/**
 * B (n×m) ← α·op(T)⁻¹·B by substitution over rows: once row k of X is known it is subtracted,
 * scaled by op(T)[i, k], from each row i that depends on it (one SIMD axpy of length m).
 */
export function trsm<T>(t: usize, b: usize, n: i32, m: i32, lower: bool, trans: bool, unitDiag: bool, alpha: T): i32 {
  if (!unitDiag) for (let i = 0; i < n; i++) if (load<T>(el<T>(t, i, i, n)) == 0) return i + 1;
  if (alpha != 1) scal<T>(alpha, b, n * m);
  const forward = lower != trans;
  for (let s = 0; s < n; s++) {
    const i = forward ? s : n - 1 - s;
    const bi = el<T>(b, i, 0, m);
    for (let r = 0; r < s; r++) {
      const k = forward ? r : n - 1 - r;
      const tik = trans ? load<T>(el<T>(t, k, i, n)) : load<T>(el<T>(t, i, k, n));
      if (tik != 0) axpy<T>(-tik, el<T>(b, k, 0, m), bi, m);
    }
    if (!unitDiag) {
      const d = load<T>(el<T>(t, i, i, n));
      for (let j = 0; j < m; j++) {
        const p = el<T>(b, i, j, m);
        store<T>(p, load<T>(p) / d);
      }
    }
  }
  return 0;
}

const LU_NB: i32 = 32;

/**
 * Blocked right-looking LU with partial pivoting (LAPACK dgetrf): a panel of LU_NB columns is factored
 * unblocked (dgetf2: pivot search, whole-row swap, rank-1 updates confined to the panel), the block row
 * U₁₂ = L₁₁⁻¹·A₁₂ by forward substitution over rows (SIMD axpys), and the trailing A₂₂ ← A₂₂ − L₂₁·U₁₂ by
 * the GEMM micro-kernel, which carries (1 − 1/LU_NB) of the flops. Same arithmetic and pivots as the
 * unblocked algorithm up to the order of the updates; |ΔA| ≤ γ_n|L||U| (Higham Thm 9.3).
 * Pivots stored as floats in `piv`; `gemmWork` is the GEMM scratch.
 */
export function lu<T>(a: usize, out: usize, piv: usize, m: i32, n: i32, gemmWork: usize): i32 {
  if (anyNonFinite<T>(a, m * n)) return -1;
  memory.copy(out, a, <usize>m * n * sizeof<T>());
  let info = 0;
  const steps = min(m, n);
  for (let j0 = 0; j0 < steps; j0 += LU_NB) {
    const j1 = min(j0 + LU_NB, steps);
    for (let j = j0; j < j1; j++) {
      let pr = j;
      let best = abs<T>(load<T>(el<T>(out, j, j, n)));
      for (let i = j + 1; i < m; i++) {
        const v = abs<T>(load<T>(el<T>(out, i, j, n)));
        if (v > best) { best = v; pr = i; }
      }
      store<T>(piv + <usize>j * sizeof<T>(), <T>pr);
      if (pr != j) swapRows<T>(el<T>(out, j, 0, n), el<T>(out, pr, 0, n), n);
      const d = load<T>(el<T>(out, j, j, n));
      if (d == 0) {
        if (info == 0) info = j + 1;
        continue;
      }
      const tail = j1 - j - 1;
      for (let i = j + 1; i < m; i++) {
        const pij = el<T>(out, i, j, n);
        const lij = load<T>(pij) / d;
        store<T>(pij, lij);
        if (lij != 0 && tail > 0) axpy<T>(-lij, el<T>(out, j, j + 1, n), el<T>(out, i, j + 1, n), tail);
      }
    }
    const rest = n - j1;
    if (rest <= 0) continue;
    // U₁₂: row i of the block row minus Σ_{k<i} L[i, k]·(row k), k and i in the panel.
    for (let i = j0 + 1; i < j1; i++) {
      for (let k = j0; k < i; k++) {
        const lik = load<T>(el<T>(out, i, k, n));
        if (lik != 0) axpy<T>(-lik, el<T>(out, k, j1, n), el<T>(out, i, j1, n), rest);
      }
    }
    if (m > j1) gemm<T>(false, false, m - j1, rest, j1 - j0, <T>-1, el<T>(out, j1, j0, n), n, el<T>(out, j0, j1, n), n, <T>1, el<T>(out, j1, j1, n), n, gemmWork);
  }
  return info;
}

function swapRows<T>(x: usize, y: usize, len: i32): void {
  for (let c = 0; c < len; c++) {
    const o = <usize>c * sizeof<T>();
    const tmp = load<T>(x + o);
    store<T>(x + o, load<T>(y + o));
    store<T>(y + o, tmp);
  }
}

const QR_NB: i32 = 32;

/**
 * Elements of the T factors: one QR_NB × QR_NB block per panel, the last one too, however few
 * columns it has (sizing this k·QR_NB let the last block's clear run past the area when k is not a
 * multiple of QR_NB: up to 4 KB of the heap zeroed for a tall matrix of under 11 columns).
 */
function qrTElements(k: i32): i32 {
  return ((k + QR_NB - 1) / QR_NB) * QR_NB * QR_NB;
}

/** Scratch elements `qr` needs besides GEMM's packing buffers. */
export function qrWorkElements(m: i32, n: i32): i32 {
  const k = min(m, n);
  return n * m + k + k * m + QR_NB * m + qrTElements(k) + 2 * max(n, k) * QR_NB;
}

/**
 * Blocked Householder QR (LAPACK dgeqrf + dorgqr with compact WY, Schreiber and Van Loan 1989) on
 * the transpose, so each reflector and each column it updates is a contiguous row. A panel of QR_NB
 * columns is factored with SIMD dots and axpys (dgeqr2); its block reflector I − V·T·Vᵀ (T from
 * dlarft) then updates the trailing columns and, at the end, builds Q, by three GEMMs each (the
 * micro-kernel of gemm.ts). Backward error ‖ΔA‖ ≤ γ_{cmn}‖A‖ (Higham Thm 19.4).
 * `work` holds qrWorkElements(m, n) elements; `gemmWork` the GEMM scratch.
 */
export function qr<T>(a: usize, q: usize, r: usize, m: i32, n: i32, work: usize, gemmWork: usize): i32 {
  if (anyNonFinite<T>(a, m * n)) return -1;
  const k = min(m, n);
  const sz = sizeof<T>();
  const w = work;
  const tau = w + <usize>n * m * sz;
  const qt = tau + <usize>k * sz;
  const vp = qt + <usize>k * m * sz;
  const ts = vp + <usize>QR_NB * m * sz;
  const w1 = ts + <usize>qrTElements(k) * sz;
  const w2 = w1 + <usize>max(n, k) * QR_NB * sz;
  for (let i = 0; i < m; i++) for (let c = 0; c < n; c++) store<T>(el<T>(w, c, i, m), load<T>(el<T>(a, i, c, n)));
  for (let j0 = 0; j0 < k; j0 += QR_NB) {
    const j1 = min(j0 + QR_NB, k), b = j1 - j0, mp = m - j0;
    // Panel: unblocked reflectors, applied within the panel only.
    for (let j = j0; j < j1; j++) {
      const x = el<T>(w, j, 0, m);
      const t = householder<T>(x, j, m, el<T>(r, j, j, n));
      store<T>(tau + <usize>j * sz, <T>t);
      for (let c = j + 1; c < j1; c++) {
        const y = el<T>(w, c, j, m);
        if (t != 0) axpy<T>(-<T>(t * dot<T>(el<T>(x, 0, j, 0), y, m - j)), el<T>(x, 0, j, 0), y, m - j);
      }
    }
    // V (b×mp, rows = reflectors over the window [j0, m)) with its unit diagonal and zeros above.
    for (let i = 0; i < b; i++) {
      for (let t = 0; t < mp; t++) {
        const v = t < i ? <T>0 : t == i ? <T>1 : load<T>(el<T>(w, j0 + i, j0 + t, m));
        store<T>(el<T>(vp, i, t, mp), v);
      }
    }
    // T (b×b upper, LAPACK dlarft forward/columnwise): T[:i, i] = −τ_i·T[:i, :i]·(V[:i]·v_i).
    const tb = ts + <usize>j0 * QR_NB * sz;
    memory.fill(tb, 0, <usize>QR_NB * QR_NB * sz);
    for (let i = 0; i < b; i++) {
      const ti = load<T>(tau + <usize>(j0 + i) * sz);
      store<T>(el<T>(tb, i, i, QR_NB), ti);
      for (let p = 0; p < i; p++) store<T>(el<T>(w1, 0, p, 0), <T>dot<T>(el<T>(vp, p, 0, mp), el<T>(vp, i, 0, mp), mp));
      for (let p = 0; p < i; p++) {
        let acc: T = 0;
        for (let c = p; c < i; c++) acc += load<T>(el<T>(tb, p, c, QR_NB)) * load<T>(el<T>(w1, 0, c, 0));
        store<T>(el<T>(tb, p, i, QR_NB), -ti * acc);
      }
    }
    // Trailing columns X (rows j1..n of w over the window): X ← X − ((X·Vᵀ)·T)·V.
    const rest = n - j1;
    if (rest > 0) {
      const x = el<T>(w, j1, j0, m);
      gemm<T>(false, true, rest, b, mp, <T>1, x, m, vp, mp, <T>0, w1, b, gemmWork);
      gemm<T>(false, false, rest, b, b, <T>1, w1, b, tb, QR_NB, <T>0, w2, b, gemmWork);
      gemm<T>(false, false, rest, mp, b, <T>-1, w2, b, vp, mp, <T>1, x, m, gemmWork);
      for (let j = j0; j < j1; j++) for (let c = j1; c < n; c++) store<T>(el<T>(r, j, c, n), load<T>(el<T>(w, c, j, m)));
    }
    for (let j = j0; j < j1; j++) for (let c = j + 1; c < j1; c++) store<T>(el<T>(r, j, c, n), load<T>(el<T>(w, c, j, m)));
  }
  // Q: rows of Qᵀ start as e_i and take the block reflectors from the right, last block first:
  // Qᵀ[j0:, j0:] ← Qᵀ − ((Qᵀ·Vᵀ)·Tᵀ)·V (rows above j0 are zero on that window and stay unchanged).
  memory.fill(qt, 0, <usize>k * m * sz);
  for (let i = 0; i < k; i++) store<T>(el<T>(qt, i, i, m), <T>1);
  const lastBlock = ((k - 1) / QR_NB) * QR_NB;
  for (let j0 = lastBlock; j0 >= 0; j0 -= QR_NB) {
    const j1 = min(j0 + QR_NB, k), b = j1 - j0, mp = m - j0, rows = k - j0;
    for (let i = 0; i < b; i++) {
      for (let t = 0; t < mp; t++) {
        const v = t < i ? <T>0 : t == i ? <T>1 : load<T>(el<T>(w, j0 + i, j0 + t, m));
        store<T>(el<T>(vp, i, t, mp), v);
      }
    }
    const tb = ts + <usize>j0 * QR_NB * sz;
    const x = el<T>(qt, j0, j0, m);
    gemm<T>(false, true, rows, b, mp, <T>1, x, m, vp, mp, <T>0, w1, b, gemmWork);
    gemm<T>(false, true, rows, b, b, <T>1, w1, b, tb, QR_NB, <T>0, w2, b, gemmWork);
    gemm<T>(false, false, rows, mp, b, <T>-1, w2, b, vp, mp, <T>1, x, m, gemmWork);
  }
  for (let i = 0; i < k; i++) for (let t = 0; t < m; t++) store<T>(el<T>(q, t, i, k), load<T>(el<T>(qt, i, t, m)));
  return 0;
}

/**
 * LAPACK dlarfg on row x over positions [j, m): β = −sign(α)·‖x‖ goes to `rjj`, x[j+1:] becomes v
 * (v_j = 1 implied and written), and τ is returned (0 when x[j+1:] is already zero).
 */
function householder<T>(x: usize, j: i32, m: i32, rjj: usize): f64 {
  let alpha = <f64>load<T>(el<T>(x, 0, j, 0));
  let xnorm = tailNorm<T>(x, j, m);
  if (xnorm == 0) {
    store<T>(rjj, <T>alpha);
    return 0;
  }
  let beta = -(alpha < 0 ? -1.0 : 1.0) * Math.hypot(alpha, xnorm);
  // dlarfg: while |β| < safmin (of T), 1/(α − β) would overflow: scale x up by 1/safmin (at most 20
  // times, as LAPACK does), build the reflector there and scale β back. τ and v are scale-invariant.
  const safmin = safeMin<T>();
  let knt = 0;
  if (abs<f64>(beta) < safmin) {
    do {
      knt++;
      scal<T>(<T>(1 / safmin), el<T>(x, 0, j + 1, 0), m - j - 1);
      beta /= safmin;
      alpha /= safmin;
    } while (abs<f64>(beta) < safmin && knt < 20);
    xnorm = tailNorm<T>(x, j, m);
    beta = -(alpha < 0 ? -1.0 : 1.0) * Math.hypot(alpha, xnorm);
  }
  const tau = (beta - alpha) / beta;
  scal<T>(<T>(1 / (alpha - beta)), el<T>(x, 0, j + 1, 0), m - j - 1);
  store<T>(el<T>(x, 0, j, 0), <T>1);
  for (let s = 0; s < knt; s++) beta *= safmin;
  store<T>(rjj, <T>beta);
  return tau;
}

/** ‖x[j+1:m)‖₂, computed in f64 after scaling by the largest entry (no overflow or underflow of the squares). */
function tailNorm<T>(x: usize, j: i32, m: i32): f64 {
  let big: f64 = 0;
  for (let i = j + 1; i < m; i++) big = max(big, abs<f64>(<f64>load<T>(el<T>(x, 0, i, 0))));
  if (big == 0) return 0;
  let s: f64 = 0;
  for (let i = j + 1; i < m; i++) { const v = <f64>load<T>(el<T>(x, 0, i, 0)) / big; s += v * v; }
  return big * Math.sqrt(s);
}

/** LAPACK's safe minimum of T, dlamch('S')/dlamch('E'): its reciprocal does not overflow T. */
function safeMin<T>(): f64 {
  return sizeof<T>() == 4 ? 1.1754943508222875e-38 / 5.960464477539063e-8 : 2.2250738585072014e-308 / 1.1102230246251565e-16;
}

/** The SVD's scratch: W (k·len elements), Vᵀ (k·k elements) and the k squared row norms in f64. */
export function svdWorkBytes(m: i32, n: i32, bytesPerElement: i32): i32 {
  const k = min(m, n), len = max(m, n);
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
    const x = load<T>(el<T>(a, i, j, n));
    if (tall) store<T>(el<T>(w, j, i, len), x); else store<T>(el<T>(w, i, j, len), x);
  }
  memory.fill(vt, 0, <usize>k * k * sizeof<T>());
  for (let i = 0; i < k; i++) store<T>(el<T>(vt, i, i, k), <T>1);
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
      const wi = el<T>(w, i, 0, len);
      const x = dot<T>(wi, wi, len);
      st(norms, i, x);
      biggest = max(biggest, x);
    }
    const negligible = tol * Math.sqrt(biggest);
    for (let p = 0; p < k - 1; p++) {
      const wp = el<T>(w, p, 0, len);
      for (let q = p + 1; q < k; q++) {
        const wq = el<T>(w, q, 0, len);
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
        if (vectors) rotateRows<T>(el<T>(vt, p, 0, k), el<T>(vt, q, 0, k), k, c, sn);
      }
    }
  }
  let largest: f64 = 0;
  for (let i = 0; i < k; i++) {
    const wi = el<T>(w, i, 0, len);
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
    for (let t = 0; t < lRows; t++) store<T>(el<T>(left, t, i, k), load<T>(el<T>(w, best, t, len)) * inv);
    for (let t = 0; t < rRows; t++) store<T>(el<T>(right, t, i, k), load<T>(el<T>(vt, best, t, k)));
  }
  return sweeps;
}

/** (x, y) ← (c·x − s·y, s·x + c·y) over two rows, SIMD. */
function rotateRows<T>(x: usize, y: usize, len: i32, c: f64, sn: f64): void {
  const L = 16 / <i32>sizeof<T>();
  const cv = v128.splat<T>(<T>c), sv = v128.splat<T>(<T>sn);
  let i = 0;
  for (; i + L <= len; i += L) {
    const o = <usize>i * sizeof<T>();
    const xv = v128.load(x + o), yv = v128.load(y + o);
    v128.store(x + o, v128.sub<T>(v128.mul<T>(cv, xv), v128.mul<T>(sv, yv)));
    v128.store(y + o, v128.add<T>(v128.mul<T>(sv, xv), v128.mul<T>(cv, yv)));
  }
  for (; i < len; i++) {
    const o = <usize>i * sizeof<T>();
    const xs = load<T>(x + o), ys = load<T>(y + o);
    store<T>(x + o, <T>c * xs - <T>sn * ys);
    store<T>(y + o, <T>sn * xs + <T>c * ys);
  }
}

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
  for (let i = 0; i < n; i++) if (anyNonFinite<T>(el<T>(a, i, 0, n), i + 1)) return -1;
  const sz = sizeof<T>();
  const d = work, e = d + (<usize>n << 3), tau = e + (<usize>n << 3);
  const wm = tau + (<usize>n << 3);
  const q = wm + <usize>n * n * sz;
  const pv = q + <usize>n * n * sz;
  const beta = pv + <usize>n * sz;
  for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) {
    const x = load<T>(el<T>(a, i, j, n));
    store<T>(el<T>(wm, i, j, n), x);
    store<T>(el<T>(wm, j, i, n), x);
  }
  for (let j = 0; j < n - 2; j++) {
    const len = n - j - 1;
    const v = el<T>(wm, j, j + 1, n);
    const t = householder<T>(el<T>(wm, j, 0, n), j + 1, n, beta);
    store<f64>(tau + (<usize>j << 3), t);
    store<f64>(e + (<usize>j << 3), <f64>load<T>(beta));
    if (t == 0) continue;
    let pv2: f64 = 0;
    for (let i = 0; i < len; i++) {
      const pi = t * dot<T>(el<T>(wm, j + 1 + i, j + 1, n), v, len);
      store<T>(pv + <usize>i * sz, <T>pi);
      pv2 += pi * <f64>load<T>(v + <usize>i * sz);
    }
    axpy<T>(<T>(-0.5 * t * pv2), v, pv, len);
    for (let i = 0; i < len; i++) {
      const row = el<T>(wm, j + 1 + i, j + 1, n);
      axpy<T>(-load<T>(v + <usize>i * sz), pv, row, len);
      axpy<T>(-load<T>(pv + <usize>i * sz), v, row, len);
    }
  }
  for (let j = 0; j < n; j++) store<f64>(d + (<usize>j << 3), <f64>load<T>(el<T>(wm, j, j, n)));
  if (n >= 2) store<f64>(e + (<usize>(n - 2) << 3), <f64>load<T>(el<T>(wm, n - 2, n - 1, n)));
  if (vectors) {
    // Q = H₀·H₁⋯H_{n−3} built backward (H_j·Q touches rows and columns > j only), then transposed.
    memory.fill(q, 0, <usize>n * n * sz);
    for (let i = 0; i < n; i++) store<T>(el<T>(q, i, i, n), <T>1);
    for (let j = n - 3; j >= 0; j--) {
      const t = load<f64>(tau + (<usize>j << 3));
      if (t == 0) continue;
      const len = n - j - 1;
      const v = el<T>(wm, j, j + 1, n);
      memory.fill(pv, 0, <usize>len * sz);
      for (let i = 0; i < len; i++) axpy<T>(load<T>(v + <usize>i * sz), el<T>(q, j + 1 + i, j + 1, n), pv, len);
      for (let i = 0; i < len; i++) axpy<T>(<T>(-t * <f64>load<T>(v + <usize>i * sz)), pv, el<T>(q, j + 1 + i, j + 1, n), len);
    }
    for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) {
      const x = load<T>(el<T>(q, i, j, n));
      store<T>(el<T>(q, i, j, n), load<T>(el<T>(q, j, i, n)));
      store<T>(el<T>(q, j, i, n), x);
    }
  }
  const iterations = tridiagonalQl<T>(d, e, n, vectors ? q : 0);
  if (iterations < 0) return iterations;
  // Descending values, the vectors (rows of q) written as columns of z.
  for (let i = 0; i < n; i++) {
    const best = takeLargest(d, n);
    store<T>(w + <usize>i * sz, <T>ld(d, best));
    st(d, best, -Infinity);
    if (vectors) for (let t = 0; t < n; t++) store<T>(el<T>(z, t, i, n), load<T>(el<T>(q, best, t, n)));
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
        if (rows != 0) rotateRows<T>(el<T>(rows, i, 0, n), el<T>(rows, i + 1, 0, n), n, c, s);
      }
      if (r == 0 && i >= l) continue;
      st(d, l, ld(d, l) - p);
      st(e, l, g);
      st(e, m, 0);
    }
  }
  return iterations;
}

/**
 * The index of the largest of `count` f64 keys; the caller marks it −∞ once read, so repeated calls give
 * a descending order (a selection sort: count is small next to the factorization that produced the keys).
 */
function takeLargest(keys: usize, count: i32): i32 {
  let best = 0;
  for (let j = 1; j < count; j++) if (ld(keys, j) > ld(keys, best)) best = j;
  return best;
}

// @ts-ignore: decorator
@inline function ld(base: usize, i: i32): f64 { return load<f64>(base + (<usize>i << 3)); }
// @ts-ignore: decorator
@inline function st(base: usize, i: i32, x: f64): void { store<f64>(base + (<usize>i << 3), x); }
