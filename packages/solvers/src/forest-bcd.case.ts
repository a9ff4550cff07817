import { computeEps, defineCase, prose, scaledRatio, sparsePattern, type SparseMatrix } from '@lowrank/core';
import { diffNorm, frobenius } from '@lowrank/linalg';
import { labelPropagationLattice, localBlocks } from './forest-bcd.fixtures.ts';
import { ForestBcd, forestSolve, redBlackBlocks, treePartitionBlocks, type ForestRule } from './forest-bcd.ts';

export const forestBcdCase = defineCase({
  id: 'solvers/forest-bcd',
  family: 'solvers',
  paper: 'S28',
  title: "S28 (b)'s forest-block solves by message passing and the iterations of the block rules",
  primitives: ['spmm', 'axpy'],
  dtypes: ['f32', 'f64'],
  verify: {
    golden: 'solvers/forest-bcd',
    reads: {
      params: { nr: 'integer', nc: 'integer', condBlocks: 'number', cond: 'number' },
      inputs: ['rows', 'cols', 'vals', 'b', 'unlabelled', 'rhs'],
      outputs: ['treeSolves', 'treePartitionX', 'redBlackX', 'gsTreeX', 'gsTreeBlocks'],
      conventions: prose`
        A (rows, cols, vals: COO, 0-based) is the lattice Laplacian on the unlabelled nodes (their lattice ids in
        unlabelled, node c·nr + r); treeSolves concatenates A_bb⁻¹rhs_b over the tree partition's two blocks
        (black, then white); treePartitionX and redBlackX are x after 6 cyclic block updates from 0, gsTreeX after
        the first greedy-tree update, gsTreeBlocks the 0/1 membership of its block (1 × n; later greedy orders rank
        rounding-level gradients)
      `,
    },
    thresholds: {
      solve: {
        value: 30,
        why: prose`
          ‖δ̂ − δ‖ / (|b|·ε·κ(A_bb)·‖δ‖): elimination on a tree is Cholesky without fill, backward stable
          (Higham Thm 10.3), so the forward error is κ·ε-small
        `,
      },
      iterates: {
        value: 30,
        why: '‖x̂ − x‖ / (t·(n + κ(A))·ε·‖x‖) after t updates: each reads an SpMV gradient and solves a block stably',
      },
      selection: { value: 0, why: 'the greedy tree picks the golden blocks exactly: 0 mismatched memberships' },
    },
    async check(be, dtype, entry) {
      const { nr, nc, condBlocks, cond } = entry.params as Record<string, number>;
      const { rows, cols, vals, b, unlabelled, rhs } = entry.inputs;
      const n = b.data.length;
      const matrix: SparseMatrix = {
        pattern: sparsePattern(n, n, rows.data, cols.data),
        vals: Float64Array.from(vals.data),
      };
      const un = Int32Array.from(unlabelled.data);
      const eps = computeEps(be, dtype);
      const o = entry.outputs;
      const tp = localBlocks(treePartitionBlocks(nr, nc), un),
        rb = localBlocks(redBlackBlocks(nr, nc), un);
      // The forest solve itself is host f64 whatever the backend: its ratio reads f64's ε.
      let offset = 0,
        solve = 0;
      for (const blk of tp) {
        const x = forestSolve(
          matrix,
          blk,
          Array.from(blk, (i) => rhs.data[i]),
        );
        const golden = o.treeSolves.data.subarray(offset, offset + blk.length);
        solve = Math.max(
          solve,
          scaledRatio(diffNorm(x, golden), blk.length * 2 ** -52 * condBlocks * frobenius(golden)),
        );
        offset += blk.length;
      }
      const bcd = await ForestBcd.create(be, dtype, matrix, Float64Array.from(b.data));
      try {
        let iterates = 0,
          selection = 0;
        const runs: Array<[ForestRule, Int32Array[], number, ArrayLike<number>]> = [
          ['tree-partition', tp, 6, o.treePartitionX.data],
          ['red-black', rb, 6, o.redBlackX.data],
          ['gs-tree', [], 1, o.gsTreeX.data],
        ];
        for (const [rule, cycle, t, golden] of runs) {
          bcd.reset();
          for (let k = 0; k < t; k++) {
            const blk = await bcd.step(rule, cycle);
            if (rule !== 'gs-tree') continue;
            const member = new Set(blk);
            for (let i = 0; i < n; i++) selection += Number(member.has(i) !== (o.gsTreeBlocks.data[k * n + i] === 1));
          }
          iterates = Math.max(iterates, scaledRatio(diffNorm(bcd.x, golden), t * (n + cond) * eps * frobenius(golden)));
        }
        return { solve, iterates, selection };
      } finally {
        bcd.dispose();
      }
    },
  },
  bench: {
    // One tree-partition iteration (SpMV gradient + forest solve of half the unknowns) at the claim's lattice and 4×.
    params: (sizes) => (sizes ?? [50, 100]).map((side) => ({ side })),
    cost: ({ side }, dtype) => ({
      flops: 10 * side * side + 8 * side * side,
      bytes: 5 * side * side * (dtype === 'f64' ? 12 : 8),
    }),
    async setup(be, dtype, { side }) {
      const lp = labelPropagationLattice(side, side, Math.max(1, Math.round(side * side * 0.04)), 28);
      const cycle = localBlocks(treePartitionBlocks(side, side), lp.unlabelled);
      const bcd = await ForestBcd.create(be, dtype, lp.matrix, lp.b);
      return { run: () => bcd.step('tree-partition', cycle), dispose: () => bcd.dispose() };
    },
  },
});
