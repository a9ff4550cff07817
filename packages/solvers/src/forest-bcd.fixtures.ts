/**
 * S28 (b)'s instance, the authors' dataset D (tree_datasets.py): an nr×nc lattice with weights w = 1e5 on its
 * edges, `labelled` random nodes carrying labels 10·N(0, 1), and the quadratic labelling criterion
 * ½Σ w_ij(y_i − y_j)² over the unlabelled nodes: f(x) = ½xᵀAx − bᵀx with A the lattice Laplacian restricted
 * to the unlabelled nodes (a Dirichlet Laplacian, SPD) and b the labelled neighbours' pull. Node c·nr + r.
 */
import { fillRandom, sparsePattern, type SparseMatrix } from '@lowrank/core';

export interface LabelPropagation {
  matrix: SparseMatrix;
  b: Float64Array;
  /** Lattice node of each unknown (increasing). */
  unlabelled: Int32Array;
  nr: number;
  nc: number;
}

export function labelPropagationLattice(nr: number, nc: number, labelled: number, seed: number): LabelPropagation {
  const n = nr * nc;
  const draw = fillRandom({ seed, stream: 1 }, 'uniform', 'f64', n);
  // The `labelled` nodes with the smallest draws (a uniform random subset).
  const chosen = new Set(
    Array.from(draw.keys())
      .sort((i, j) => draw[i] - draw[j])
      .slice(0, labelled),
  );
  const labels = fillRandom({ seed, stream: 2 }, 'normal', 'f64', n).map((v) => 10 * v);
  const unlabelled = Int32Array.from(Array.from({ length: n }, (_, i) => i).filter((i) => !chosen.has(i)));
  const local = new Map(Array.from(unlabelled, (g, k) => [g, k] as const));
  const w = 1e5;
  const rows: number[] = [],
    cols: number[] = [],
    vals: number[] = [];
  const b = new Float64Array(unlabelled.length);
  unlabelled.forEach((g, k) => {
    const r = g % nr,
      c = Math.floor(g / nr);
    const nbrs = [r > 0 ? g - 1 : -1, r < nr - 1 ? g + 1 : -1, c > 0 ? g - nr : -1, c < nc - 1 ? g + nr : -1];
    let degree = 0;
    for (const h of nbrs) {
      if (h < 0) continue;
      degree += w;
      const l = local.get(h);
      if (l === undefined) b[k] += w * labels[h];
      else {
        rows.push(k);
        cols.push(l);
        vals.push(-w);
      }
    }
    rows.push(k);
    cols.push(k);
    vals.push(degree);
  });
  const m = unlabelled.length;
  return { matrix: { pattern: sparsePattern(m, m, rows, cols), vals: Float64Array.from(vals) }, b, unlabelled, nr, nc };
}

/** Lattice blocks restricted to the unknowns, in local indices (the authors' remove_labeled_nodes). */
export function localBlocks(blocks: readonly Int32Array[], unlabelled: Int32Array): Int32Array[] {
  const local = new Map(Array.from(unlabelled, (g, k) => [g, k] as const));
  return blocks.map((blk) => Int32Array.from(Array.from(blk, (g) => local.get(g) ?? -1).filter((k) => k >= 0)));
}
