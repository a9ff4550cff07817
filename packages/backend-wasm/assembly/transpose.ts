// Out-of-place transpose in 16×16 tiles, so both the reads and the writes of a tile stay in a few
// cache lines. Exact (a copy).
export const TILE: i32 = 16;

export function transpose<T>(x: usize, out: usize, rows: i32, cols: i32): void {
  transposeBlock<T>(x, cols, out, rows, rows, cols);
}

/** A rows×cols block of x (row stride ldx) transposed into out (row stride ldOut): out[j][i] = x[i][j]. */
export function transposeBlock<T>(x: usize, ldx: i32, out: usize, ldOut: i32, rows: i32, cols: i32): void {
  const w = sizeof<T>();
  for (let i0 = 0; i0 < rows; i0 += TILE) {
    const i1 = min(i0 + TILE, rows);
    for (let j0 = 0; j0 < cols; j0 += TILE) {
      const j1 = min(j0 + TILE, cols);
      for (let i = i0; i < i1; i++) {
        for (let j = j0; j < j1; j++) {
          store<T>(out + (<usize>j * ldOut + i) * w, load<T>(x + (<usize>i * ldx + j) * w));
        }
      }
    }
  }
}

// The exports, as src/abi.ts declares them (index.ts re-exports every one).
export function transpose_f32(x: usize, out: usize, rows: i32, cols: i32): void { transpose<f32>(x, out, rows, cols); }
export function transpose_f64(x: usize, out: usize, rows: i32, cols: i32): void { transpose<f64>(x, out, rows, cols); }
export function transposeBlock_f32(x: usize, ldx: i32, out: usize, ldOut: i32, rows: i32, cols: i32): void { transposeBlock<f32>(x, ldx, out, ldOut, rows, cols); }
export function transposeBlock_f64(x: usize, ldx: i32, out: usize, ldOut: i32, rows: i32, cols: i32): void { transposeBlock<f64>(x, ldx, out, ldOut, rows, cols); }
