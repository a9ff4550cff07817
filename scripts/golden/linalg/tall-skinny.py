"""The linalg/tall-skinny golden; the family's conventions are in common.py."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..'))

import numpy as np
import scipy.linalg as sla

import lowrank_rng
from golden_store import GoldenCase
from common import gaussian, orthogonal, spectrum, dtypes_for

SCRIPT = 'scripts/golden/linalg/tall-skinny.py'


def tall_skinny_case(root):
    g = GoldenCase(root, 'linalg', 'tall-skinny', 'least squares min ||A x - b|| by LAPACK dgelsd (scipy.linalg.lstsq) on tall A', SCRIPT)
    seed = 5000
    for (m, n, cond) in ((64, 8, 10.0), (257, 17, 1e2), (1000, 32, 1e3), (129, 129, 1e2), (513, 40, 1e6)):
        seed += 1
        u = np.linalg.qr(gaussian((m, n), seed))[0]
        v = orthogonal(n, seed + 1)
        a = (u * spectrum('geometric', n, cond)) @ v.T
        x_true = gaussian((n,), seed, 2)
        b = a @ x_true + 1e-3 * gaussian((m,), seed, 3)
        x = sla.lstsq(a, b, lapack_driver='gelsd')[0]
        g.add(f'cond{cond:g}-{m}x{n}', {'m': m, 'n': n, 'cond': cond}, {'a': (a, None), 'b': (b, None)}, {'x': x},
              dtypes_for(cond) if cond < 1e6 else ('f64',))
    g.write()


if __name__ == '__main__':
    lowrank_rng.check_kat()
    root = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', '..', 'golden')
    tall_skinny_case(root)
