"""The primitives/binary golden; the family's conventions are in common.py."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..'))

import numpy as np

import lowrank_rng
from golden_store import GoldenCase, generated
from common import BINARY

SCRIPT = 'scripts/golden/primitives/binary.py'


def binary_case(root):
    bi = GoldenCase(root, 'primitives', 'binary', 'elementwise binary maps by numpy ufuncs (float64)', SCRIPT)
    bfns = {'add': np.add, 'sub': np.subtract, 'mul': np.multiply, 'div': np.divide, 'max': np.maximum, 'min': np.minimum}
    for i, name in enumerate(BINARY):
        for n in (1, 17, 1000):
            x, rx = generated((n,), seed=600 + i, stream=0)
            y, ry = generated((n,), seed=600 + i, stream=1)
            bi.add(f'{name}-n{n}', {'op': name}, {'x': (x, rx), 'y': (y, ry)}, {'out': bfns[name](x, y)})
        x, rx = generated((257,), seed=650 + i, stream=0, round_to='f16')
        y, ry = generated((257,), seed=650 + i, stream=1, round_to='f16')
        bi.add(f'f16-{name}-n257', {'op': name}, {'x': (x, rx), 'y': (y, ry)}, {'out': bfns[name](x, y)}, ('f16',))
    bi.write()


if __name__ == '__main__':
    lowrank_rng.check_kat()
    root = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', '..', 'golden')
    binary_case(root)
