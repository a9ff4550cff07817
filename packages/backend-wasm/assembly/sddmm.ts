// Sampled dense–dense product on a sparse pattern (the AltMin residual).
import { dot } from './dot';

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

// The exports, as src/abi.ts declares them (index.ts re-exports every one).
export function sddmm_f32(u: usize, v: usize, rows: usize, cols: usize, out: usize, k: i32, e0: i32, e1: i32, alpha: f64): void { sddmm<f32>(u, v, rows, cols, out, k, e0, e1, alpha); }
export function sddmm_f64(u: usize, v: usize, rows: usize, cols: usize, out: usize, k: i32, e0: i32, e1: i32, alpha: f64): void { sddmm<f64>(u, v, rows, cols, out, k, e0, e1, alpha); }
