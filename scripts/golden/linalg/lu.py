"""The linalg/lu golden; the family's conventions are in common.py."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..'))

import numpy as np
import scipy.linalg as sla

import lowrank_rng
from golden_store import GoldenCase
from common import SHAPES, gaussian, orthogonal, spectrum, gaussian_shapes, rank_deficient

SCRIPT = 'scripts/golden/linalg/lu.py'


def lu_case(root):
    g = GoldenCase(root, 'linalg', 'lu', 'P A = L U with partial pivoting by LAPACK dgetrf (scipy.linalg.lu_factor)', SCRIPT)
    mats = gaussian_shapes(2000)
    seed = 2000 + len(SHAPES)
    for n in (17, 64):
        seed += 1
        u, v = orthogonal(n, seed), orthogonal(n, seed + 500)
        mats.append((f'geometric-1e6-{n}', (u * spectrum('geometric', n, 1e6)) @ v.T, ('f64',)))
        d = 10.0 ** np.linspace(0, -8, n)
        mats.append((f'graded-{n}', d[:, None] * gaussian((n, n), seed + 700) * d[None, :], ('f64',)))
        i = np.arange(n)
        mats.append((f'hilbert-like-{n}', 1.0 / (i[:, None] + i[None, :] + 1) + np.eye(n) * 1e-6, ('f64',)))
        mats.append((f'rank-deficient-{n}', rank_deficient(n, seed), ('f64',)))
    mats.append(('exactly-singular-4', np.array([[1.0, 2, 3, 4], [2, 4, 6, 8], [1, 0, 1, 0], [0, 1, 0, 1]]), ('f32', 'f64')))
    for name, a, dts in mats:
        lu, piv, info = sla.lapack.dgetrf(a)
        g.add(name, {'m': a.shape[0], 'n': a.shape[1], 'singularAt': int(info) - 1 if info > 0 else -1},
              {'a': (a, None)}, {'lu': lu, 'piv': piv.astype(np.float64)}, dts)
    g.write()


if __name__ == '__main__':
    lowrank_rng.check_kat()
    root = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', '..', 'golden')
    lu_case(root)
