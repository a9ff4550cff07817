"""The solvers/forest-bcd golden: S28 (b)'s exact forest-block updates on a label-propagation lattice, in scipy.

The instance is the authors' dataset D in miniature (an nr×nc lattice, weights 1e5, a few labelled nodes,
A the Dirichlet Laplacian on the unlabelled nodes, b their labelled neighbours' pull), built here from the
definition. Blocks: red–black colours and the two-forest tree partition (the authors' get_rb_indices and
get_tp_indices), restricted to the unknowns. A block update solves A_bb·δ = ∇_b f by scipy.sparse.linalg.spsolve
(SuperLU: a general sparse LU, not message passing). The greedy tree takes nodes by decreasing |∇_i f| (ties to
the lower index) and keeps each that leaves the block's graph acyclic, checked here by a depth-first search
for a cycle (not union-find). Outputs: one solve per forest block with a fixed right-hand side, and the
iterates of a few iterations of each cyclic rule from x = 0, and the greedy tree's first block and iterate
(after a block is minimized its gradient is rounding, so later greedy orders are not reproducible). b and the right-hand sides are rounded
to f32 (one golden serves both dtypes).
"""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..'))

import numpy as np
import scipy.sparse as sp
import scipy.sparse.linalg as spl

import lowrank_rng
from golden_store import GoldenCase

SCRIPT = 'scripts/golden/solvers/forest-bcd.py'


def lattice(nr, nc, labelled, seed):
    n = nr * nc
    draw = lowrank_rng.draw(seed, 1, 'uniform', n)
    lab = np.sort(np.argsort(draw, kind='stable')[:labelled])
    labels = 10 * lowrank_rng.draw(seed, 2, 'normal', n)
    rows, cols = [], []
    for i in range(n):
        r, c = i % nr, i // nr
        if r < nr - 1:
            rows += [i, i + 1]; cols += [i + 1, i]
        if c < nc - 1:
            rows += [i, i + nr]; cols += [i + nr, i]
    w = sp.coo_matrix((np.full(len(rows), 1e5), (rows, cols)), shape=(n, n)).tocsr()
    lap = sp.diags(np.asarray(w.sum(axis=1)).ravel()) - w
    un = np.setdiff1d(np.arange(n), lab)
    a = lap[un][:, un].tocsr()
    b = -(lap[un][:, lab] @ labels[lab])
    return a, b.astype(np.float32).astype(np.float64), un


def rb(nr, nc):
    red = [c * nr + r for c in range(nc) for r in range(nr) if (r + c) % 2 == 0]
    black = [c * nr + r for c in range(nc) for r in range(nr) if (r + c) % 2 == 1]
    return [np.array(red), np.array(black)]


def tp(nr, nc):
    white = {c * nr for c in range(nc)} | {c * nr + r for c in range(0, nc, 2) for r in range(nr - 1)}
    black = {c * nr + nr - 1 for c in range(nc)} | {c * nr + r for c in range(1, nc, 2) for r in range(1, nr)}
    return [np.array(sorted(black)), np.array(sorted(white))]


def local(blocks, un):
    pos = {g: k for k, g in enumerate(un)}
    return [np.array([pos[g] for g in blk if g in pos], dtype=int) for blk in blocks]


def acyclic(a, nodes):
    nodes = set(nodes)
    seen = {}
    for s in nodes:
        if s in seen:
            continue
        stack = [(s, -1)]
        while stack:
            v, p = stack.pop()
            if v in seen:
                return False
            seen[v] = True
            for u in a.indices[a.indptr[v]:a.indptr[v + 1]]:
                if u != v and u in nodes and u != p:
                    stack.append((u, v))
    return True


def greedy(a, g):
    order = np.lexsort((np.arange(len(g)), -np.abs(g)))
    block = []
    for v in order:
        if acyclic(a, block + [int(v)]):
            block.append(int(v))
    return np.array(sorted(block))


def run(a, b, blocks_of, iterations):
    x = np.zeros(len(b))
    chosen = []
    for t in range(iterations):
        g = a @ x - b
        blk = blocks_of(t, g)
        x[blk] -= spl.spsolve(a[blk][:, blk].tocsc(), g[blk])
        chosen.append(blk)
    return x, chosen


def forest_case(root):
    gc = GoldenCase(root, 'solvers', 'forest-bcd',
                    "S28 (b)'s forest-block solves and iterations on a label-propagation lattice (scipy SuperLU)", SCRIPT)
    for name, nr, nc, labelled, seed in [('lattice-8x8', 8, 8, 6, 2800), ('lattice-5x7', 5, 7, 3, 2801)]:
        a, b, un = lattice(nr, nc, labelled, seed)
        coo = a.tocoo()
        tpb, rbb = local(tp(nr, nc), un), local(rb(nr, nc), un)
        rhs = lowrank_rng.draw(seed, 3, 'normal', len(b)).astype(np.float32).astype(np.float64)
        solves = np.concatenate([spl.spsolve(a[blk][:, blk].tocsc(), rhs[blk]) for blk in tpb])
        conds = [np.linalg.cond(a[blk][:, blk].toarray()) for blk in tpb]
        x_tp, _ = run(a, b, lambda t, g: tpb[t % 2], 6)
        x_rb, _ = run(a, b, lambda t, g: rbb[t % 2], 6)
        x_gs, gs_blocks = run(a, b, lambda t, g: greedy(a, g), 1)
        membership = np.zeros((1, len(b)))
        for t, blk in enumerate(gs_blocks):
            membership[t, blk] = 1
        gc.add(name, {'nr': nr, 'nc': nc, 'condBlocks': float(max(conds)), 'cond': float(np.linalg.cond(a.toarray()))},
               {'rows': (coo.row.astype(np.float64), None), 'cols': (coo.col.astype(np.float64), None),
                'vals': (coo.data, None), 'b': (b, None), 'unlabelled': (un.astype(np.float64), None), 'rhs': (rhs, None)},
               {'treeSolves': solves, 'treePartitionX': x_tp, 'redBlackX': x_rb, 'gsTreeX': x_gs, 'gsTreeBlocks': membership})
    gc.write()


if __name__ == '__main__':
    lowrank_rng.check_kat()
    root = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', '..', 'golden')
    forest_case(root)
