"""The linalg/svd golden; the family's conventions are in common.py."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..'))

import numpy as np
import scipy.linalg as sla

import lowrank_rng
from golden_store import GoldenCase
from common import gaussian, orthogonal, spectrum, rank_deficient

SCRIPT = 'scripts/golden/linalg/svd.py'


def svd_case(root):
    g = GoldenCase(root, 'linalg', 'svd', 'thin SVD by LAPACK dgesdd (scipy.linalg.svd, full_matrices=False)', SCRIPT)
    seed = 6000
    mats = []
    for (m, n) in ((1, 1), (3, 3), (17, 17), (64, 64), (129, 33), (33, 129), (1, 9), (9, 1), (200, 20)):
        seed += 1
        mats.append((f'gaussian-{m}x{n}', gaussian((m, n), seed), ('f32', 'f64')))
    for n in (17, 64):
        for kind, cond in (('geometric', 1e2), ('geometric', 1e12), ('arithmetic', 1e3), ('clustered', 1e4), ('one-tiny', 1e10)):
            seed += 1
            u, v = orthogonal(n, seed), orthogonal(n, seed + 500)
            mats.append((f'{kind}-{cond:g}-{n}', (u * spectrum(kind, n, cond)) @ v.T, ('f32', 'f64')))
        seed += 1
        d = 10.0 ** np.linspace(0, -8, n)
        mats.append((f'graded-{n}', d[:, None] * gaussian((n, n), seed), ('f32', 'f64')))
        mats.append((f'rank-deficient-{n}', rank_deficient(n, seed), ('f32', 'f64')))
    mats.append(('zero-4x3', np.zeros((4, 3)), ('f32', 'f64')))
    for name, a, dts in mats:
        u, s, vt = sla.svd(a, full_matrices=False, lapack_driver='gesdd')
        g.add(name, {'m': a.shape[0], 'n': a.shape[1]}, {'a': (a, None)}, {'s': s}, dts)
    g.write()


if __name__ == '__main__':
    lowrank_rng.check_kat()
    root = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', '..', 'golden')
    svd_case(root)
