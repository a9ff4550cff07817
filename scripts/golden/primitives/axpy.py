"""The primitives/axpy golden; the family's conventions are in common.py."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..'))

from scipy.linalg import blas

import lowrank_rng
from golden_store import GoldenCase, generated
from common import LENGTHS

SCRIPT = 'scripts/golden/primitives/axpy.py'


def axpy_case(root):
    axpy = GoldenCase(root, 'primitives', 'axpy', 'y = alpha x + y by BLAS daxpy', SCRIPT)
    for i, n in enumerate(LENGTHS):
        x, rx = generated((n,), seed=400 + i, stream=0)
        y, ry = generated((n,), seed=400 + i, stream=1)
        alpha = -1.25
        axpy.add(f'n{n}', {'n': n, 'alpha': alpha}, {'x': (x, rx), 'y': (y, ry)},
                 {'y': blas.daxpy(x, y.copy(), a=alpha) if n > 0 else y})
    for j, n in enumerate((17, 1000)):
        x, rx = generated((n,), seed=470 + j, stream=0, round_to='f16')
        y, ry = generated((n,), seed=470 + j, stream=1, round_to='f16')
        axpy.add(f'f16-n{n}', {'n': n, 'alpha': -1.25}, {'x': (x, rx), 'y': (y, ry)}, {'y': -1.25 * x + y}, ('f16',))
    axpy.write()

if __name__ == '__main__':
    lowrank_rng.check_kat()
    root = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', '..', 'golden')
    axpy_case(root)
