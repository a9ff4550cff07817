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

/**
 * The order in which a Gauss–Seidel/SOR sweep visits the rows of a square pattern: `order` a permutation
 * of the rows, split by `classPtr` into classes (order[classPtr[c] .. classPtr[c + 1]) is class c) whose
 * rows share no entry — a_ij is absent for rows i ≠ j of one class — so a class can be updated in parallel
 * with the result of updating it in sequence. The sweep's result is defined by `order` alone.
 */
export interface SweepOrder {
  readonly order: Int32Array;
  readonly classPtr: Int32Array;
  readonly kind: 'lexicographic' | 'multicolor';
}

/**
 * Lexicographic: rows 0…n−1, one per class (the sequential sweep). Multicolor: a greedy colouring of the
 * symmetrized pattern's graph (rows in index order, each the smallest colour no earlier neighbour has),
 * rows grouped by colour in index order — red–black for the 5-point stencil in natural ordering.
 */
export function sweepOrder(p: SparsePattern, kind: SweepOrder['kind']): SweepOrder {
  if (p.m !== p.n) throw new ShapeError(`a sweep order needs a square pattern, got ${p.m}×${p.n}`);
  const n = p.n;
  if (kind === 'lexicographic') {
    return Object.freeze({
      kind,
      order: Int32Array.from({ length: n }, (_, i) => i),
      classPtr: Int32Array.from({ length: n + 1 }, (_, i) => i),
    });
  }
  if (kind !== 'multicolor')
    throw new ArgumentError(`sweep order must be lexicographic or multicolor, got '${String(kind)}'`);
  const neighbours: number[][] = Array.from({ length: n }, () => []);
  for (let e = 0; e < p.nnz; e++)
    if (p.rows[e] !== p.cols[e]) {
      neighbours[p.rows[e]].push(p.cols[e]);
      neighbours[p.cols[e]].push(p.rows[e]);
    }
  const colour = new Int32Array(n).fill(-1);
  let colours = 0;
  for (let i = 0; i < n; i++) {
    const used = new Set(neighbours[i].map((j) => colour[j]));
    let c = 0;
    while (used.has(c)) c++;
    colour[i] = c;
    colours = Math.max(colours, c + 1);
  }
  const classPtr = new Int32Array(colours + 1);
  for (const c of colour) classPtr[c + 1]++;
  for (let c = 0; c < colours; c++) classPtr[c + 1] += classPtr[c];
  const next = classPtr.slice(0, colours),
    order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[next[colour[i]]++] = i;
  return Object.freeze({ kind, order, classPtr });
}

/** Checks that `s` is a permutation of the pattern's rows split into classes of mutually unconnected rows. */
export function checkSweepOrder(p: SparsePattern, s: SweepOrder): void {
  const n = p.n;
  if (s.order.length !== n) throw new ShapeError(`sweep order has ${s.order.length} rows, the pattern ${n}`);
  const classes = s.classPtr.length - 1;
  if (classes < (n > 0 ? 1 : 0) || s.classPtr[0] !== 0 || s.classPtr[classes] !== n)
    throw new ArgumentError(`sweep order: classPtr must run from 0 to ${n}`);
  const classOf = new Int32Array(n).fill(-1);
  for (let c = 0; c < classes; c++) {
    if (s.classPtr[c + 1] < s.classPtr[c]) throw new ArgumentError(`sweep order: classPtr decreases at class ${c}`);
    for (let t = s.classPtr[c]; t < s.classPtr[c + 1]; t++) {
      const i = s.order[t];
      if (!Number.isInteger(i) || i < 0 || i >= n || classOf[i] !== -1)
        throw new ArgumentError(`sweep order: position ${t} holds row ${i}, not a row left to visit`);
      classOf[i] = c;
    }
  }
  for (let e = 0; e < p.nnz; e++) {
    const i = p.rows[e],
      j = p.cols[e];
    if (i !== j && classOf[i] === classOf[j])
      throw new ArgumentError(`sweep order: rows ${i} and ${j} share an entry but are in one class (${classOf[i]})`);
  }
}

/** The diagonal of a square sparse matrix (values on the pattern, repeated entries summed), on the host. */
export function sparseDiagonal(p: SparsePattern, vals: ArrayLike<number>): Float64Array {
  const diag = new Float64Array(p.n);
  for (let e = 0; e < p.nnz; e++) if (p.rows[e] === p.cols[e]) diag[p.rows[e]] += vals[e];
  return diag;
}

/** The first row whose diagonal is zero or not finite, else −1: SOR's domain, on the host. */
export function badDiagonalRow(p: SparsePattern, vals: ArrayLike<number>): number {
  return sparseDiagonal(p, vals).findIndex((d) => !(Math.abs(d) > 0 && Number.isFinite(d)));
}
