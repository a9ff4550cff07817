import { at } from './memory';
import { vadd, vmul } from './simd';

/** Spills a tile held in `tmp` (row stride NR) to the mr×nr corner of C: the ragged-edge path. */
export function storeEdge<T>(c: usize, ldc: i32, tmp: usize, nrStride: i32, mr: i32, nr: i32, alpha: T, beta: T): void {
  for (let i = 0; i < mr; i++) {
    for (let j = 0; j < nr; j++) {
      const dst = at<T>(c, i, j, ldc);
      const v = alpha * load<T>(tmp + <usize>(i * nrStride + j) * sizeof<T>());
      store<T>(dst, beta == 0 ? v : v + beta * load<T>(dst));
    }
  }
}

/** Two vectors of a tile row: c[0..2·lanes) ← α·(lo, hi) + β·c on the lanes of T (av = α in every lane); β = 0 does not read C. */
// @ts-ignore: decorator
@inline function storeRow2<T>(c: usize, lo: v128, hi: v128, av: v128, beta: T): void {
  if (beta == 0) {
    v128.store(c, vmul<T>(lo, av));
    v128.store(c, vmul<T>(hi, av), 16);
  } else {
    const bv = v128.splat<T>(beta);
    v128.store(c, vadd<T>(vmul<T>(lo, av), vmul<T>(v128.load(c), bv)));
    v128.store(c, vadd<T>(vmul<T>(hi, av), vmul<T>(v128.load(c, 16), bv)), 16);
  }
}

/**
 * Stores a 4-row tile of two vectors a row (c00 c01 … c30 c31): whole rows when it is a full MR×(2·lanes)
 * tile, else through `tmp` to its mr×nr corner (storeEdge).
 */
// @ts-ignore: decorator
@inline export function storeTile<T>(
  c: usize, ldc: i32, c00: v128, c01: v128, c10: v128, c11: v128, c20: v128, c21: v128, c30: v128, c31: v128,
  alpha: T, beta: T, mr: i32, nr: i32, tmp: usize,
): void {
  const nrFull = 32 / sizeof<T>();
  if (mr == 4 && nr == nrFull) {
    const row = <usize>ldc * sizeof<T>(), av = v128.splat<T>(alpha);
    storeRow2<T>(c, c00, c01, av, beta);
    storeRow2<T>(c + row, c10, c11, av, beta);
    storeRow2<T>(c + 2 * row, c20, c21, av, beta);
    storeRow2<T>(c + 3 * row, c30, c31, av, beta);
    return;
  }
  v128.store(tmp, c00); v128.store(tmp, c01, 16);
  v128.store(tmp, c10, 32); v128.store(tmp, c11, 48);
  v128.store(tmp, c20, 64); v128.store(tmp, c21, 80);
  v128.store(tmp, c30, 96); v128.store(tmp, c31, 112);
  storeEdge<T>(c, ldc, tmp, nrFull, mr, nr, alpha, beta);
}
