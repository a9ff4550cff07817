// Divide and conquer for the symmetric tridiagonal eigenproblem T = Q·Λ·Qᵀ (Cuppen 1981; LAPACK dstedc → dlaed0,
// dlaed1, dlaed2, dlaed3, dlaed4), the eigenvectors by Gu and Eisenstat's formula (SIAM J. Matrix Anal. Appl. 16,
// 1995), which keeps them orthogonal to O(n·ε) without extra precision.
//
// T is torn at its middle row into diag(T₁, T₂) + ρ·u·uᵀ, u = e_last(T₁) + sign(β)·e_first(T₂), ρ = |β| (β the
// coupling, each torn diagonal less |β|); the halves are solved recursively (down to 1 × 1), and with
// Tᵢ = Qᵢ·Dᵢ·Qᵢᵀ the merge is the rank-one update D + ρ·z·zᵀ, z = diag(Q₁, Q₂)ᵀ·u (Q₁'s last row, Q₂'s first).
// dlaed2's deflation drops the components with ρ·|z_i| ≤ tol and, by a rotation, one of two close values of D
// (|t·c·s| ≤ tol), tol = 8ε·max(|D|, |z|): each perturbs T by at most tol. The k values left solve the secular
// equation f(λ) = 1/ρ + Σ z_j²/(d_j − λ) = 0, one root in each gap (dlaed4's middle way, Li 1994, kept inside
// its bracket by bisection); the differences d_j − λ_i come from the root's offset τ to the nearer pole, so they
// carry full relative accuracy. The vectors use ẑ recomputed from the roots (dlaed3), and the new Q = diag(Q₁, Q₂)·U
// is two GEMMs over the columns that are nonzero only in the top rows, dense, or only in the bottom rows (dlaed2's
// column types). Work ≈ (4/3)·n³ flops in GEMM without deflation, against the ~6·n³ of QL's rotations.
//
// T is scaled by its largest entry first (dstedc): the roots' brackets and tol then sit near 1, and tiny or huge
// entries neither underflow nor overflow in the squares the solver forms.
import { gemm, gemmScratchBytes } from '../gemm';
import { at } from './memory';
import { ld, st } from './factor';

const EPS: f64 = 2.220446049250313e-16;

// The scratch, laid out by stedcWorkBytes: a merge's sizes (k, k1, k2 as i32, for the thread that runs one of its
// products), per-merge vectors (f64 and i32, n each), the k×k differences d_j − λ_i (f64), Q's nondeflated and
// deflated columns gathered (m × m, T), U (k × k, T), GEMM's packing.
const F64_VECTORS = 6, I32_VECTORS = 6;

/** Scratch bytes stedc<T> needs at order n. */
export function stedcWorkBytes<T>(n: i32): f64 {
  const m = <f64>n;
  return 128 + (F64_VECTORS * m + m * m) * 8 + I32_VECTORS * m * 4 + 128 + 2 * m * m * sizeof<T>() + gemmScratchBytes<T>();
}

// Where the parts sit, set by layout: once per call of stedc, once per phase of the two-thread one (globals are
// per instance, so each thread sets its own).
let zv: usize = 0, dv: usize = 0, zs: usize = 0, lam: usize = 0, zk: usize = 0, dk: usize = 0;
let order: usize = 0, column: usize = 0, kind: usize = 0, keep: usize = 0, gone: usize = 0, slot: usize = 0;
let sizes: usize = 0, deltas: usize = 0, gathered: usize = 0, uMatrix: usize = 0, packing: usize = 0;

/**
 * Eigenvalues of the tridiagonal (d, e; e_i couples i and i + 1) into d, ascending, and its eigenvectors as the
 * columns of Q (n rows of `stride` elements, n columns), the i-th with the i-th value.
 */
export function stedc<T>(d: usize, e: usize, n: i32, q: usize, stride: i32, work: usize): void {
  const scale = stedcBegin<T>(d, e, n, q, stride);
  if (scale == 0) return;
  layout<T>(work, n);
  solve<T>(d, e, 0, n, q, stride);
  unscale(d, n, scale);
}

/*
 * stedc in phases, for two threads: stedcBegin and stedcTear; stedcHalf for each half of T (on its own thread and
 * scratch); stedcJoinStart, then stedcJoinRoots, stedcJoinGather and stedcJoinColumns on parts split between the
 * threads, its two stedcJoinProduct (one a thread), stedcJoinEnd. They run solve's own steps for
 * the whole T, so the result is stedc's, bit for bit.
 */

/** Q cleared and T scaled by its largest entry; returns that scale, or 0 for T = 0 (Q is then I, and done). */
export function stedcBegin<T>(d: usize, e: usize, n: i32, q: usize, stride: i32): f64 {
  for (let i = 0; i < n; i++) memory.fill(at<T>(q, i, 0, stride), 0, <usize>n * sizeof<T>());
  let scale: f64 = 0;
  for (let i = 0; i < n; i++) scale = max(scale, abs(ld(d, i)));
  for (let i = 0; i + 1 < n; i++) scale = max(scale, abs(ld(e, i)));
  if (scale == 0) {
    for (let i = 0; i < n; i++) store<T>(at<T>(q, i, i, stride), <T>1);
    return 0;
  }
  for (let i = 0; i < n; i++) st(d, i, ld(d, i) / scale);
  for (let i = 0; i + 1 < n; i++) st(e, i, ld(e, i) / scale);
  return scale;
}

/** T torn at its middle (solve's first step for the whole T, n ≥ 2): the halves are independent from here. */
export function stedcTear(d: usize, e: usize, n: i32): void {
  tear(d, e, n >> 1);
}

/** Half `part` (0: rows [0, n/2), 1: the rest) of the torn T, with `work` of stedcWorkBytes(n − n/2) for it. */
export function stedcHalf<T>(d: usize, e: usize, n: i32, part: i32, q: usize, stride: i32, work: usize): void {
  const n1 = n >> 1;
  layout<T>(work, n - n1);
  if (part == 0) solve<T>(d, e, 0, n1, q, stride);
  else solve<T>(d, e, n1, n - n1, q, stride);
}

/** The solved halves' merge (work of stedcWorkBytes(n)) up to its roots. */
export function stedcJoinStart<T>(d: usize, e: usize, n: i32, q: usize, stride: i32, work: usize): void {
  layout<T>(work, n);
  const n1 = n >> 1;
  mergeStart<T>(d, 0, n1, n - n1, ld(e, n1 - 1), q, stride);
}

/** The merge's roots, part `part` of `parts` (any thread). */
export function stedcJoinRoots<T>(n: i32, part: i32, parts: i32, work: usize): void {
  layout<T>(work, n);
  mergeRoots(part, parts);
}

/** Q gathered and ẑ, part `part` of `parts` (any thread, after every part of the roots). */
export function stedcJoinGather<T>(n: i32, q: usize, stride: i32, part: i32, parts: i32, work: usize): void {
  layout<T>(work, n);
  mergeGather<T>(0, n, q, stride, part, parts);
}

/** U's columns, part `part` of `parts` (any thread, after every part of the gathering). */
export function stedcJoinColumns<T>(n: i32, part: i32, parts: i32, work: usize): void {
  layout<T>(work, n);
  mergeColumns<T>(part, parts);
}

/**
 * One of the merge's two products, on any thread; GEMM packs part 0 in `work`'s own place, part 1 at the start of
 * `second` (the second half's scratch, idle once its half is solved; it holds more than GEMM's packing), so the two
 * threads write apart.
 */
export function stedcJoinProduct<T>(n: i32, part: i32, q: usize, stride: i32, work: usize, second: usize): void {
  layout<T>(work, n);
  const n1 = n >> 1;
  mergeProduct<T>(0, n1, n - n1, q, stride, part, part == 0 ? packing : (second + 63) & ~63);
}

/** The merge finished (on stedcJoinStart's thread) and the scale undone. */
export function stedcJoinEnd<T>(d: usize, n: i32, q: usize, stride: i32, scale: f64): void {
  mergeEnd<T>(d, 0, n, q, stride);
  unscale(d, n, scale);
}

function unscale(d: usize, n: i32, scale: f64): void {
  for (let i = 0; i < n; i++) st(d, i, ld(d, i) * scale);
}

/** The tear between rows cut − 1 and cut: each torn diagonal less |β|. */
function tear(d: usize, e: usize, cut: i32): void {
  const beta = abs(ld(e, cut - 1));
  st(d, cut - 1, ld(d, cut - 1) - beta);
  st(d, cut, ld(d, cut) - beta);
}

function layout<T>(work: usize, n: i32): void {
  sizes = (work + 63) & ~63;
  const f = <usize>n << 3, g = <usize>n << 2;
  zv = sizes + 64; dv = zv + f; zs = dv + f; lam = zs + f; zk = lam + f; dk = zk + f;
  deltas = dk + f;
  order = deltas + <usize>n * f; column = order + g; kind = column + g; keep = kind + g; gone = keep + g; slot = gone + g;
  gathered = (slot + g + 63) & ~63;
  uMatrix = gathered + <usize>n * n * sizeof<T>();
  packing = (uMatrix + <usize>n * n * sizeof<T>() + 63) & ~63;
}

/** Rows and columns [s, s + m) of T: values into d there, ascending, vectors into that diagonal block of Q. */
function solve<T>(d: usize, e: usize, s: i32, m: i32, q: usize, stride: i32): void {
  if (m == 1) {
    store<T>(at<T>(q, s, s, stride), <T>1);
    return;
  }
  const n1 = m >> 1, cut = s + n1;
  tear(d, e, cut);
  solve<T>(d, e, s, n1, q, stride);
  solve<T>(d, e, cut, m - n1, q, stride);
  merge<T>(d, s, n1, m - n1, ld(e, cut - 1), q, stride);
}

// Column kinds (dlaed2's COLTYP): nonzero in the top n1 rows only, dense, in the bottom rows only.
const TOP = 1, DENSE = 2, BOTTOM = 3;

// The merge's ρ, an f64 in the sizes block (past k, k1, k2).
const RHO: usize = 16;

// i32 vectors.
// @ts-ignore: decorator
@inline function li(base: usize, i: i32): i32 { return load<i32>(base + (<usize>i << 2)); }
// @ts-ignore: decorator
@inline function si(base: usize, i: i32, x: i32): void { store<i32>(base + (<usize>i << 2), x); }

/**
 * The block [s, s + n1 + n2) from its solved halves and the coupling β (dlaed1): z, the merged order and deflation
 * (mergeStart), the secular roots (mergeRoots), Q's columns gathered and ẑ (mergeGather), U's columns
 * (mergeColumns), the new columns' top and bottom rows (mergeProduct, two GEMMs), and the block's values and
 * columns sorted (mergeEnd). The middle four run on ranges, each element on its own, so the top merge splits them
 * between threads with the bits of one.
 */
function merge<T>(d: usize, s: i32, n1: i32, n2: i32, beta: f64, q: usize, stride: i32): void {
  mergeStart<T>(d, s, n1, n2, beta, q, stride);
  mergeRoots(0, 1);
  mergeGather<T>(s, n1 + n2, q, stride, 0, 1);
  mergeColumns<T>(0, 1);
  mergeProduct<T>(s, n1, n2, q, stride, 0, packing);
  mergeProduct<T>(s, n1, n2, q, stride, 1, packing);
  mergeEnd<T>(d, s, n1 + n2, q, stride);
}

/** Where share `part` of `parts` even shares of [0, count) starts (part = parts: count). */
// @ts-ignore: decorator
@inline function shareStart(count: i32, part: i32, parts: i32): i32 {
  return <i32>(<i64>count * part / parts);
}

function mergeStart<T>(d: usize, s: i32, n1: i32, n2: i32, beta: f64, q: usize, stride: i32): void {
  const m = n1 + n2;
  // z = (Q₁'s last row, ±Q₂'s first row)/√2 and ρ = 2|β|: u has norm √2.
  const r = Math.SQRT1_2, flip = beta < 0 ? -r : r;
  for (let j = 0; j < n1; j++) st(zv, j, <f64>load<T>(at<T>(q, s + n1 - 1, s + j, stride)) * r);
  for (let j = n1; j < m; j++) st(zv, j, <f64>load<T>(at<T>(q, s + n1, s + j, stride)) * flip);
  const rho = 2 * abs(beta);
  // Both halves are ascending: merge them into one order (dlamrg).
  let a = 0, b = n1;
  for (let i = 0; i < m; i++) {
    const fromTop = b >= m || (a < n1 && ld(d, s + a) <= ld(d, s + b));
    const j = fromTop ? a++ : b++;
    st(dv, i, ld(d, s + j));
    st(zs, i, ld(zv, j));
    si(column, i, j);
    si(kind, i, j < n1 ? TOP : BOTTOM);
  }
  const k = deflate<T>(m, rho, q, s, stride);
  // The kept values, in order, for the secular equation (ascending, distinct by more than tol).
  for (let i = 0; i < k; i++) {
    st(dk, i, ld(dv, li(keep, i)));
    st(zk, i, ld(zs, li(keep, i)));
  }
  // Q's columns gathered (mergeGather): the kept ones by kind (top, dense, bottom), then the deflated ones.
  let k1 = 0, k2 = 0;
  for (let i = 0; i < k; i++) { const t = li(kind, li(keep, i)); if (t == TOP) k1++; else if (t == DENSE) k2++; }
  let nextTop = 0, nextDense = k1, nextBottom = k1 + k2;
  for (let i = 0; i < k; i++) {
    const t = li(kind, li(keep, i));
    si(slot, i, t == TOP ? nextTop++ : t == DENSE ? nextDense++ : nextBottom++);
  }
  si(sizes, 0, k);
  si(sizes, 1, k1);
  si(sizes, 2, k2);
  store<f64>(sizes + RHO, rho);
}

/** The secular equation's roots of part `part` of `parts` of the k (each with its row of differences). */
function mergeRoots(part: i32, parts: i32): void {
  const k = li(sizes, 0), rho = load<f64>(sizes + RHO);
  for (let j = shareStart(k, part, parts); j < shareStart(k, part + 1, parts); j++) st(lam, j, secularRoot(k, dk, zk, rho, j, deltas + <usize>j * k * 8));
}

/**
 * Part `part` of `parts` of the block's m rows of Q gathered (kept columns in their slots, then the deflated ones)
 * and of the k entries of ẑ (dlaed3): ẑ_i² = Π_j (d_i − λ_j) / Π_{j≠i} (d_i − d_j), with z_i's sign.
 */
function mergeGather<T>(s: i32, m: i32, q: usize, stride: i32, part: i32, parts: i32): void {
  const k = li(sizes, 0), defl = m - k;
  for (let row = shareStart(m, part, parts); row < shareStart(m, part + 1, parts); row++) {
    const from = at<T>(q, s + row, s, stride), to = at<T>(gathered, row, 0, m);
    for (let i = 0; i < k; i++) store<T>(to + <usize>li(slot, i) * sizeof<T>(), load<T>(from + <usize>li(column, li(keep, i)) * sizeof<T>()));
    for (let i = 0; i < defl; i++) store<T>(to + <usize>(k + i) * sizeof<T>(), load<T>(from + <usize>li(column, li(gone, i)) * sizeof<T>()));
  }
  for (let i = shareStart(k, part, parts); i < shareStart(k, part + 1, parts); i++) {
    let w = ld(deltas + <usize>i * k * 8, i);
    for (let j = 0; j < k; j++) if (j != i) w *= ld(deltas + <usize>j * k * 8, i) / (ld(dk, i) - ld(dk, j));
    const zi = Math.sqrt(abs(w));
    st(zv, i, ld(zk, i) < 0 ? -zi : zi);
  }
}

/** Part `part` of `parts` of U's k columns (rows in the gathered order `slot`): column j = (ẑ_i/(d_i − λ_j))_i normalized. */
function mergeColumns<T>(part: i32, parts: i32): void {
  const k = li(sizes, 0);
  for (let j = shareStart(k, part, parts); j < shareStart(k, part + 1, parts); j++) {
    const delta = deltas + <usize>j * k * 8;
    let norm: f64 = 0;
    for (let i = 0; i < k; i++) {
      const u = ld(zv, i) / ld(delta, i);
      st(delta, i, u);
      norm += u * u;
    }
    const inv = 1 / Math.sqrt(norm);
    for (let i = 0; i < k; i++) store<T>(at<T>(uMatrix, li(slot, i), j, k), <T>(ld(delta, i) * inv));
  }
}

/**
 * New columns 0…k − 1 of the block, part 0 its top rows (they see the top and dense columns), part 1 its bottom
 * rows (the dense and bottom ones; the others are zero there), with GEMM's packing at `pack`.
 */
function mergeProduct<T>(s: i32, n1: i32, n2: i32, q: usize, stride: i32, part: i32, pack: usize): void {
  const k = li(sizes, 0), k1 = li(sizes, 1), k2 = li(sizes, 2), m = n1 + n2;
  if (k == 0) return;
  const sz = <usize>sizeof<T>();
  if (part == 0) gemm<T>(false, false, n1, k, k1 + k2, <T>1, gathered, m, uMatrix, k, <T>0, at<T>(q, s, s, stride), stride, pack);
  else gemm<T>(false, false, n2, k, k - k1, <T>1, gathered + <usize>(n1 * m + k1) * sz, m, uMatrix + <usize>(k1 * k) * sz, k, <T>0, at<T>(q, s + n1, s, stride), stride, pack);
}

/** The deflated columns back past the new ones, then the block's values and columns sorted. */
function mergeEnd<T>(d: usize, s: i32, m: i32, q: usize, stride: i32): void {
  const k = li(sizes, 0), defl = m - k;
  for (let row = 0; row < m; row++) {
    const from = at<T>(gathered, row, k, m), to = at<T>(q, s + row, s + k, stride);
    memory.copy(to, from, <usize>defl * sizeof<T>());
  }
  sortBlock<T>(d, s, m, k, q, stride);
}

/**
 * dlaed2's deflation over the merged order (dv, zs, column, kind): fills keep (the kept positions, ascending) and
 * gone (the deflated ones), rotating Q's columns for close pairs; returns the number kept.
 */
function deflate<T>(m: i32, rho: f64, q: usize, s: i32, stride: i32): i32 {
  let big: f64 = 0;
  for (let i = 0; i < m; i++) big = max(big, max(abs(ld(dv, i)), abs(ld(zs, i))));
  const tol = 8 * EPS * big;
  let k = 0, defl = 0, prev = -1;
  for (let i = 0; i < m; i++) {
    if (rho * abs(ld(zs, i)) <= tol) {
      si(gone, defl++, i);
      continue;
    }
    if (prev >= 0) {
      // Rotate z's pair (prev, i) so z_prev = 0; deflate prev if the rotation's effect on T, |t·c·s|, is below tol.
      const zp = ld(zs, prev), zi = ld(zs, i);
      const tau = Math.hypot(zi, zp);
      const c = zi / tau, sn = -zp / tau, t = ld(dv, i) - ld(dv, prev);
      if (abs(t * c * sn) <= tol) {
        st(zs, i, tau);
        st(zs, prev, 0);
        rotateColumns<T>(q, s, m, stride, li(column, prev), li(column, i), c, sn);
        if (li(kind, prev) != li(kind, i)) si(kind, i, DENSE);
        const dp = ld(dv, prev), di = ld(dv, i);
        st(dv, prev, dp * c * c + di * sn * sn);
        st(dv, i, dp * sn * sn + di * c * c);
        si(gone, defl++, prev);
        prev = i;
        continue;
      }
      si(keep, k++, prev);
    }
    prev = i;
  }
  if (prev >= 0) si(keep, k++, prev);
  return k;
}

/** Columns x, y of the block: x ← c·x + s·y, y ← c·y − s·x (LAPACK drot). */
function rotateColumns<T>(q: usize, s: i32, m: i32, stride: i32, x: i32, y: i32, c: f64, sn: f64): void {
  for (let row = 0; row < m; row++) {
    const px = at<T>(q, s + row, s + x, stride), py = at<T>(q, s + row, s + y, stride);
    const a = <f64>load<T>(px), b = <f64>load<T>(py);
    store<T>(px, <T>(c * a + sn * b));
    store<T>(py, <T>(c * b - sn * a));
  }
}

/**
 * The j-th root of 1/ρ + Σ z_i²/(d_i − λ) = 0 (d ascending, ρ > 0): in (d_j, d_{j+1}), the last in
 * (d_{k−1}, d_{k−1} + ρ·‖z‖²]. Fills delta_i = d_i − λ for every i. The root is sought as τ = λ − d_o from the pole
 * o nearer to it (decided by f's sign at the gap's middle), so d_i − λ = (d_i − d_o) − τ loses nothing to
 * cancellation. Each step takes the middle way's two-pole model of f (dlaed4), or halves the bracket when the model
 * leaves it; it stops when |f| is within the rounding of its terms, or the bracket is two adjacent numbers.
 */
function secularRoot(k: i32, dd: usize, z: usize, rho: f64, j: i32, delta: usize): f64 {
  const rhoInv = 1 / rho;
  if (k == 1) {
    const t = rho * ld(z, 0) * ld(z, 0);
    st(delta, 0, -t);
    return ld(dd, 0) + t;
  }
  let origin = j, lo: f64 = 0, hi: f64;
  if (j < k - 1) {
    const gap = ld(dd, j + 1) - ld(dd, j), mid = gap / 2;
    let f = rhoInv;
    for (let i = 0; i < k; i++) f += ld(z, i) * ld(z, i) / (ld(dd, i) - ld(dd, j) - mid);
    if (f >= 0) hi = mid;
    else {
      origin = j + 1;
      lo = mid - gap;
      hi = 0;
    }
  } else {
    let zz: f64 = 0;
    for (let i = 0; i < k; i++) zz += ld(z, i) * ld(z, i);
    hi = rho * zz;
  }
  // The model's two poles: the gap's ends, or for the last root the two largest d.
  const p1 = j < k - 1 ? j : k - 2, p2 = p1 + 1;
  const base = ld(dd, origin);
  let tau = (lo + hi) / 2;
  for (let iteration = 0; iteration < 2400; iteration++) {
    let psi: f64 = 0, dpsi: f64 = 0, phi: f64 = 0, dphi: f64 = 0, size: f64 = rhoInv;
    for (let i = 0; i < k; i++) {
      const di = ld(dd, i) - base - tau;
      st(delta, i, di);
      const t = ld(z, i) / di;
      size += abs(ld(z, i) * t);
      if (i <= p1) {
        psi += ld(z, i) * t;
        dpsi += t * t;
      } else {
        phi += ld(z, i) * t;
        dphi += t * t;
      }
    }
    const w = rhoInv + psi + phi, dw = dpsi + dphi;
    if (abs(w) <= EPS * (8 * size + abs(tau) * dw)) break; // within the terms' rounding
    if (w < 0) lo = tau;
    else hi = tau;
    const a1 = ld(delta, p1), a2 = ld(delta, p2);
    const A = (a1 + a2) * w - a1 * a2 * dw, B = a1 * a2 * w, C = w - a1 * dpsi - a2 * dphi;
    let eta: f64;
    if (C == 0) eta = A != 0 ? B / A : 0;
    else {
      const root = Math.sqrt(abs(A * A - 4 * B * C));
      eta = A <= 0 ? (A - root) / (2 * C) : (2 * B) / (A + root);
    }
    if (w * eta >= 0) eta = -w / dw; // a model step uphill: Newton's instead
    let next = tau + eta;
    if (!(next > lo && next < hi)) next = lo + (hi - lo) / 2;
    if (next == tau || next <= lo || next >= hi) break; // the bracket holds no other number
    tau = next;
  }
  for (let i = 0; i < k; i++) st(delta, i, ld(dd, i) - base - tau);
  return base + tau;
}

/**
 * The block's values (the k roots in lam, then the deflated values of dv in the order of `gone`; its columns
 * s…s + m − 1 of Q in the same order) sorted ascending into d, the columns moved with them.
 */
function sortBlock<T>(d: usize, s: i32, m: i32, k: i32, q: usize, stride: i32): void {
  const defl = m - k;
  // The deflated ones by insertion (nearly ascending already), then merged with the ascending roots.
  for (let i = 0; i < defl; i++) { st(dk, i, ld(dv, li(gone, i))); si(order, i, k + i); }
  for (let i = 1; i < defl; i++) {
    const x = ld(dk, i), c = li(order, i);
    let p = i - 1;
    for (; p >= 0 && ld(dk, p) > x; p--) { st(dk, p + 1, ld(dk, p)); si(order, p + 1, li(order, p)); }
    st(dk, p + 1, x);
    si(order, p + 1, c);
  }
  let a = 0, b = 0;
  for (let p = 0; p < m; p++) {
    const takeRoot = b >= defl || (a < k && ld(lam, a) <= ld(dk, b));
    if (takeRoot) { st(d, s + p, ld(lam, a)); si(column, p, a++); }
    else { st(d, s + p, ld(dk, b)); si(column, p, li(order, b++)); }
  }
  const tmp = gathered; // free again: one row at a time
  for (let row = 0; row < m; row++) {
    const rowAt = at<T>(q, s + row, s, stride);
    memory.copy(tmp, rowAt, <usize>m * sizeof<T>());
    for (let p = 0; p < m; p++) store<T>(rowAt + <usize>p * sizeof<T>(), load<T>(tmp + <usize>li(column, p) * sizeof<T>()));
  }
}
