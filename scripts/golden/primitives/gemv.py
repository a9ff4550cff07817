"""The primitives/gemv golden; the family's conventions are in common.py."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..'))

from scipy.linalg import blas

import lowrank_rng
from golden_store import GoldenCase, generated
from common import SHAPES, SCALARS, op

SCRIPT = 'scripts/golden/primitives/gemv.py'


def gemv_case(root):
    g = GoldenCase(root, 'primitives', 'gemv', 'y = alpha op(A) x + beta y by BLAS dgemv', SCRIPT)
    i = 0
    for (m, n, _) in SHAPES:
        for trans in (False, True):
            alpha, beta = SCALARS[i % len(SCALARS)]
            a, ra = generated((m, n), seed=300 + i, stream=0)
            x, rx = generated((m if trans else n,), seed=300 + i, stream=1)
            y0, ry = generated((n if trans else m,), seed=300 + i, stream=2)
            y = blas.dgemv(alpha, a, x, beta, y0, trans=1 if trans else 0) if min(m, n) > 0 else alpha * (op(a, trans) @ x) + beta * y0
            inputs = {'a': (a, ra), 'x': (x, rx)}
            if beta != 0:
                inputs['y'] = (y0, ry)
            g.add(f'{"t" if trans else "n"}-{m}x{n}', {'m': m, 'n': n, 'trans': trans, 'alpha': alpha, 'beta': beta}, inputs, {'y': y})
            i += 1
    for (m, n, trans) in ((17, 63, False), (63, 17, True), (1, 129, False)):
        a, ra = generated((m, n), seed=300 + i, stream=0, round_to='f16')
        x, rx = generated((m if trans else n,), seed=300 + i, stream=1, round_to='f16')
        g.add(f'f16-{"t" if trans else "n"}-{m}x{n}', {'m': m, 'n': n, 'trans': trans, 'alpha': 1.0, 'beta': 0.0},
              {'a': (a, ra), 'x': (x, rx)}, {'y': op(a, trans) @ x}, ('f16',))
        i += 1
    g.write()


if __name__ == '__main__':
    lowrank_rng.check_kat()
    root = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', '..', 'golden')
    gemv_case(root)
