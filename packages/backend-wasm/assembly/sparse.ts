import { axpy, dot, scal } from './level1';

/**
 * SDDMM over the sampled entries [e0, e1): out[e] = α·U[rows[e], :]·V[cols[e], :], each a SIMD dot
 * product of two contiguous rows of length k (U and V row-major). The indices were validated on the
 * host (core/sparse.ts). Error bound as dot: |ô − o| ≤ γ_{k+1}·|α|·Σ_l |u_l||v_l|.
 */
export function sddmm<T>(u: usize, v: usize, rows: usize, cols: usize, out: usize, k: i32, e0: i32, e1: i32, alpha: f64): void {
  const row = <usize>k * sizeof<T>();
  for (let e = e0; e < e1; e++) {
    const i = <usize>load<i32>(rows + (<usize>e << 2)), j = <usize>load<i32>(cols + (<usize>e << 2));
    store<T>(out + <usize>e * sizeof<T>(), <T>(alpha * dot<T>(u + i * row, v + j * row, k)));
  }
}

/**
 * SpMM over output rows [i0, i1): out[i, :] = α·Σ_{e in row i} vals[e]·B[cols[e], :], the entries of
 * row i taken in CSR order (rowPtr, rowOrder from core/sparse.ts), each a SIMD axpy of a row of B.
 * One thread owns each output row, so no atomics and bit-identical results for any thread count.
 */
export function spmm<T>(vals: usize, b: usize, cols: usize, rowPtr: usize, rowOrder: usize, out: usize, k: i32, i0: i32, i1: i32, alpha: T): void {
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
