import { at } from './memory';

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
