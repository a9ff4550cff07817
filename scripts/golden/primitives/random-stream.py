"""The primitives/random golden (not random.py: that name would shadow Python's random module); the family's conventions are in common.py."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..'))

import lowrank_rng
from golden_store import GoldenCase

SCRIPT = 'scripts/golden/primitives/random-stream.py'


def random_case(root):
    g = GoldenCase(root, 'primitives', 'random', 'the counter-based stream, drawn by scripts/golden/lowrank_rng.py (checked against the Random123 known answers)', SCRIPT)
    for dist in ('uniform', 'normal'):
        for (n, seed, stream, offset) in [(1, 0, 0, 0), (17, 1, 2, 0), (1000, 2**40 + 3, 2**32 - 1, 0), (257, 5, 6, 2**33 + 11)]:
            v = lowrank_rng.draw(seed, stream, dist, n, offset)
            g.add(f'{dist}-n{n}-s{seed}-t{stream}-o{offset}', {'dist': dist, 'n': n, 'seed': seed, 'stream': stream, 'offset': offset},
                  {}, {'out': v}, ('f16', 'f32', 'f64'))
    g.write()


if __name__ == '__main__':
    lowrank_rng.check_kat()
    root = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', '..', 'golden')
    random_case(root)
