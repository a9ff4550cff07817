"""The primitives/dot golden; the family's conventions are in common.py."""
import math
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..'))

import numpy as np

import lowrank_rng
from golden_store import GoldenCase, generated
from common import LENGTHS

SCRIPT = 'scripts/golden/primitives/dot.py'


def dot_case(root):
    dot = GoldenCase(root, 'primitives', 'dot', 'x^T y, correctly rounded by math.fsum (products of f32 values are exact in f64)', SCRIPT)
    for i, n in enumerate(LENGTHS):
        x, rx = generated((n,), seed=400 + i, stream=0)
        y, ry = generated((n,), seed=400 + i, stream=1)
        dot.add(f'n{n}', {'n': n}, {'x': (x, rx), 'y': (y, ry)}, {'value': np.array([math.fsum(x * y)])})
    for j, n in enumerate((17, 1000)):
        x, rx = generated((n,), seed=470 + j, stream=0, round_to='f16')
        y, ry = generated((n,), seed=470 + j, stream=1, round_to='f16')
        dot.add(f'f16-n{n}', {'n': n}, {'x': (x, rx), 'y': (y, ry)}, {'value': np.array([math.fsum(x * y)])}, ('f16',))
    dot.write()

if __name__ == '__main__':
    lowrank_rng.check_kat()
    root = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', '..', 'golden')
    dot_case(root)
