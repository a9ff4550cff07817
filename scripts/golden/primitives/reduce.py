"""The primitives/reduce golden; the family's conventions are in common.py."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..'))

import lowrank_rng
from golden_store import GoldenCase, generated
from common import REDUCE, reduce_lines

SCRIPT = 'scripts/golden/primitives/reduce.py'


def reduce_case(root):
    g = GoldenCase(root, 'primitives', 'reduce', 'row/column reductions: sums by math.fsum (correctly rounded), extrema by numpy', SCRIPT)
    for i, name in enumerate(REDUCE):
        for (r, c) in [(1, 1), (3, 17), (17, 3), (63, 129), (0, 5), (5, 0)]:
            for axis in ('rows', 'cols'):
                length = c if axis == 'rows' else r
                if length == 0 and name in ('max', 'min'):
                    continue  # no value: ops.reduce rejects it
                x, rx = generated((r, c), seed=700 + i, stream=r * 1000 + c)
                g.add(f'{name}-{axis}-{r}x{c}', {'op': name, 'axis': axis}, {'x': (x, rx)}, {'out': reduce_lines(name, x, axis)})
        for (r, c) in [(3, 17), (63, 129)]:
            for axis in ('rows', 'cols'):
                x, rx = generated((r, c), seed=750 + i, stream=r * 1000 + c, round_to='f16')
                g.add(f'f16-{name}-{axis}-{r}x{c}', {'op': name, 'axis': axis}, {'x': (x, rx)}, {'out': reduce_lines(name, x, axis)}, ('f16',))
    g.write()


if __name__ == '__main__':
    lowrank_rng.check_kat()
    root = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', '..', 'golden')
    reduce_case(root)
