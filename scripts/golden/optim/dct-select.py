"""The optim/dct-select golden: S05's column selection, from scipy.fft.dct (pocketfft) and numpy.

For G (m×n, m ≥ n) the scores of the DCT columns are the ℓ1 norms or squared ℓ2 norms of the columns
of S = dct(G, type=2, norm='ortho') along rows (S = G·Q, Q[j, k] = c_k cos(πk(2j+1)/2n)); the
selection is the r largest, ties to the lower index (a stable argsort). The rotation between two
selections is R = Q[:, I₁]ᵀ·Q[:, I₂]. n = 24 and 40 are not powers of two (the dense path); hard
gradients: zero (every score ties), constant (all energy in column 0), rank one.
"""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..'))

import numpy as np
import scipy.fft

import lowrank_rng
from golden_store import GoldenCase, generated

SCRIPT = 'scripts/golden/optim/dct-select.py'


def scores(g, norm):
    s = scipy.fft.dct(g, type=2, norm='ortho', axis=1)
    return np.abs(s).sum(axis=0) if norm == 'l1' else (s * s).sum(axis=0)


def top(s, r):
    return np.argsort(-s, kind='stable')[:r].astype(np.float64)


def basis(n):
    return scipy.fft.dct(np.eye(n), type=2, norm='ortho', axis=0).T  # Q[j, k]


def dct_select_case(root):
    g_case = GoldenCase(root, 'optim', 'dct-select', "S05's DCT column scores (l1, l2), top-r indices and moment rotation (scipy.fft.dct)", SCRIPT)
    shapes = [(64, 16, 4), (96, 64, 8), (50, 24, 5), (40, 40, 8), (256, 128, 32)]
    for i, (m, n, r) in enumerate(shapes):
        g, rg = generated((m, n), seed=1200 + i, stream=0)
        for norm in ('l1', 'l2'):
            s = scores(g, norm)
            g_case.add(f'{m}x{n}-r{r}-{norm}', {'r': r, 'norm': norm}, {'g': (g, rg)}, {'scores': s, 'indices': top(s, r)})
    n, m, r = 32, 48, 6
    hard = {'zero': np.zeros((m, n)), 'constant': np.full((m, n), 0.5),
            'rank-one': np.outer(np.linspace(-1, 1, m), np.cos(np.arange(n) * 0.3))}
    for name, g in hard.items():
        for norm in ('l1', 'l2'):
            s = scores(g, norm)
            g_case.add(f'{name}-{norm}', {'r': r, 'norm': norm}, {'g': (g, None)}, {'scores': s, 'indices': top(s, r)})
    for i, (m, n, r) in enumerate([(48, 32, 6), (80, 64, 12)]):
        g1, r1 = generated((m, n), seed=1250 + i, stream=0)
        g2, r2 = generated((m, n), seed=1250 + i, stream=1)
        i1, i2 = top(scores(g1, 'l1'), r).astype(int), top(scores(g2, 'l1'), r).astype(int)
        q = basis(n)
        g_case.add(f'rotation-{m}x{n}-r{r}', {'r': r, 'norm': 'l1'}, {'g': (g1, r1), 'next': (g2, r2)},
                   {'indices': i1.astype(np.float64), 'rotation': q[:, i1].T @ q[:, i2]})
    g_case.write()


if __name__ == '__main__':
    lowrank_rng.check_kat()
    root = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', '..', 'golden')
    dct_select_case(root)
