// Batched GEMM: C_t ← α·op(A_t)·op(B_t) + β·C_t for t < batch, over contiguous [batch, rows, cols]
// arrays, in one call per thread (a pool task per product cost a tenth of a 16×16 batch's time).
//
// Small products skip GotoBLAS packing (gemm.ts). When op(A), op(B) and C together fit in L1, the
// 4×(two-vector) tile reads op(A) element by element as splat loads and op(B) rows straight from
// memory. op(B) is copied only when B is transposed or n is not a whole number of tiles, and then
// into a zero-padded k×n̄ block. Packing both operands cost as much as the product itself at n = 16
// (2·16² copies through shuffles and eight tile set-ups per 2·16³ flops), so it is not done here.
// Larger products of a batch go through gemm() one by one.
//
// Error bound: as gemm.ts, each c_ij is one length-k dot product accumulated in order,
// |ĉ_ij − c_ij| ≤ γ_{k+2}·(|α|·(|op(A)|·|op(B)|)_ij + |β|·|c_ij|).
import { gemm, gemmScratchBytes, scaleMatrix } from './gemm';
import { at } from './shared/memory';
import { lanes, vmadd } from './shared/simd';
import { storeTile } from './shared/tile';

const MR: i32 = 4;
/** Tile width: two vectors (8 f32 or 4 f64), the register budget of the GEMM micro-kernels. */
// @ts-ignore: decorator
@inline function NR<T>(): i32 { return 2 * lanes<T>(); }
/** op(A), op(B) and C of one product within this many bytes take the direct path (L1D is 32 KiB on Zen 4, 48 KiB on Ice Lake). */
const DIRECT_BYTES: i32 = 24 << 10;

// @ts-ignore: decorator
@inline function padded<T>(n: i32): i32 { return (n + NR<T>() - 1) & ~(NR<T>() - 1); }

function direct<T>(m: i32, n: i32, k: i32): bool {
  return (m * k + k * padded<T>(n) + m * n) * sizeof<T>() <= DIRECT_BYTES;
}

/** Scratch for one thread: GEMM packing, or a padded copy of op(B) and a spilled tile. */
export function batchedGemmScratchBytes<T>(n: i32, k: i32): f64 {
  return max(<f64>gemmScratchBytes<T>(), (<f64>k * padded<T>(n) + MR * NR<T>()) * sizeof<T>());
}

/** op(B) (k×n) into a zero-padded k×n̄ row-major block at bp. */
function copyB<T>(transB: bool, b: usize, k: i32, n: i32, bp: usize): void {
  const np = padded<T>(n);
  for (let l = 0; l < k; l++) {
    for (let j = 0; j < np; j++) {
      const v: T = j >= n ? <T>0 : transB ? load<T>(at<T>(b, j, l, k)) : load<T>(at<T>(b, l, j, n));
      store<T>(at<T>(bp, l, j, np), v);
    }
  }
}

/**
 * One mr×nr tile of C (mr ≤ 4, nr ≤ NR) from op(A) rows a0..a3 (element l at a_r + l·aStep) and the
 * op(B) block at b (row stride ldb). Rows past mr repeat the last row; their sums are not stored.
 */
function tile<T>(
  k: i32, a0: usize, a1: usize, a2: usize, a3: usize, aStep: usize, b: usize, ldb: usize,
  c: usize, ldc: i32, alpha: T, beta: T, mr: i32, nr: i32, tmp: usize,
): void {
  let c00 = i64x2.splat(0), c01 = i64x2.splat(0);
  let c10 = i64x2.splat(0), c11 = i64x2.splat(0);
  let c20 = i64x2.splat(0), c21 = i64x2.splat(0);
  let c30 = i64x2.splat(0), c31 = i64x2.splat(0);
  let o: usize = 0;
  for (let l = 0; l < k; l++) {
    const b0 = v128.load(b), b1 = v128.load(b, 16);
    let s = v128.load_splat<T>(a0 + o);
    c00 = vmadd<T>(s, b0, c00); c01 = vmadd<T>(s, b1, c01);
    s = v128.load_splat<T>(a1 + o);
    c10 = vmadd<T>(s, b0, c10); c11 = vmadd<T>(s, b1, c11);
    s = v128.load_splat<T>(a2 + o);
    c20 = vmadd<T>(s, b0, c20); c21 = vmadd<T>(s, b1, c21);
    s = v128.load_splat<T>(a3 + o);
    c30 = vmadd<T>(s, b0, c30); c31 = vmadd<T>(s, b1, c31);
    o += aStep;
    b += ldb;
  }
  storeTile<T>(c, ldc, c00, c01, c10, c11, c20, c21, c30, c31, alpha, beta, mr, nr, tmp);
}

/** One product that fits in L1, without packing op(A). */
function smallGemm<T>(transA: bool, transB: bool, m: i32, n: i32, k: i32, alpha: T, a: usize, b: usize, beta: T, c: usize, scratch: usize): void {
  let bp = b, ldb = n;
  if (transB || n % NR<T>() != 0) {
    copyB<T>(transB, b, k, n, scratch);
    bp = scratch;
    ldb = padded<T>(n);
  }
  const tmp = scratch + <usize>(k * padded<T>(n)) * sizeof<T>();
  // op(A)[i, l] is at a + (i·rowStep + l·aStep) elements: A is m×k, or k×m when transposed.
  const rowStep: usize = transA ? 1 : <usize>k, aStep: usize = transA ? <usize>m : 1;
  const size = <usize>sizeof<T>();
  for (let i = 0; i < m; i += MR) {
    const mr = min(MR, m - i);
    const a0 = a + <usize>i * rowStep * size;
    const a1 = a + <usize>min(i + 1, m - 1) * rowStep * size;
    const a2 = a + <usize>min(i + 2, m - 1) * rowStep * size;
    const a3 = a + <usize>min(i + 3, m - 1) * rowStep * size;
    for (let j = 0; j < n; j += NR<T>()) {
      const nr = min(NR<T>(), n - j);
      tile<T>(k, a0, a1, a2, a3, aStep * size, bp + <usize>j * size, <usize>ldb * size, at<T>(c, i, j, n), n, alpha, beta, mr, nr, tmp);
    }
  }
}

export function batchedGemm<T>(
  transA: bool, transB: bool, batch: i32, m: i32, n: i32, k: i32, alpha: T, a: usize, b: usize, beta: T, c: usize, scratch: usize,
): void {
  const size = <usize>sizeof<T>();
  const fast = k > 0 && alpha != 0 && direct<T>(m, n, k);
  for (let t = 0; t < batch; t++) {
    const at_ = a + <usize>t * m * k * size, bt = b + <usize>t * k * n * size, ct = c + <usize>t * m * n * size;
    if (fast) smallGemm<T>(transA, transB, m, n, k, alpha, at_, bt, beta, ct, scratch);
    else if (m > 0 && n > 0 && (k == 0 || alpha == 0)) scaleMatrix<T>(m, n, beta, ct, n);
    else gemm<T>(transA, transB, m, n, k, alpha, at_, transA ? m : k, bt, transB ? k : n, beta, ct, n, scratch);
  }
}

// The exports, as src/abi.ts declares them (index.ts re-exports every one).
export function batchedGemmScratchBytes_f32(n: i32, k: i32): f64 { return batchedGemmScratchBytes<f32>(n, k); }
export function batchedGemmScratchBytes_f64(n: i32, k: i32): f64 { return batchedGemmScratchBytes<f64>(n, k); }
export function batchedGemm_f32(tA: bool, tB: bool, batch: i32, m: i32, n: i32, k: i32, alpha: f32, a: usize, b: usize, beta: f32, c: usize, scratch: usize): void {
  batchedGemm<f32>(tA, tB, batch, m, n, k, alpha, a, b, beta, c, scratch);
}
export function batchedGemm_f64(tA: bool, tB: bool, batch: i32, m: i32, n: i32, k: i32, alpha: f64, a: usize, b: usize, beta: f64, c: usize, scratch: usize): void {
  batchedGemm<f64>(tA, tB, batch, m, n, k, alpha, a, b, beta, c, scratch);
}
