"""The primitives/unary golden; the family's conventions are in common.py."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..'))

import numpy as np

import lowrank_rng
from golden_store import GoldenCase, generated
from common import UNARY

SCRIPT = 'scripts/golden/primitives/unary.py'


def unary_case(root):
    un = GoldenCase(root, 'primitives', 'unary', 'elementwise maps by numpy ufuncs (float64)', SCRIPT)
    fns = {'neg': np.negative, 'abs': np.abs, 'square': np.square, 'sqrt': np.sqrt, 'exp': np.exp, 'log': np.log,
           'tanh': np.tanh, 'relu': lambda v: np.where(v < 0, 0.0, v), 'reciprocal': np.reciprocal}
    for i, name in enumerate(UNARY):
        for n in (1, 17, 1000):
            if name in ('sqrt', 'log'):
                x, rx = generated((n,), seed=500 + i, stream=n, dist='uniform', scale=10.0, shift=1e-3)
            else:
                x, rx = generated((n,), seed=500 + i, stream=n, scale=3.0)
            un.add(f'{name}-n{n}', {'op': name}, {'x': (x, rx)}, {'out': fns[name](x)})
        if name in ('sqrt', 'log'):
            x, rx = generated((257,), seed=550 + i, stream=0, dist='uniform', scale=10.0, shift=1e-3, round_to='f16')
        else:
            x, rx = generated((257,), seed=550 + i, stream=0, scale=3.0, round_to='f16')
        un.add(f'f16-{name}-n257', {'op': name}, {'x': (x, rx)}, {'out': fns[name](x)}, ('f16',))
    un.write()


if __name__ == '__main__':
    lowrank_rng.check_kat()
    root = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', '..', 'golden')
    unary_case(root)
