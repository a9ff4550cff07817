import { ArgumentError, ShapeError } from './errors.ts';

/**
 * A set Ω of sampled positions (rows[e], cols[e]) of an m×n matrix, validated once: the same
 * integers on every backend. The host owns it; a kernel copies the indices to its device per call.
 */
export interface SparsePattern {
  readonly m: number;
  readonly n: number;
  readonly nnz: number;
  readonly rows: Int32Array;
  readonly cols: Int32Array;
  /**
   * The entries grouped by row (CSR order, made once by a stable counting sort): the entries of row i
   * are rowOrder[rowPtr[i] .. rowPtr[i + 1]), in their original order. Row-wise kernels (spmm) give
   * each output row to one thread, so they need no atomics and do not depend on the thread count.
   */
  readonly rowPtr: Int32Array;
  readonly rowOrder: Int32Array;
}

/** Checks lengths, integrality and bounds, naming the first offending entry; copies the indices. */
export function sparsePattern(m: number, n: number, rows: ArrayLike<number>, cols: ArrayLike<number>): SparsePattern {
  for (const [name, v] of [
    ['m', m],
    ['n', n],
  ] as const) {
    if (!Number.isInteger(v) || v < 0 || v > 2 ** 31 - 1)
      throw new ArgumentError(`sparse pattern: ${name} must be a non-negative integer, got ${v}`);
  }
  if (rows.length !== cols.length)
    throw new ShapeError(`sparse pattern: ${rows.length} row indices but ${cols.length} column indices`);
  const r = new Int32Array(rows.length),
    c = new Int32Array(cols.length);
  for (let e = 0; e < rows.length; e++) {
    const i = rows[e],
      j = cols[e];
    if (!Number.isInteger(i) || i < 0 || i >= m)
      throw new ArgumentError(`sparse pattern: entry ${e} has row ${i}, outside [0, ${m})`);
    if (!Number.isInteger(j) || j < 0 || j >= n)
      throw new ArgumentError(`sparse pattern: entry ${e} has column ${j}, outside [0, ${n})`);
    r[e] = i;
    c[e] = j;
  }
  const rowPtr = new Int32Array(m + 1);
  for (const i of r) rowPtr[i + 1]++;
  for (let i = 0; i < m; i++) rowPtr[i + 1] += rowPtr[i];
  const next = rowPtr.slice(0, m),
    rowOrder = new Int32Array(r.length);
  for (let e = 0; e < r.length; e++) rowOrder[next[r[e]]++] = e;
  return Object.freeze({ m, n, nnz: r.length, rows: r, cols: c, rowPtr, rowOrder });
}

/** The pattern of the transpose: (cols[e], rows[e]), entry e kept at position e (values need no permuting). */
export function transposePattern(p: SparsePattern): SparsePattern {
  return sparsePattern(p.n, p.m, p.cols, p.rows);
}
