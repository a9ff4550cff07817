"""The linalg/cholesky golden; the family's conventions are in common.py."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..'))

import scipy.linalg as sla

import lowrank_rng
from golden_store import GoldenCase
from common import orthogonal, spectrum, dtypes_for

SCRIPT = 'scripts/golden/linalg/cholesky.py'


def cholesky_case(root):
    g = GoldenCase(root, 'linalg', 'cholesky', 'A = L L^T by LAPACK dpotrf (scipy.linalg.cholesky, lower)', SCRIPT)
    seed = 1000
    for n in (1, 3, 17, 64, 129):
        for kind, cond in (('geometric', 1e2), ('geometric', 1e4), ('arithmetic', 1e3), ('clustered', 1e3), ('one-tiny', 1e8)):
            seed += 1
            if n == 129 and kind in ('arithmetic', 'clustered', 'geometric') and cond != 1e2:
                continue  # keep the largest size to two spectra: goldens stay small
            q = orthogonal(n, seed)
            a = (q * spectrum(kind, n, cond)) @ q.T
            a = (a + a.T) / 2
            l = sla.cholesky(a, lower=True)
            g.add(f'{kind}-{cond:g}-n{n}', {'n': n, 'kind': kind, 'cond': cond, 'failAt': -1}, {'a': (a, None)}, {'l': l}, dtypes_for(cond))
    # Not positive definite: LAPACK names the failing leading minor (info), which ops.cholesky must report.
    for n, neg in ((5, 2), (17, 9), (64, 63)):
        seed += 1
        q = orthogonal(n, seed)
        lam = spectrum('arithmetic', n, 10.0)
        lam[neg] = -0.5
        a = (q * lam) @ q.T
        a = (a + a.T) / 2
        _, info = sla.lapack.dpotrf(a, lower=1)
        g.add(f'indefinite-n{n}', {'n': n, 'kind': 'indefinite', 'cond': 0, 'failAt': int(info) - 1}, {'a': (a, None)}, {}, ('f64',))
    g.write()


if __name__ == '__main__':
    lowrank_rng.check_kat()
    root = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', '..', 'golden')
    cholesky_case(root)
