"""The linalg/qr golden; the family's conventions are in common.py."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..'))

import numpy as np
import scipy.linalg as sla

import lowrank_rng
from golden_store import GoldenCase
from common import SHAPES, gaussian, orthogonal, spectrum, gaussian_shapes, rank_deficient

SCRIPT = 'scripts/golden/linalg/qr.py'


def qr_case(root):
    g = GoldenCase(root, 'linalg', 'qr', 'thin QR by LAPACK dgeqrf + dorgqr (scipy.linalg.qr, economic)', SCRIPT)
    mats = gaussian_shapes(4000)
    seed = 4000 + len(SHAPES)
    for n in (17, 64):
        seed += 1
        u, v = orthogonal(n, seed), orthogonal(n, seed + 500)
        mats.append((f'geometric-1e10-{n}', (u * spectrum('geometric', n, 1e10)) @ v.T, ('f32', 'f64')))
        d = 10.0 ** np.linspace(0, -8, n)
        mats.append((f'graded-{n}', gaussian((n, n), seed + 700) * d[None, :], ('f32', 'f64')))
        mats.append((f'rank-deficient-{n}', rank_deficient(n, seed), ('f32', 'f64')))
    mats.append(('zero-column-5x4', np.array([[1.0, 0, 2, 3], [4, 0, 5, 6], [7, 0, 8, 9], [1, 0, 1, 1], [2, 0, 0, 1]]), ('f32', 'f64')))
    for name, a, dts in mats:
        q, r = sla.qr(a, mode='economic')
        g.add(name, {'m': a.shape[0], 'n': a.shape[1]}, {'a': (a, None)}, {'q': q, 'r': r}, dts)
    g.write()


if __name__ == '__main__':
    lowrank_rng.check_kat()
    root = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', '..', 'golden')
    qr_case(root)
