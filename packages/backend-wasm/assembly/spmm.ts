// Sparse times dense, by rows of the pattern (the AltMin gradient).
import { axpy } from './axpy';
import { scal } from './scal';

/**
 * SpMM over output rows [i0, i1): out[i, :] = α·Σ_{e in row i} vals[e]·B[cols[e], :], the entries of
 * row i taken in CSR order (rowPtr, rowOrder from core/sparse.ts), each a SIMD axpy of a row of B.
 * One thread owns each output row, so no atomics and bit-identical results for any thread count.
 */
export function spmm<T>(vals: usize, b: usize, cols: usize, rowPtr: usize, rowOrder: usize, out: usize, k: i32, i0: i32, i1: i32, alpha: T): void {
  if (k == 1) {
    spmv<T>(vals, b, cols, rowPtr, rowOrder, out, i0, i1, alpha);
    return;
  }
  const row = <usize>k * sizeof<T>();
  for (let i = i0; i < i1; i++) {
    const o = out + <usize>i * row;
    memory.fill(o, 0, row);
    const t1 = load<i32>(rowPtr + (<usize>(i + 1) << 2));
    for (let t = load<i32>(rowPtr + (<usize>i << 2)); t < t1; t++) {
      const e = <usize>load<i32>(rowOrder + (<usize>t << 2));
      axpy<T>(load<T>(vals + e * sizeof<T>()), b + <usize>load<i32>(cols + (e << 2)) * row, o, k);
    }
    if (alpha != <T>1) scal<T>(alpha, o, k);
  }
}

/**
 * k = 1 (SpMV, the solvers' product): a scalar sum per row in the same entry order. The row-of-B axpy
 * above costs a call, a fill and a branch per entry, and with five entries per row (the 5-point stencil)
 * that ran SpMV at 4.5 GB/s of the 42 GB/s the streaming roof measures.
 */
// @ts-ignore: decorator
@inline
function spmv<T>(vals: usize, x: usize, cols: usize, rowPtr: usize, rowOrder: usize, out: usize, i0: i32, i1: i32, alpha: T): void {
  let t = load<i32>(rowPtr + (<usize>i0 << 2));
  for (let i = i0; i < i1; i++) {
    const t1 = load<i32>(rowPtr + (<usize>(i + 1) << 2));
    let s: T = 0;
    for (; t < t1; t++) {
      const e = <usize>load<i32>(rowOrder + (<usize>t << 2));
      s += load<T>(vals + e * sizeof<T>()) * load<T>(x + <usize>load<i32>(cols + (e << 2)) * sizeof<T>());
    }
    store<T>(out + <usize>i * sizeof<T>(), alpha * s);
  }
}

// The exports, as src/abi.ts declares them (index.ts re-exports every one).
export function spmm_f32(vals: usize, b: usize, cols: usize, rowPtr: usize, rowOrder: usize, out: usize, k: i32, i0: i32, i1: i32, alpha: f32): void { spmm<f32>(vals, b, cols, rowPtr, rowOrder, out, k, i0, i1, alpha); }
export function spmm_f64(vals: usize, b: usize, cols: usize, rowPtr: usize, rowOrder: usize, out: usize, k: i32, i0: i32, i1: i32, alpha: f64): void { spmm<f64>(vals, b, cols, rowPtr, rowOrder, out, k, i0, i1, alpha); }
