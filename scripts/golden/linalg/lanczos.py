"""The linalg/lanczos golden; the family's conventions are in common.py."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..'))

import numpy as np
import scipy.linalg as sla

import lowrank_rng
from golden_store import GoldenCase, generated

SCRIPT = 'scripts/golden/linalg/lanczos.py'


def lanczos_case(root):
    g = GoldenCase(root, 'linalg', 'lanczos', 'top eigenvalues of the operator x -> H (H^T x) / n, H = G with column j divided by 1 + j, by LAPACK dsyevd on H^T H / n', SCRIPT)
    for j, (n, r, k) in enumerate(((500, 40, 5), (2000, 60, 8))):
        # G comes from the shared PRNG (stored as its recipe), scaled by a decaying column profile so
        # the spectrum has a gap; the operator is never formed on the TypeScript side.
        gmat, rg = generated((n, r), seed=9100 + j, stream=0, round_to='f32')
        h = gmat / (1.0 + np.arange(r))  # column j divided by 1 + j (the check divides the same way)
        w = sla.eigh(h.T @ h / n, eigvals_only=True)[::-1][:k].copy()  # same nonzero spectrum as H H^T / n
        g.add(f'gram-{n}x{r}-k{k}', {'n': n, 'r': r, 'k': k}, {'g': (gmat, rg)}, {'w': w})
    g.write()


if __name__ == '__main__':
    lowrank_rng.check_kat()
    root = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', '..', 'golden')
    lanczos_case(root)
