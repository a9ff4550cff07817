/**
 * Block coordinate descent with huge forest-structured blocks (S28 (b); Nutini, Laradji & Schmidt, §5,
 * "message passing"): on a quadratic f(x) = ½xᵀAx − bᵀx with a sparse SPD A, a block b whose graph (the
 * nonzeros of A_bb off the diagonal) is a forest is minimized exactly, x_b ← x_b − A_bb⁻¹∇_b f, by Gaussian
 * elimination leaves first and back-substitution roots first — O(|b|) however large the block (Gaussian
 * belief propagation on a tree is the same computation). The blocks, as in the authors' code
 * (IssamLaradji/BlockCoordinateDescent, tree_algorithms.py and VB_selection_rules.py):
 *
 *   red–black: the two colours of the lattice (independent sets: A_bb diagonal, the block update is
 *              single-coordinate updates side by side);
 *   tree partition: the lattice split into two forests of combs (get_tp_indices), cycled;
 *   greedy tree: nodes taken in order of |∇_i f| (GS) or at random, each kept if the block stays a
 *              forest (get_tree_slow; here with union–find), re-chosen every iteration;
 *   greedy exact: the ⌊n^{1/3}⌋ largest |∇_i f|, solved by Cholesky (GSExactTree: a small general block).
 *
 * The gradient Ax − b is an SpMV on the backend; the forest solve runs on the host, sequential by nature.
 */
import {
  ArgumentError,
  NumericalError,
  StreamReader,
  choleskyFactor,
  choleskySolve,
  hostTensor,
  ops,
  type Backend,
  type DeviceTensor,
  type DType,
  type SparseMatrix,
} from '@lowrank/core';

/** The off-diagonal entries of row i of a square sparse matrix, repeats summed, and its diagonal. */
function rowOf(a: SparseMatrix, i: number): { diag: number; off: Map<number, number> } {
  const { pattern, vals } = a;
  const off = new Map<number, number>();
  let diag = 0;
  for (let t = pattern.rowPtr[i]; t < pattern.rowPtr[i + 1]; t++) {
    const e = pattern.rowOrder[t],
      j = pattern.cols[e];
    if (j === i) diag += vals[e];
    else off.set(j, (off.get(j) ?? 0) + vals[e]);
  }
  return { diag, off };
}

/**
 * Solves A_bb·δ = r for a block whose graph is a forest (A symmetric): eliminate each node into its parent
 * in reverse breadth-first order, then back-substitute from the roots. ArgumentError when the block has a
 * cycle; NumericalError when a pivot is not positive (A_bb not positive definite).
 */
export function forestSolve(a: SparseMatrix, block: ArrayLike<number>, r: ArrayLike<number>): Float64Array {
  const n = block.length;
  if (r.length !== n) throw new ArgumentError(`forest solve: ${n} block nodes but ${r.length} right-hand sides`);
  const local = new Map<number, number>();
  Array.from(block).forEach((g, k) => local.set(g, k));
  const rows = Array.from(block, (g) => rowOf(a, g));
  const parent = new Int32Array(n).fill(-1),
    weight = new Float64Array(n),
    order: number[] = [],
    seen = new Uint8Array(n);
  for (let root = 0; root < n; root++) {
    if (seen[root]) continue;
    seen[root] = 1;
    order.push(root);
    for (let q = order.length - 1; q < order.length; q++) {
      const v = order[q];
      for (const [g, w] of rows[v].off) {
        const u = local.get(g);
        if (u === undefined || u === parent[v]) continue;
        if (seen[u]) throw new ArgumentError(`forest solve: the block's graph has a cycle through node ${block[u]}`);
        seen[u] = 1;
        parent[u] = v;
        weight[u] = w;
        order.push(u);
      }
    }
  }
  const d = Float64Array.from(rows, (row) => row.diag),
    y = Float64Array.from(r);
  for (let q = n - 1; q >= 0; q--) {
    const v = order[q];
    if (!(d[v] > 0))
      throw new NumericalError(`forest solve: pivot ${d[v]} at node ${block[v]}: A_bb is not positive definite`);
    const p = parent[v];
    if (p >= 0) {
      d[p] -= (weight[v] * weight[v]) / d[v];
      y[p] -= (weight[v] * y[v]) / d[v];
    }
  }
  const x = new Float64Array(n);
  for (const v of order) x[v] = (y[v] - (parent[v] >= 0 ? weight[v] * x[parent[v]] : 0)) / d[v];
  return x;
}

/** The nodes, in `order`, that keep the block a forest when added one by one (union–find on components). */
export function greedyForest(a: SparseMatrix, order: ArrayLike<number>): Int32Array {
  const n = a.pattern.m;
  const root = new Int32Array(n).fill(-1);
  const find = (u: number): number => {
    while (root[u] !== u) {
      root[u] = root[root[u]];
      u = root[u];
    }
    return u;
  };
  const block: number[] = [];
  for (let k = 0; k < order.length; k++) {
    const v = order[k];
    const comps: number[] = [];
    for (const u of rowOf(a, v).off.keys()) if (root[u] >= 0) comps.push(find(u));
    if (new Set(comps).size !== comps.length) continue;
    root[v] = v;
    for (const c of comps) root[c] = v;
    block.push(v);
  }
  return Int32Array.from(block).sort();
}

export const FOREST_RULES = ['red-black', 'tree-partition', 'gs-tree', 'random-tree', 'gs-exact'] as const;
export type ForestRule = (typeof FOREST_RULES)[number];

/** BCD on ½xᵀAx − bᵀx with A and b on the backend; x on the host. */
export class ForestBcd {
  x: Float64Array;
  #t = 0;

  private constructor(
    readonly be: Backend,
    readonly dtype: DType,
    readonly matrix: SparseMatrix,
    readonly b: Float64Array,
    private readonly vals: DeviceTensor,
    private readonly bt: DeviceTensor,
  ) {
    this.x = new Float64Array(b.length);
  }

  static async create(be: Backend, dtype: DType, matrix: SparseMatrix, b: Float64Array): Promise<ForestBcd> {
    const n = matrix.pattern.m;
    if (matrix.pattern.n !== n || b.length !== n)
      throw new ArgumentError(
        `A must be square with b of its size, got ${matrix.pattern.m}×${matrix.pattern.n} and ${b.length}`,
      );
    const vals = await be.upload(hostTensor(dtype, [matrix.pattern.nnz], matrix.vals));
    const bt = await be.upload(hostTensor(dtype, [n], b));
    return new ForestBcd(be, dtype, matrix, Float64Array.from(b), vals, bt);
  }

  /** ∇f(x) = Ax − b: SpMV on the backend. */
  async gradient(x: ArrayLike<number> = this.x): Promise<Float64Array> {
    const { be } = this;
    const n = this.b.length;
    const release = be.track();
    try {
      const xt = await be.upload(hostTensor(this.dtype, [n, 1], Float64Array.from(x)));
      const ax = await ops.spmm(be, this.matrix.pattern, this.vals, xt);
      const g = await ops.axpy(be, -1, this.bt, await ops.reshape(be, ax, [n]));
      return Float64Array.from((await be.download(g)).data);
    } finally {
      release();
    }
  }

  /** The block a rule updates at this iteration (`cycle` the fixed partition for the cyclic rules). */
  select(rule: ForestRule, g: Float64Array, cycle: readonly Int32Array[], seed: number): Int32Array {
    const n = g.length;
    if (rule === 'red-black' || rule === 'tree-partition') return cycle[this.#t % cycle.length];
    if (rule === 'gs-exact') {
      const k = Math.max(1, Math.floor(Math.cbrt(n)));
      return Int32Array.from(byMagnitude(g).slice(0, k)).sort();
    }
    if (rule === 'gs-tree') return greedyForest(this.matrix, byMagnitude(g));
    const draw = new StreamReader({ seed, stream: 0 }, this.#t * n);
    const perm = Array.from({ length: n }, (_, i) => i);
    for (let i = n - 1; i > 0; i--) {
      const j = Math.min(i, Math.floor(draw.uniform() * (i + 1)));
      [perm[i], perm[j]] = [perm[j], perm[i]];
    }
    return greedyForest(this.matrix, perm);
  }

  /** One iteration: the gradient, the rule's block, its exact minimization. Returns the block. */
  async step(rule: ForestRule, cycle: readonly Int32Array[] = [], seed = 0): Promise<Int32Array> {
    return this.update(await this.gradient(), rule, cycle, seed);
  }

  /** The iteration's update from g = ∇f(x) already computed (the caller reads it for its stopping test). */
  update(g: Float64Array, rule: ForestRule, cycle: readonly Int32Array[] = [], seed = 0): Int32Array {
    const block = this.select(rule, g, cycle, seed);
    const gb = Array.from(block, (i) => g[i]);
    const delta = rule === 'gs-exact' ? denseSolve(this.matrix, block, gb) : forestSolve(this.matrix, block, gb);
    block.forEach((i, k) => (this.x[i] -= delta[k]));
    this.#t++;
    return block;
  }

  reset(): void {
    this.x = new Float64Array(this.b.length);
    this.#t = 0;
  }

  dispose(): void {
    this.be.dispose(this.vals);
    this.be.dispose(this.bt);
  }
}

/** Indices by decreasing |g_i| (ties to the lower index). */
function byMagnitude(g: Float64Array): number[] {
  return Array.from(g.keys()).sort((i, j) => Math.abs(g[j]) - Math.abs(g[i]) || i - j);
}

/** A_bb⁻¹r for a small general block, by Cholesky on the host. */
function denseSolve(a: SparseMatrix, block: Int32Array, r: ArrayLike<number>): Float64Array {
  const k = block.length;
  const local = new Map(Array.from(block, (g, i) => [g, i] as const));
  const h = new Float64Array(k * k);
  block.forEach((g, i) => {
    const row = rowOf(a, g);
    h[i * k + i] = row.diag;
    for (const [j, w] of row.off) {
      const l = local.get(j);
      if (l !== undefined) h[i * k + l] = w;
    }
  });
  return choleskySolve(choleskyFactor(h, k, 'A_bb'), k, r);
}

/** The two colours of an nr×nc lattice, node c·nr + r (the authors' get_rb_indices). */
export function redBlackBlocks(nr: number, nc: number): Int32Array[] {
  const red: number[] = [],
    black: number[] = [];
  for (let c = 0; c < nc; c++) for (let r = 0; r < nr; r++) ((r + c) % 2 === 0 ? red : black).push(c * nr + r);
  return [Int32Array.from(red), Int32Array.from(black)];
}

/**
 * The lattice split into two forests of combs (the authors' get_tp_indices): "white" = row 0 and the even
 * columns without their last row, "black" = the last row and the odd columns without their row 0.
 */
export function treePartitionBlocks(nr: number, nc: number): Int32Array[] {
  const white = new Set<number>(),
    black = new Set<number>();
  for (let c = 0; c < nc; c++) {
    white.add(c * nr);
    black.add(c * nr + nr - 1);
  }
  for (let c = 0; c < nc; c++)
    for (let r = 0; r < nr; r++) {
      if (c % 2 === 0 && r < nr - 1) white.add(c * nr + r);
      if (c % 2 === 1 && r > 0) black.add(c * nr + r);
    }
  return [Int32Array.from(black).sort(), Int32Array.from(white).sort()];
}
