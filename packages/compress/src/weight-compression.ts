/**
 * The weight compressions whose error EoRA (S45) compensates: per-row uniform b-bit quantization and
 * 2:4 magnitude pruning. They are data preparation with exact, bit-defined results (the golden checks
 * them for equality), so they run on the host in f64; the compensation runs on a backend.
 */
import { ArgumentError, ShapeError } from '@lowrank/core';

function checkMatrix(what: string, w: ArrayLike<number>, rows: number, cols: number): void {
  if (w.length !== rows * cols) throw new ShapeError(`${what}: ${w.length} values for a ${rows}×${cols} matrix`);
  for (let i = 0; i < w.length; i++)
    if (!Number.isFinite(w[i])) throw new ArgumentError(`${what}: entry ${i} is ${w[i]}`);
}

/** Round half to even (IEEE's default rounding, numpy's `round`). */
export function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/**
 * Symmetric uniform quantization per row: scale_i = max_j |w_ij| / (2^{b−1} − 1), ŵ_ij = scale_i ·
 * roundHalfEven(w_ij / scale_i) (levels −(2^{b−1} − 1) … 2^{b−1} − 1; an all-zero row stays zero).
 */
export function quantizeRows(w: ArrayLike<number>, rows: number, cols: number, bits: number): Float64Array {
  checkMatrix('quantizeRows', w, rows, cols);
  if (!Number.isInteger(bits) || bits < 2 || bits > 16)
    throw new ArgumentError(`quantizeRows: bits must be an integer in [2, 16], got ${bits}`);
  const levels = 2 ** (bits - 1) - 1,
    out = new Float64Array(rows * cols);
  for (let i = 0; i < rows; i++) {
    let max = 0;
    for (let j = 0; j < cols; j++) max = Math.max(max, Math.abs(w[i * cols + j]));
    if (max === 0) continue;
    const scale = max / levels;
    for (let j = 0; j < cols; j++) out[i * cols + j] = scale * roundHalfEven(w[i * cols + j] / scale);
  }
  return out;
}

/**
 * 2:4 semi-structured magnitude pruning: in each group of four consecutive entries of a row, the two of
 * largest magnitude stay and the other two become zero (on ties the earlier entry stays). cols % 4 = 0.
 */
export function prune24(w: ArrayLike<number>, rows: number, cols: number): Float64Array {
  checkMatrix('prune24', w, rows, cols);
  if (cols % 4 !== 0) throw new ShapeError(`prune24: the number of columns (${cols}) must be a multiple of 4`);
  const out = Float64Array.from(w);
  for (let g = 0; g < rows * cols; g += 4) {
    const order = [0, 1, 2, 3].sort((a, b) => Math.abs(w[g + b]) - Math.abs(w[g + a]) || a - b);
    out[g + order[2]] = 0;
    out[g + order[3]] = 0;
  }
  return out;
}
