// GEMM, C ← α·op(A)·op(B) + β·C, in the GotoBLAS/BLIS layout, generic over f32 and f64: op(B) is
// packed into KC×NR column panels, op(A) into MR×KC row panels, and a register-blocked micro-kernel
// (shared/micro_f32.ts: 4×8, shared/micro_f64.ts: 4×4) runs over them. Packing absorbs both transposes and the
// ragged edges (zero padding), so the micro-kernels only ever see full tiles.
//
// Error bound (both dtypes): each c_ij is one length-k dot product accumulated in order, so
// |ĉ_ij − c_ij| ≤ γ_{k+2}·(|α|·(|op(A)|·|op(B)|)_ij + |β|·|c_ij|), γ_n = n·u/(1 − n·u).
import { at } from './shared/memory';
import { micro4x8_f32 } from './shared/micro_f32';
import { micro4x4_f64 } from './shared/micro_f64';

const MR: i32 = 4;
// @ts-ignore: decorator
@inline function NR<T>(): i32 { return sizeof<T>() == 4 ? 8 : 4; }
/** Blocks: KC·NR·size and MR·KC·size fit L1 beside each other; MC·KC and KC·NC fit L2 (Zen 4: 1 MiB). */
const KC: i32 = 256;
// @ts-ignore: decorator
@inline function MC<T>(): i32 { return sizeof<T>() == 4 ? 128 : 64; }
// @ts-ignore: decorator
@inline function NC<T>(): i32 { return sizeof<T>() == 4 ? 512 : 256; }

/** Packs rows [i0, i0+mc) × cols [p0, p0+kc) of op(A) into MR-row panels. */
function packA<T>(transA: bool, a: usize, lda: i32, i0: i32, p0: i32, mc: i32, kc: i32, ap: usize): void {
  const vectors = (MR * sizeof<T>()) >> 4; // 16-byte vectors per k step of a panel
  for (let ir = 0; ir < mc; ir += MR) {
    const rows = min(MR, mc - ir);
    if (transA && rows == MR) {
      // op(A)[i, l] = A[l, i]: the MR values of one k step are contiguous in memory.
      for (let l = 0; l < kc; l++) {
        const src = at<T>(a, p0 + l, i0 + ir, lda);
        for (let v = 0; v < vectors; v++) v128.store(ap + (v << 4), v128.load(src + (v << 4)));
        ap += vectors << 4;
      }
      continue;
    }
    let l = 0;
    if (!transA && rows == MR) {
      // op(A) = A: the MR values of one k step are strided by lda; load a small block of each of the
      // MR rows and transpose it in registers (packing otherwise costs ~10% of an n = 1024 GEMM).
      const r = at<T>(a, i0 + ir, p0, lda), ld = <usize>lda * sizeof<T>();
      for (; l + 4 <= kc; l += 4) {
        const o = <usize>l * sizeof<T>();
        transposeBlock<T>(r + o, ld, ap);
        ap += 4 * MR * sizeof<T>();
      }
    }
    for (; l < kc; l++) {
      for (let ii = 0; ii < MR; ii++) {
        let v: T = <T>0;
        if (ii < rows) {
          const i = i0 + ir + ii, p = p0 + l;
          v = transA ? load<T>(at<T>(a, p, i, lda)) : load<T>(at<T>(a, i, p, lda));
        }
        store<T>(ap, v);
        ap += sizeof<T>();
      }
    }
  }
}

/**
 * Writes 4 k steps of an MR-row panel: from rows src, src+ld, src+2ld, src+3ld (4 elements each) to
 * dst as [row0[k], row1[k], row2[k], row3[k]] for k = 0..3, i.e. a 4×4 transpose by shuffles.
 */
// @ts-ignore: decorator
@inline function transposeBlock<T>(src: usize, ld: usize, dst: usize): void {
  if (sizeof<T>() == 4) {
    const r0 = v128.load(src), r1 = v128.load(src + ld), r2 = v128.load(src + 2 * ld), r3 = v128.load(src + 3 * ld);
    const a = v128.shuffle<f32>(r0, r1, 0, 4, 1, 5), b = v128.shuffle<f32>(r2, r3, 0, 4, 1, 5);
    const c = v128.shuffle<f32>(r0, r1, 2, 6, 3, 7), d = v128.shuffle<f32>(r2, r3, 2, 6, 3, 7);
    v128.store(dst, v128.shuffle<f32>(a, b, 0, 1, 4, 5));
    v128.store(dst, v128.shuffle<f32>(a, b, 2, 3, 6, 7), 16);
    v128.store(dst, v128.shuffle<f32>(c, d, 0, 1, 4, 5), 32);
    v128.store(dst, v128.shuffle<f32>(c, d, 2, 3, 6, 7), 48);
  } else {
    for (let h: usize = 0; h < 32; h += 16) { // two halves of 2 k steps each
      const r0 = v128.load(src + h), r1 = v128.load(src + ld + h), r2 = v128.load(src + 2 * ld + h), r3 = v128.load(src + 3 * ld + h);
      const d = dst + h * 4;
      v128.store(d, v128.shuffle<f64>(r0, r1, 0, 2));
      v128.store(d, v128.shuffle<f64>(r2, r3, 0, 2), 16);
      v128.store(d, v128.shuffle<f64>(r0, r1, 1, 3), 32);
      v128.store(d, v128.shuffle<f64>(r2, r3, 1, 3), 48);
    }
  }
}

/** Packs rows [p0, p0+kc) × cols [j0, j0+nc) of op(B) into NR-column panels. */
function packB<T>(transB: bool, b: usize, ldb: i32, p0: i32, j0: i32, kc: i32, nc: i32, bp: usize): void {
  const nr = NR<T>();
  for (let jr = 0; jr < nc; jr += nr) {
    const cols = min(nr, nc - jr);
    if (!transB && cols == nr) {
      for (let l = 0; l < kc; l++) {
        const src = at<T>(b, p0 + l, j0 + jr, ldb);
        v128.store(bp, v128.load(src));
        v128.store(bp, v128.load(src, 16), 16);
        bp += 32;
      }
      continue;
    }
    for (let l = 0; l < kc; l++) {
      for (let jj = 0; jj < nr; jj++) {
        let v: T = <T>0;
        if (jj < cols) {
          const j = j0 + jr + jj, p = p0 + l;
          v = transB ? load<T>(at<T>(b, j, p, ldb)) : load<T>(at<T>(b, p, j, ldb));
        }
        store<T>(bp, v);
        bp += sizeof<T>();
      }
    }
  }
}

/** C ← β·C; β = 0 writes zeros without reading C (BLAS: k = 0 or α = 0 never touches A or B). */
export function scaleMatrix<T>(m: i32, n: i32, beta: T, c: usize, ldc: i32): void {
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      const p = at<T>(c, i, j, ldc);
      store<T>(p, beta == 0 ? <T>0 : beta * load<T>(p));
    }
  }
}

/** Scratch bytes one call needs: packed A, packed B and one spilled tile. */
export function gemmScratchBytes<T>(): i32 {
  return (MC<T>() * KC + KC * NC<T>() + MR * NR<T>()) * sizeof<T>();
}

export function gemm<T>(
  transA: bool, transB: bool, m: i32, n: i32, k: i32, alpha: T,
  a: usize, lda: i32, b: usize, ldb: i32, beta: T, c: usize, ldc: i32, scratch: usize,
): void {
  if (m == 0 || n == 0) return;
  if (k == 0 || alpha == 0) {
    scaleMatrix<T>(m, n, beta, c, ldc);
    return;
  }
  const mcMax = MC<T>(), ncMax = NC<T>(), nrMax = NR<T>();
  const ap = scratch;
  const bp = ap + <usize>(mcMax * KC) * sizeof<T>();
  const tmp = bp + <usize>(KC * ncMax) * sizeof<T>();
  for (let jc = 0; jc < n; jc += ncMax) {
    const nc = min(ncMax, n - jc);
    for (let pc = 0; pc < k; pc += KC) {
      const kc = min(KC, k - pc);
      packB<T>(transB, b, ldb, pc, jc, kc, nc, bp);
      const betaBlock: T = pc == 0 ? beta : <T>1;
      for (let ic = 0; ic < m; ic += mcMax) {
        const mc = min(mcMax, m - ic);
        packA<T>(transA, a, lda, ic, pc, mc, kc, ap);
        for (let jr = 0; jr < nc; jr += nrMax) {
          const nr = min(nrMax, nc - jr);
          const bPanel = bp + <usize>(jr * kc) * sizeof<T>();
          for (let ir = 0; ir < mc; ir += MR) {
            const aPanel = ap + <usize>(ir * kc) * sizeof<T>();
            const cTile = at<T>(c, ic + ir, jc + jr, ldc);
            const mr = min(MR, mc - ir);
            if (sizeof<T>() == 4) {
              micro4x8_f32(kc, aPanel, bPanel, cTile, ldc, <f32>alpha, <f32>betaBlock, mr, nr, tmp);
            } else {
              micro4x4_f64(kc, aPanel, bPanel, cTile, ldc, <f64>alpha, <f64>betaBlock, mr, nr, tmp);
            }
          }
        }
      }
    }
  }
}

// The exports, as src/abi.ts declares them (index.ts re-exports every one).
export function gemmScratchBytes_f32(): i32 { return gemmScratchBytes<f32>(); }
export function gemmScratchBytes_f64(): i32 { return gemmScratchBytes<f64>(); }
export function gemm_f32(tA: bool, tB: bool, m: i32, n: i32, k: i32, alpha: f32, a: usize, lda: i32, b: usize, ldb: i32, beta: f32, c: usize, ldc: i32, scratch: usize): void {
  gemm<f32>(tA, tB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, scratch);
}
export function gemm_f64(tA: bool, tB: bool, m: i32, n: i32, k: i32, alpha: f64, a: usize, lda: i32, b: usize, ldb: i32, beta: f64, c: usize, ldc: i32, scratch: usize): void {
  gemm<f64>(tA, tB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, scratch);
}
