"""The linalg/low-rank golden; the family's conventions are in common.py."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..'))

import numpy as np
import scipy.linalg as sla

import lowrank_rng
from golden_store import GoldenCase
from common import gaussian

SCRIPT = 'scripts/golden/linalg/low-rank.py'


def low_rank_case(root):
    g = GoldenCase(root, 'linalg', 'low-rank', 'matrices with decaying spectra and their singular values (dgesdd), for truncated and randomized SVD', SCRIPT)
    seed = 7000
    for (m, n, k, decay) in ((200, 150, 10, 'geometric'), (300, 160, 32, 'geometric'), (150, 150, 20, 'polynomial'), (100, 240, 8, 'geometric')):
        seed += 1
        r = min(m, n)
        u = np.linalg.qr(gaussian((m, r), seed))[0]
        v = np.linalg.qr(gaussian((n, r), seed + 1))[0]
        i = np.arange(r)
        s = 0.9 ** i if decay == 'geometric' else 1.0 / (1.0 + i) ** 2
        a = (u * s) @ v.T
        # The leading k left singular vectors, for a principal-angle check scaled by the gap σ_k − σ_{k+1}.
        uk = sla.svd(a, full_matrices=False)[0][:, :k].copy()
        g.add(f'{decay}-{m}x{n}-k{k}', {'m': m, 'n': n, 'k': k}, {'a': (a, None)}, {'s': sla.svd(a, compute_uv=False), 'uk': uk})
    g.write()


if __name__ == '__main__':
    lowrank_rng.check_kat()
    root = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', '..', 'golden')
    low_rank_case(root)
