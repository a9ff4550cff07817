"""The primitives/dct golden: scipy.fft.dct / idct (types 2 and 1, norm='ortho'; pocketfft) on [batch, n] rows.

The identity rows give the DCT-II matrix itself at n = 8 and 64 (row j of dct(I) is column j of Qᵀ:
Q[j, k] = c_k cos(πk(2j+1)/2n), the matrix S05's projector multiplies by). Hard rows and scaled data as in fft.py.
"""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..'))

import numpy as np
import scipy.fft

import lowrank_rng
from golden_store import GoldenCase, generated
from fft import SHAPES, hard_rows

SCRIPT = 'scripts/golden/primitives/dct.py'


def add(g, name, x, inverse, recipe=None, dtypes=('f32', 'f64'), kind=2):
    f = scipy.fft.idct if inverse else scipy.fft.dct
    out = f(x, type=kind, norm='ortho', axis=-1) if x.size else x.copy()
    g.add(name, {'inverse': inverse, 'type': kind}, {'x': (x, recipe)}, {'out': out}, dtypes)


def dct_case(root):
    g = GoldenCase(root, 'primitives', 'dct', "orthonormal DCT-II and its inverse of each row (scipy.fft.dct/idct, norm='ortho')", SCRIPT)
    for i, (b, n) in enumerate(SHAPES):
        x, rx = generated((b, n), seed=1100 + i, stream=0)
        for inverse in (False, True):
            add(g, f'{b}x{n}{"-inverse" if inverse else ""}', x, inverse, rx)
    for n in (8, 64):
        add(g, f'matrix-{n}', np.eye(n), False)
    for n in (8, 256):
        add(g, f'hard-{n}', hard_rows(n), False)
        add(g, f'hard-{n}-inverse', hard_rows(n), True)
    for j, (scale, dtypes) in enumerate([(1e30, ('f32', 'f64')), (1e-30, ('f32', 'f64')), (1e300, ('f64',)), (1e-300, ('f64',))]):
        x, rx = generated((3, 256), seed=1150 + j, stream=0, scale=scale, round_to='f32' if 'f32' in dtypes else 'f64')
        add(g, f'scaled-{scale:g}', x, False, rx, dtypes)
    # DCT-I (its own inverse) on lengths 2^k + 1, the Chebyshev–Gauss–Lobatto grids of S31.
    for i, (b, n) in enumerate([(1, 2), (3, 3), (17, 5), (5, 9), (4, 65), (2, 1025), (0, 9)]):
        x, rx = generated((b, n), seed=1180 + i, stream=0)
        add(g, f'type1-{b}x{n}', x, False, rx, kind=1)
    for n in (9, 257):
        add(g, f'type1-hard-{n}', hard_rows(n), False, kind=1)
    for j, (scale, dtypes) in enumerate([(1e30, ('f32', 'f64')), (1e-300, ('f64',))]):
        x, rx = generated((3, 129), seed=1195 + j, stream=0, scale=scale, round_to='f32' if 'f32' in dtypes else 'f64')
        add(g, f'type1-scaled-{scale:g}', x, False, rx, dtypes, kind=1)
    g.write()


if __name__ == '__main__':
    lowrank_rng.check_kat()
    root = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', '..', 'golden')
    dct_case(root)
