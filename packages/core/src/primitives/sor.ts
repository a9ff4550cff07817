import type { Backend, DeviceTensor } from '../backend.ts';
import { BYTES_PER_ELEMENT, type DType } from '../dtype.ts';
import { ArgumentError, ShapeError } from '../errors.ts';
import { checkSweepOrder, type SparsePattern, type SweepOrder } from '../sparse.ts';
import { checkShape, kernel, owned, rank, sameDType } from './check.ts';
import type { CostModel } from './cost.ts';

/**
 * SOR sweeps on A·x = b, in place on x, for a square A given by values `vals` on a sparse pattern
 * (duplicate entries add):
 *
 *   for each row i in the sweep order:  x_i ← (1 − ω)·x_i + ω·(b_i − Σ_{j≠i} a_ij·x_j) / a_ii,
 *
 * reading the newest x_j (Gauss–Seidel at ω = 1). `symmetric` follows each forward sweep by one in the
 * reverse order (SSOR). The result is defined by the order alone; its classes (rows sharing no entry)
 * let a backend update a class in parallel with the same result. Each backend says which it does:
 * ref visits the rows one by one; WASM too, or splits few large classes between its threads; WebGPU
 * runs one dispatch per class, so it takes multicolor orders (red–black for the 5-point stencil) and
 * refuses orders of many classes (lexicographic).
 */
export interface SorParams<T = DeviceTensor> {
  vals: T;
  b: T;
  x: T;
  pattern: SparsePattern;
  order: SweepOrder;
  n: number;
  omega: number;
  sweeps: number;
  symmetric: boolean;
}

declare module '../backend.ts' {
  interface PrimitiveSignatures<T> {
    /** −1 after sweeping; i ≥ 0 when row i's diagonal is zero or not finite (checked first: x is untouched). */
    sor(p: SorParams<T>): number | Promise<number>;
  }
}

/** Per sweep (two for SSOR): 2 flops per entry and 4 per row; reads the values, indices and b, reads and writes x. */
export function sorCost(nnz: number, n: number, sweeps: number, symmetric: boolean, dtype: DType): CostModel {
  const w = BYTES_PER_ELEMENT[dtype],
    passes = sweeps * (symmetric ? 2 : 1);
  return { flops: passes * (2 * nnz + 4 * n), bytes: passes * (nnz * (w + 8) + 3 * n * w) };
}

/**
 * Pairs (order, pattern) already checked: both are frozen, so a pair checked once stays valid, and a
 * solver calling one sweep at a time does not pay the O(nnz) check per call.
 */
const CHECKED = new WeakMap<SweepOrder, WeakSet<SparsePattern>>();

function checkOrderOnce(pattern: SparsePattern, order: SweepOrder): void {
  if (CHECKED.get(order)?.has(pattern) === true) return;
  checkSweepOrder(pattern, order);
  if (Object.isFrozen(order) && Object.isFrozen(pattern)) {
    const set = CHECKED.get(order) ?? new WeakSet<SparsePattern>();
    set.add(pattern);
    CHECKED.set(order, set);
  }
}

/**
 * x ← `sweeps` SOR (or SSOR) sweeps on A·x = b from the given x, in the given order; returns x. The
 * method's domain: 0 < ω < 2 (Kahan: outside it the iteration diverges for every A) and a finite nonzero
 * diagonal in every row, which each kernel checks before it writes (O(nnz), on the backend).
 */
export async function sor(
  be: Backend,
  pattern: SparsePattern,
  vals: DeviceTensor,
  b: DeviceTensor,
  x: DeviceTensor,
  o: { omega: number; sweeps: number; order: SweepOrder; symmetric?: boolean },
): Promise<DeviceTensor> {
  for (const [name, t] of [
    ['vals', vals],
    ['b', b],
    ['x', x],
  ] as const) {
    owned(be, name, t);
    rank(name, t, 1);
    sameDType(name, t, vals.dtype);
  }
  if (pattern.m !== pattern.n) throw new ShapeError(`SOR needs a square matrix, got ${pattern.m}×${pattern.n}`);
  checkShape('vals', vals, [pattern.nnz]);
  checkShape('b', b, [pattern.n]);
  checkShape('x', x, [pattern.n]);
  if (!(o.omega > 0 && o.omega < 2)) throw new ArgumentError(`SOR's ω must lie in (0, 2), got ${o.omega}`);
  if (!Number.isInteger(o.sweeps) || o.sweeps < 0)
    throw new ArgumentError(`sweeps must be a non-negative integer, got ${o.sweeps}`);
  checkOrderOnce(pattern, o.order);
  const run = kernel(be, 'sor', vals.dtype);
  if (pattern.n === 0 || o.sweeps === 0) return x;
  const bad = await run({
    vals,
    b,
    x,
    pattern,
    order: o.order,
    n: pattern.n,
    omega: o.omega,
    sweeps: o.sweeps,
    symmetric: o.symmetric ?? false,
  });
  if (bad >= 0)
    throw new ArgumentError(`SOR needs a finite nonzero diagonal; row ${bad}'s is not (the method's domain)`);
  return x;
}
