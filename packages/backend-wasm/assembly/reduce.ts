// Row and column reductions of a rows×cols row-major matrix. Op codes follow REDUCE_OPS in
// @lowrank/core: sum, sumsq, max, min, absmax. 'rows' (axis 0) gives one value per row, reduced with
// one vector accumulator and a horizontal step; 'cols' (axis 1) gives one per column, accumulated row
// by row in `out` with vector ops. Sums: error ≤ γ_len·Σ|terms|; max/min/absmax are exact; NaN propagates.

// @ts-ignore: decorator
@inline function init<T>(op: i32): T {
  if (op == 2) return <T>-Infinity;
  if (op == 3) return <T>Infinity;
  return <T>0;
}

// @ts-ignore: decorator
@inline function stepV<T>(op: i32, acc: v128, v: v128): v128 {
  switch (op) {
    case 0: return v128.add<T>(acc, v);
    case 1: return v128.add<T>(acc, v128.mul<T>(v, v));
    case 2: return v128.max<T>(acc, v);
    case 3: return v128.min<T>(acc, v);
    default: return v128.max<T>(acc, v128.abs<T>(v));
  }
}

// @ts-ignore: decorator
@inline function stepS<T>(op: i32, acc: T, v: T): T {
  switch (op) {
    case 0: return acc + v;
    case 1: return acc + v * v;
    case 2: return max<T>(acc, v);
    case 3: return min<T>(acc, v);
    default: return max<T>(acc, abs<T>(v));
  }
}

/** Combines the lanes of a vector accumulator with the op itself (sumsq lanes already hold squares). */
// @ts-ignore: decorator
@inline function combine<T>(op: i32, v: v128): T {
  const comb = op == 1 ? 0 : op;
  const L = 16 / sizeof<T>();
  let r: T = sizeof<T>() == 4 ? <T>f32x4.extract_lane(v, 0) : <T>f64x2.extract_lane(v, 0);
  for (let l = 1; l < L; l++) {
    let x: T = 0;
    if (sizeof<T>() == 4) {
      const s = l == 1 ? v128.shuffle<f32>(v, v, 1, 1, 1, 1) : l == 2 ? v128.shuffle<f32>(v, v, 2, 2, 2, 2) : v128.shuffle<f32>(v, v, 3, 3, 3, 3);
      x = <T>f32x4.extract_lane(s, 0);
    } else {
      x = <T>f64x2.extract_lane(v, 1);
    }
    r = stepS<T>(comb == 4 ? 2 : comb, r, x);
  }
  return r;
}

export function reduce<T>(op: i32, axis: i32, x: usize, out: usize, rows: i32, cols: i32): void {
  const w = sizeof<T>();
  const L = 16 / <i32>w;
  if (axis == 0) {
    for (let i = 0; i < rows; i++) {
      const row = x + <usize>i * cols * w;
      let acc = v128.splat<T>(init<T>(op));
      let j = 0;
      for (; j + L <= cols; j += L) acc = stepV<T>(op, acc, v128.load(row + <usize>j * w));
      let r = combine<T>(op, acc);
      for (; j < cols; j++) r = stepS<T>(op, r, load<T>(row + <usize>j * w));
      store<T>(out + <usize>i * w, r);
    }
    return;
  }
  for (let j = 0; j < cols; j++) store<T>(out + <usize>j * w, init<T>(op));
  for (let i = 0; i < rows; i++) {
    const row = x + <usize>i * cols * w;
    let j = 0;
    for (; j + L <= cols; j += L) {
      const o = <usize>j * w;
      v128.store(out + o, stepV<T>(op, v128.load(out + o), v128.load(row + o)));
    }
    for (; j < cols; j++) {
      const o = <usize>j * w;
      store<T>(out + o, stepS<T>(op, load<T>(out + o), load<T>(row + o)));
    }
  }
}

// The exports, as src/abi.ts declares them (index.ts re-exports every one).
export function reduce_f32(op: i32, axis: i32, x: usize, out: usize, rows: i32, cols: i32): void { reduce<f32>(op, axis, x, out, rows, cols); }
export function reduce_f64(op: i32, axis: i32, x: usize, out: usize, rows: i32, cols: i32): void { reduce<f64>(op, axis, x, out, rows, cols); }
