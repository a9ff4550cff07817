"""The primitives/spmm golden; the family's conventions are in common.py."""
import math
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..'))

import numpy as np

import lowrank_rng
from golden_store import GoldenCase, generated

SCRIPT = 'scripts/golden/primitives/spmm.py'


def spmm_case(root):
    g = GoldenCase(root, 'primitives', 'spmm', 'out = alpha S B for S sparse (values on a pattern, repeats summed), each element correctly rounded by math.fsum', SCRIPT)
    shapes = ((1, 1, 1, 1), (5, 7, 3, 40), (64, 48, 16, 500), (200, 150, 33, 3000), (10, 10, 4, 0), (300, 1, 129, 50))
    for i, (m, n, k, nnz) in enumerate(shapes):
        vals, rv = generated((nnz,), seed=700 + i, stream=0)
        b, rb = generated((n, k), seed=700 + i, stream=1)
        rows = np.floor(lowrank_rng.draw(700 + i, 2, 'uniform', nnz) * m)
        cols = np.floor(lowrank_rng.draw(700 + i, 3, 'uniform', nnz) * n)
        alpha = -0.5
        out = np.zeros((m, k))
        for r in range(m):
            mine = [e for e in range(nnz) if rows[e] == r]
            for col in range(k):
                out[r, col] = alpha * math.fsum(vals[e] * b[int(cols[e]), col] for e in mine)
        g.add(f'{m}x{n}-k{k}-nnz{nnz}', {'m': m, 'n': n, 'k': k, 'nnz': nnz, 'alpha': alpha},
              {'vals': (vals, rv), 'b': (b, rb), 'rows': (rows, None), 'cols': (cols, None)}, {'out': out})
    for j, (m, n, k, nnz) in enumerate(((9, 17, 31, 60),)):
        vals, rv = generated((nnz,), seed=750 + j, stream=0, round_to='f16')
        b, rb = generated((n, k), seed=750 + j, stream=1, round_to='f16')
        rows = np.floor(lowrank_rng.draw(750 + j, 2, 'uniform', nnz) * m)
        cols = np.floor(lowrank_rng.draw(750 + j, 3, 'uniform', nnz) * n)
        out = np.array([[math.fsum(vals[e] * b[int(cols[e]), col] for e in range(nnz) if rows[e] == r) for col in range(k)] for r in range(m)])
        g.add(f'f16-{m}x{n}-k{k}-nnz{nnz}', {'m': m, 'n': n, 'k': k, 'nnz': nnz, 'alpha': 1.0},
              {'vals': (vals, rv), 'b': (b, rb), 'rows': (rows, None), 'cols': (cols, None)}, {'out': out}, ('f16',))
    # SpMV (k = 1, its own WASM path) with enough entries that WASM splits the rows between threads, and empty rows.
    m, n, nnz = 800, 800, 66000
    vals, rv = generated((nnz,), seed=760, stream=0)
    b, rb = generated((n, 1), seed=760, stream=1)
    rows = np.floor(lowrank_rng.draw(760, 2, 'uniform', nnz) * (m - 50))  # rows 750…799 stay empty
    cols = np.floor(lowrank_rng.draw(760, 3, 'uniform', nnz) * n)
    terms = [[] for _ in range(m)]
    for e in range(nnz):
        terms[int(rows[e])].append(vals[e] * b[int(cols[e]), 0])
    out = np.array([[1.5 * math.fsum(t)] for t in terms])
    g.add(f'spmv-{m}x{n}-nnz{nnz}', {'m': m, 'n': n, 'k': 1, 'nnz': nnz, 'alpha': 1.5},
          {'vals': (vals, rv), 'b': (b, rb), 'rows': (rows, None), 'cols': (cols, None)}, {'out': out})
    g.write()


if __name__ == '__main__':
    lowrank_rng.check_kat()
    root = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', '..', 'golden')
    spmm_case(root)
