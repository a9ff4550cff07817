"""The linalg/eigh golden; the family's conventions are in common.py."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..'))

import numpy as np
import scipy.linalg as sla

import lowrank_rng
from golden_store import GoldenCase
from common import gaussian, orthogonal, spectrum

SCRIPT = 'scripts/golden/linalg/eigh.py'


def eigh_case(root):
    g = GoldenCase(root, 'linalg', 'eigh', 'symmetric eigendecomposition by LAPACK dsyevd (scipy.linalg.eigh)', SCRIPT)
    seed = 8000
    mats = []
    for n in (1, 3, 17, 64):
        seed += 1
        x = gaussian((n, n), seed)
        mats.append((f'gaussian-{n}', (x + x.T) / 2, ('f32', 'f64')))
    for n in (17, 64):
        for kind, cond in (('geometric', 1e6), ('clustered', 1e3), ('one-tiny', 1e10)):
            seed += 1
            q = orthogonal(n, seed)
            lam = spectrum(kind, n, cond) * np.where(np.arange(n) % 3 == 1, -1.0, 1.0)  # mixed signs
            mats.append((f'{kind}-{cond:g}-signed-{n}', (q * lam) @ q.T, ('f32', 'f64')))
        seed += 1
        q = orthogonal(n, seed)
        lam = np.concatenate([np.full(n // 2, 2.0), np.full(n - n // 2, -2.0)])  # ±λ pairs: SVD alone cannot split them
        mats.append((f'plus-minus-{n}', (q * lam) @ q.T, ('f32', 'f64')))
    mats.append(('zero-3', np.zeros((3, 3)), ('f32', 'f64')))
    for name, a, dts in mats:
        a = (a + a.T) / 2
        w = sla.eigh(a, eigvals_only=True)
        g.add(name, {'n': a.shape[0]}, {'a': (a, None)}, {'w': w[::-1].copy()}, dts)
    g.write()


if __name__ == '__main__':
    lowrank_rng.check_kat()
    root = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', '..', 'golden')
    eigh_case(root)
