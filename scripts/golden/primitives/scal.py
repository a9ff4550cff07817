"""The primitives/scal golden; the family's conventions are in common.py."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..'))

from scipy.linalg import blas

import lowrank_rng
from golden_store import GoldenCase, generated
from common import LENGTHS

SCRIPT = 'scripts/golden/primitives/scal.py'


def scal_case(root):
    scal = GoldenCase(root, 'primitives', 'scal', 'x = alpha x by BLAS dscal', SCRIPT)
    for i, n in enumerate(LENGTHS):
        x, rx = generated((n,), seed=400 + i, stream=0)
        alpha = -1.25
        scal.add(f'n{n}', {'n': n, 'alpha': alpha}, {'x': (x, rx)}, {'x': blas.dscal(alpha, x.copy()) if n > 0 else x})
    for j, n in enumerate((17, 1000)):
        x, rx = generated((n,), seed=470 + j, stream=0, round_to='f16')
        scal.add(f'f16-n{n}', {'n': n, 'alpha': -1.25}, {'x': (x, rx)}, {'x': -1.25 * x}, ('f16',))
    scal.write()

if __name__ == '__main__':
    lowrank_rng.check_kat()
    root = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', '..', 'golden')
    scal_case(root)
