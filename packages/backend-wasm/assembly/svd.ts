// Dense factorizations, row-oriented so every inner loop is a SIMD dot product or axpy over
// contiguous rows (row-major storage).
import { dot } from './dot';
import { gemm, gemmScratchBytes } from './gemm';
import { at } from './shared/memory';
import { TILE, transposeBlock } from './transpose';
import { anyNonFinite, epsilon, ld, rotateRows, st, takeLargest } from './shared/factor';

/** Below this many rows of W a sweep's dot products cost less than forming the Gram matrix. */
const GRAM_MIN_ROWS: i32 = 64;
/** Columns of G per GEMM: each block runs from row 0 to its own diagonal, so the lower triangle costs ≤ half a block. */
const GRAM_COLUMNS: i32 = 64;

/** The SVD's scratch, in this order, each part 16-byte aligned (svdPartAt). */
const W: i32 = 0, VT: i32 = 1, GRAM: i32 = 2, CHECKED: i32 = 3, NORMS: i32 = 4, ROTATED: i32 = 5, STATE: i32 = 6, PACKING: i32 = 7, END: i32 = 8;

/**
 * Bytes of one part: W (k·len elements), Vᵀ and the Gram matrix G (k·k elements each), the pairs' verification stamps
 * (k·k u32), the squared row norms (k f64), each row's latest rotation (k u32), the iteration's state between
 * phases (STATE_BYTES) and thread 0's GEMM packing.
 */
function svdPartBytes(k: f64, len: f64, size: f64, part: i32): f64 {
  if (part == W) return k * len * size;
  if (part == VT || part == GRAM) return k * k * size;
  if (part == CHECKED) return 4 * k * k;
  if (part == NORMS) return 8 * k;
  if (part == ROTATED) return 4 * k;
  if (part == STATE) return STATE_BYTES;
  return <f64>(size == 4 ? gemmScratchBytes<f32>() : gemmScratchBytes<f64>());
}

/** The byte offset of a part of the scratch; f64, as past 2 GiB an i32 would wrap. */
function svdPartAt(k: f64, len: f64, size: f64, part: i32): f64 {
  let offset: f64 = 0;
  for (let i = 0; i < part; i++) offset += Math.ceil(svdPartBytes(k, len, size, i) / 16) * 16;
  return offset;
}

/** The SVD's scratch bytes for an m×n A. */
export function svdWorkBytes(m: i32, n: i32, bytesPerElement: i32): f64 {
  return svdPartAt(<f64>min(m, n), <f64>max(m, n), <f64>bytesPerElement, END);
}

/** A part of an m×n A's scratch at `work`. */
// @ts-ignore: decorator
@inline function partOf<T>(work: usize, m: i32, n: i32, part: i32): usize {
  return work + <usize>svdPartAt(<f64>min(m, n), <f64>max(m, n), <f64>sizeof<T>(), part);
}

/** The state's fields, byte offsets in STATE: the rotation clock (u32), sweeps run, whether the last sweep rotated, whether this one reads G, and the share of fresh checks (f64). */
const CLOCK: usize = 0, SWEEPS: usize = 4, ROTATED_ANY: usize = 8, USE_GRAM: usize = 12, FRESH_SHARE: usize = 16, STATE_BYTES: f64 = 24;

// @ts-ignore: decorator
@inline function checkedAt(checked: usize, k: i32, p: i32, q: i32): u32 { return load<u32>(checked + ((<usize>p * k + q) << 2)); }
// @ts-ignore: decorator
@inline function rotation(rotatedAt: usize, i: i32): u32 { return load<u32>(rotatedAt + (<usize>i << 2)); }

/** Pairs p < q not verified since both rows last rotated. */
function unverifiedPairs(checked: usize, rotatedAt: usize, k: i32): f64 {
  let count: f64 = 0;
  for (let p = 0; p < k - 1; p++) {
    const rp = rotation(rotatedAt, p);
    for (let q = p + 1; q < k; q++) {
      const stamp = checkedAt(checked, k, p, q);
      if (!(stamp > rp && stamp > rotation(rotatedAt, q))) count++;
    }
  }
  return count;
}

/**
 * One-sided Jacobi SVD (Hestenes), cyclic by pairs of rows of W = the columns of A (or of Aᵀ when
 * m < n), each pair one SIMD dot product and each rotation two SIMD row rotations, the rotations
 * accumulated in Vᵀ. Converged when every pair has |w_p·w_q| ≤ √len·ε·‖w_p‖‖w_q‖ (dgesvj; relative accuracy of the
 * singular values as Demmel and Veselić 1992) or involves a negligible row, ‖w‖ ≤ len·ε·max‖w_i‖: rows at
 * the rounding level of A (a numerically rank-deficient A, or A·Z for the preconditioned SVD) can be
 * nearly parallel to a large one in floating point and would lose only a factor ε per sweep; their
 * singular values come back as 0 (an error ≤ len·ε·σ₁, inside LAPACK's bound). Scratch: svdWorkBytes.
 *
 * In phases the glue (src/kernels/svd.ts) calls in order: svdStart; per sweep svdSweepBegin, then, when it says so,
 * svdGram on ranges of G's column blocks (on every thread: each block is one GEMM, the same bits on any thread),
 * and svdSweep; last svdFinish. The iteration's state lives in the work area between phases.
 *
 * Pairs are checked only when they could have changed: a pair found orthogonal stays so until one of its rows rotates
 * (its dot product is the same number), so each pair keeps the rotation count at which it was verified and each row
 * the count at its latest rotation (the stamps), and a sweep skips the pairs verified since both rows last rotated.
 * The sweep that confirms convergence then costs a dot product per pair touched by the previous sweep's rotations.
 *
 * A sweep may start from G = W·Wᵀ by GEMM: while neither row of a pair has rotated since, g_pq is their dot product up
 * to summation order (both within γ_len·‖w_p‖‖w_q‖), so only pairs with a rotated row cost a dot. G costs about half
 * a sweep's dot products (a little over half of the products, at about twice their rate), so a sweep forms it when
 * the pairs it expects to read from G, its unverified pairs times the share of the previous sweep's checks that found
 * both rows unrotated, are at least half of all pairs. After eigenvector preconditioning (A·Z from linalg's svd)
 * few pairs rotate and most keep both rows unrotated through a sweep; plain Jacobi rotates nearly every row early in
 * a sweep and forms G only in its first sweep (before it knows) and near its end.
 *
 * svdStart sets W, and Vᵀ to I, or to Zᵀ for a k×k `basis` Z (not 0; m ≥ n) so that V comes out as Z·V (linalg's
 * V = Z·V_B without the product; SvdParams.basis).
 */
export function svdStart<T>(a: usize, m: i32, n: i32, work: usize, basis: usize): i32 {
  if (anyNonFinite<T>(a, m * n)) return -1;
  const k = min(m, n), len = max(m, n);
  const w = work, vt = partOf<T>(work, m, n, VT), state = partOf<T>(work, m, n, STATE);
  if (m >= n) transposeBlock<T>(a, n, w, len, m, n); // W = Aᵀ
  else memory.copy(w, a, <usize>m * n * sizeof<T>()); // W = A, rows of len = n
  if (basis != 0) transposeBlock<T>(basis, k, vt, k, k, k);
  else {
    memory.fill(vt, 0, <usize>k * k * sizeof<T>());
    for (let i = 0; i < k; i++) store<T>(at<T>(vt, i, i, k), <T>1);
  }
  store<u32>(state + CLOCK, 0xffffffff); // rotations so far; starts full so the first sweep clears the stamps
  store<i32>(state + SWEEPS, 0);
  store<i32>(state + ROTATED_ANY, 1);
  store<f64>(state + FRESH_SHARE, 1); // of the previous sweep's checks, the share with both rows unrotated since its start
  return 0;
}

/**
 * Starts a sweep: 0 when the last one rotated nothing (converged), −2 when maxSweeps have run, else 2 when the sweep
 * reads G (svdGram first, see above) and 1 when not.
 */
export function svdSweepBegin<T>(m: i32, n: i32, maxSweeps: i32, work: usize): i32 {
  const k = min(m, n), fk = <f64>k, state = partOf<T>(work, m, n, STATE);
  if (load<i32>(state + ROTATED_ANY) == 0) return 0;
  const sweeps = load<i32>(state + SWEEPS);
  if (sweeps == maxSweeps) return -2;
  store<i32>(state + SWEEPS, sweeps + 1);
  const checked = partOf<T>(work, m, n, CHECKED), rotatedAt = partOf<T>(work, m, n, ROTATED);
  if (load<u32>(state + CLOCK) >= 0xf0000000) {
    store<u32>(state + CLOCK, 0); // (re)start the stamps: every pair unverified
    memory.fill(checked, 0, <usize>k * k * 4);
    memory.fill(rotatedAt, 0, <usize>k * 4);
  }
  const fresh = load<f64>(state + FRESH_SHARE);
  const useGram = k >= GRAM_MIN_ROWS && 2 * fresh * unverifiedPairs(checked, rotatedAt, k) >= fk * (fk - 1) / 2;
  store<i32>(state + USE_GRAM, <i32>useGram);
  return useGram ? 2 : 1;
}

/**
 * Column blocks [b0, b1) (of GRAM_COLUMNS) of G's upper triangle and diagonal, G = W·Wᵀ k×k with row stride k, by
 * the GEMM micro-kernel: block [c, c + b) is W[0 : c + b]·W[c : c + b]ᵀ, about half of the full product's k²·len
 * multiply–adds. `packing`: this thread's GEMM scratch (0: thread 0's, in the work area).
 */
export function svdGram<T>(m: i32, n: i32, b0: i32, b1: i32, work: usize, packing: usize): void {
  const k = min(m, n), len = max(m, n), w = work, g = partOf<T>(work, m, n, GRAM);
  const scratch = packing != 0 ? packing : partOf<T>(work, m, n, PACKING);
  for (let c = b0 * GRAM_COLUMNS; c < min(k, b1 * GRAM_COLUMNS); c += GRAM_COLUMNS) {
    const cols = min(GRAM_COLUMNS, k - c);
    gemm<T>(false, true, c + cols, cols, len, <T>1, w, len, at<T>(w, c, 0, len), len, <T>0, at<T>(g, 0, c, k), k, scratch);
  }
}

/** Blocks of G (GRAM_COLUMNS columns each) for a k-row W: the glue splits them between threads. */
export function svdGramBlocks(m: i32, n: i32): i32 {
  return (min(m, n) + GRAM_COLUMNS - 1) / GRAM_COLUMNS;
}

/** One sweep over the pairs, after svdSweepBegin (and svdGram when it returned 2). */
export function svdSweep<T>(m: i32, n: i32, vectors: bool, work: usize): void {
  const k = min(m, n), len = max(m, n);
  const w = work, vt = partOf<T>(work, m, n, VT), g = partOf<T>(work, m, n, GRAM);
  const checked = partOf<T>(work, m, n, CHECKED), norms = partOf<T>(work, m, n, NORMS);
  const rotatedAt = partOf<T>(work, m, n, ROTATED), state = partOf<T>(work, m, n, STATE);
  const useGram = load<i32>(state + USE_GRAM) != 0;
  const eps = epsilon<T>();
  // Negligible rows (σ returned as 0) below len·ε·max‖w_i‖; pairs rotated until |cos| ≤ √len·ε (dgesvj's
  // tolerance): with len·ε the columns of U lost orthogonality in proportion to n.
  const tol: f64 = <f64>len * eps, orthTol: f64 = Math.sqrt(<f64>len) * eps;
  let clock = load<u32>(state + CLOCK);
  let rotated = false;
  const sweepStart = clock;
  let checks: f64 = 0, freshChecks: f64 = 0;
  // Squared row norms, from G or by dot products each sweep and updated in between from the rotation itself
  // (α' = α − t·γ, β' = β + t·γ), so a pair costs at most one dot product until it needs a rotation.
  let biggest: f64 = 0;
  for (let i = 0; i < k; i++) {
    const wi = at<T>(w, i, 0, len);
    const x = useGram ? <f64>load<T>(at<T>(g, i, i, k)) : dot<T>(wi, wi, len);
    st(norms, i, x);
    biggest = max(biggest, x);
  }
  const negligible = tol * Math.sqrt(biggest);
  for (let p = 0; p < k - 1; p++) {
    const wp = at<T>(w, p, 0, len);
    for (let q = p + 1; q < k; q++) {
      const stamp = checkedAt(checked, k, p, q), rp = rotation(rotatedAt, p), rq = rotation(rotatedAt, q);
      if (stamp > rp && stamp > rq) continue; // verified since both rows last rotated
      const wq = at<T>(w, q, 0, len);
      const fresh = rp <= sweepStart && rq <= sweepStart;
      checks++;
      if (fresh) freshChecks++;
      const gamma = useGram && fresh ? <f64>load<T>(at<T>(g, p, q, k)) : dot<T>(wp, wq, len);
      const alpha = ld(norms, p), beta = ld(norms, q);
      if (abs<f64>(gamma) <= orthTol * Math.sqrt(alpha * beta)) {
        store<u32>(checked + ((<usize>p * k + q) << 2), clock + 1);
        continue;
      }
      if (Math.sqrt(min(alpha, beta)) <= negligible) continue;
      rotated = true;
      const zeta = (beta - alpha) / (2 * gamma);
      const t = (zeta < 0 ? -1.0 : 1.0) / (abs<f64>(zeta) + Math.sqrt(1 + zeta * zeta));
      const c = 1 / Math.sqrt(1 + t * t), sn = c * t;
      rotateRows<T>(wp, wq, len, c, sn);
      st(norms, p, alpha - t * gamma);
      st(norms, q, beta + t * gamma);
      if (vectors) rotateRows<T>(at<T>(vt, p, 0, k), at<T>(vt, q, 0, k), k, c, sn);
      clock++;
      store<u32>(rotatedAt + (<usize>p << 2), clock);
      store<u32>(rotatedAt + (<usize>q << 2), clock);
    }
  }
  store<u32>(state + CLOCK, clock);
  store<i32>(state + ROTATED_ANY, <i32>rotated);
  store<f64>(state + FRESH_SHARE, checks > 0 ? freshChecks / checks : 1);
}

/** The values descending into s, with `vectors` U and V from W's rows and Vᵀ; returns the sweeps run. */
export function svdFinish<T>(u: usize, s: usize, v: usize, m: i32, n: i32, vectors: bool, work: usize): i32 {
  const tall = m >= n, k = min(m, n), len = max(m, n);
  const w = work, vt = partOf<T>(work, m, n, VT), norms = partOf<T>(work, m, n, NORMS);
  const tol: f64 = <f64>len * epsilon<T>();
  let largest: f64 = 0;
  for (let i = 0; i < k; i++) {
    const wi = at<T>(w, i, 0, len);
    const x = <f64><T>Math.sqrt(dot<T>(wi, wi, len)); // the norm as T will return it
    st(norms, i, x);
    largest = max(largest, x);
  }
  for (let i = 0; i < k; i++) if (ld(norms, i) <= tol * largest) st(norms, i, 0); // negligible: its U column is completed by ops.svd
  // The order of the values, descending, kept in the rotation stamps' place (done with).
  const order = partOf<T>(work, m, n, ROTATED);
  for (let i = 0; i < k; i++) {
    const best = takeLargest(norms, k);
    store<T>(s + <usize>i * sizeof<T>(), <T>ld(norms, best));
    st(norms, best, -Infinity);
    store<i32>(order + (<usize>i << 2), best);
  }
  if (vectors) {
    gatherColumns<T>(w, len, order, s, true, tall ? u : v, k, tall ? m : n);
    gatherColumns<T>(vt, k, order, s, false, tall ? v : u, k, tall ? n : m);
  }
  return load<i32>(partOf<T>(work, m, n, STATE) + SWEEPS);
}

/**
 * out[t][i] = rows[order_i][t]·(1/s_i, or 0 for s_i = 0, when `normalize`) for t < count and i < k (out's row stride k),
 * in 16×16 tiles as transposeBlock: column by column, each store went to another 4 KiB page at k = 512.
 */
function gatherColumns<T>(rows: usize, ld: i32, order: usize, s: usize, normalize: bool, out: usize, k: i32, count: i32): void {
  for (let i0 = 0; i0 < k; i0 += TILE) {
    const i1 = min(i0 + TILE, k);
    for (let t0 = 0; t0 < count; t0 += TILE) {
      const t1 = min(t0 + TILE, count);
      for (let i = i0; i < i1; i++) {
        const row = at<T>(rows, load<i32>(order + (<usize>i << 2)), 0, ld);
        const value = load<T>(s + <usize>i * sizeof<T>());
        const inv: T = value == 0 ? <T>0 : <T>1 / value;
        for (let t = t0; t < t1; t++) {
          const x = load<T>(row + <usize>t * sizeof<T>());
          store<T>(at<T>(out, t, i, k), normalize ? x * inv : x);
        }
      }
    }
  }
}

// The exports, as src/abi.ts declares them (index.ts re-exports every one).
export function svdStart_f32(a: usize, m: i32, n: i32, work: usize, basis: usize): i32 { return svdStart<f32>(a, m, n, work, basis); }
export function svdStart_f64(a: usize, m: i32, n: i32, work: usize, basis: usize): i32 { return svdStart<f64>(a, m, n, work, basis); }
export function svdSweepBegin_f32(m: i32, n: i32, maxSweeps: i32, work: usize): i32 { return svdSweepBegin<f32>(m, n, maxSweeps, work); }
export function svdSweepBegin_f64(m: i32, n: i32, maxSweeps: i32, work: usize): i32 { return svdSweepBegin<f64>(m, n, maxSweeps, work); }
export function svdGram_f32(m: i32, n: i32, b0: i32, b1: i32, work: usize, packing: usize): void { svdGram<f32>(m, n, b0, b1, work, packing); }
export function svdGram_f64(m: i32, n: i32, b0: i32, b1: i32, work: usize, packing: usize): void { svdGram<f64>(m, n, b0, b1, work, packing); }
export function svdSweep_f32(m: i32, n: i32, vectors: bool, work: usize): void { svdSweep<f32>(m, n, vectors, work); }
export function svdSweep_f64(m: i32, n: i32, vectors: bool, work: usize): void { svdSweep<f64>(m, n, vectors, work); }
export function svdFinish_f32(u: usize, s: usize, v: usize, m: i32, n: i32, vectors: bool, work: usize): i32 { return svdFinish<f32>(u, s, v, m, n, vectors, work); }
export function svdFinish_f64(u: usize, s: usize, v: usize, m: i32, n: i32, vectors: bool, work: usize): i32 { return svdFinish<f64>(u, s, v, m, n, vectors, work); }
