"""The primitives/transpose golden; the family's conventions are in common.py."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..'))

import numpy as np

import lowrank_rng
from golden_store import GoldenCase, generated

SCRIPT = 'scripts/golden/primitives/transpose.py'


def transpose_case(root):
    g = GoldenCase(root, 'primitives', 'transpose', 'out-of-place transpose (numpy .T)', SCRIPT)
    for i, (r, c) in enumerate([(1, 1), (1, 17), (17, 1), (3, 257), (129, 63), (0, 4)]):
        x, rx = generated((r, c), seed=800 + i, stream=0)
        g.add(f'{r}x{c}', {}, {'x': (x, rx)}, {'out': np.ascontiguousarray(x.T)})
    for i, (r, c) in enumerate([(17, 3), (129, 63)]):
        x, rx = generated((r, c), seed=850 + i, stream=0, round_to='f16')
        g.add(f'f16-{r}x{c}', {}, {'x': (x, rx)}, {'out': np.ascontiguousarray(x.T)}, ('f16',))
    g.write()


if __name__ == '__main__':
    lowrank_rng.check_kat()
    root = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', '..', 'golden')
    transpose_case(root)
