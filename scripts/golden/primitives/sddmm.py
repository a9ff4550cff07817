"""The primitives/sddmm golden; the family's conventions are in common.py."""
import math
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..'))

import numpy as np

import lowrank_rng
from golden_store import GoldenCase, generated

SCRIPT = 'scripts/golden/primitives/sddmm.py'


def sddmm_case(root):
    g = GoldenCase(root, 'primitives', 'sddmm', 'out[e] = alpha * U[rows[e], :] . V[cols[e], :], each correctly rounded by math.fsum (products of f32 values are exact in f64)', SCRIPT)
    shapes = ((1, 1, 1, 1), (5, 7, 3, 40), (64, 48, 16, 500), (200, 150, 33, 3000), (10, 10, 4, 0), (1, 300, 129, 50))
    for i, (m, n, k, nnz) in enumerate(shapes):
        u, ru = generated((m, k), seed=600 + i, stream=0)
        v, rv = generated((n, k), seed=600 + i, stream=1)
        # Indices drawn uniformly (repeats allowed) and stored, not regenerated: they are integers, not draws.
        rows = np.floor(lowrank_rng.draw(600 + i, 2, 'uniform', nnz) * m)
        cols = np.floor(lowrank_rng.draw(600 + i, 3, 'uniform', nnz) * n)
        alpha = -0.5
        out = np.array([alpha * math.fsum(u[int(r)] * v[int(c)]) for r, c in zip(rows, cols)])
        g.add(f'{m}x{n}-k{k}-nnz{nnz}', {'m': m, 'n': n, 'k': k, 'nnz': nnz, 'alpha': alpha},
              {'u': (u, ru), 'v': (v, rv), 'rows': (rows, None), 'cols': (cols, None)}, {'out': out})
    for j, (m, n, k, nnz) in enumerate(((17, 9, 31, 60),)):
        u, ru = generated((m, k), seed=650 + j, stream=0, round_to='f16')
        v, rv = generated((n, k), seed=650 + j, stream=1, round_to='f16')
        rows = np.floor(lowrank_rng.draw(650 + j, 2, 'uniform', nnz) * m)
        cols = np.floor(lowrank_rng.draw(650 + j, 3, 'uniform', nnz) * n)
        out = np.array([math.fsum(u[int(r)] * v[int(c)]) for r, c in zip(rows, cols)])
        g.add(f'f16-{m}x{n}-k{k}-nnz{nnz}', {'m': m, 'n': n, 'k': k, 'nnz': nnz, 'alpha': 1.0},
              {'u': (u, ru), 'v': (v, rv), 'rows': (rows, None), 'cols': (cols, None)}, {'out': out}, ('f16',))
    g.write()


if __name__ == '__main__':
    lowrank_rng.check_kat()
    root = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', '..', 'golden')
    sddmm_case(root)
