"""The linalg/trsm golden; the family's conventions are in common.py."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..'))

import numpy as np
import scipy.linalg as sla

import lowrank_rng
from golden_store import GoldenCase
from common import gaussian

SCRIPT = 'scripts/golden/linalg/trsm.py'


def trsm_case(root):
    g = GoldenCase(root, 'linalg', 'trsm', 'op(T) X = alpha B by LAPACK dtrtrs (scipy.linalg.solve_triangular)', SCRIPT)
    seed = 3000
    for n in (1, 3, 17, 64, 129):
        for m in ((1, 5) if n == 129 else (1, 5, 33)):
            for lower in (True, False):
                for trans in (False, True):
                    seed += 1
                    t = gaussian((n, n), seed) / np.sqrt(n) + 2 * np.eye(n)
                    t = np.tril(t) if lower else np.triu(t)
                    unit = (seed % 5 == 0)
                    if unit:
                        np.fill_diagonal(t, 1.0)
                    b = gaussian((n, m), seed, 1)
                    alpha = 1.0 if seed % 3 else -2.5
                    x = sla.solve_triangular(t, alpha * b, lower=lower, trans=1 if trans else 0, unit_diagonal=unit)
                    g.add(f'{"L" if lower else "U"}{"t" if trans else "n"}{"u" if unit else ""}-{n}x{m}',
                          {'n': n, 'm': m, 'lower': lower, 'trans': trans, 'unitDiag': unit, 'alpha': alpha},
                          {'t': (t, None), 'b': (b, None)}, {'x': x})
    g.write()


if __name__ == '__main__':
    lowrank_rng.check_kat()
    root = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', '..', 'golden')
    trsm_case(root)
