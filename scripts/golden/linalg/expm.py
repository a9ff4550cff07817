"""The linalg/expm golden: scipy.linalg.expm (Al-Mohy and Higham 2009) and its condition number.

Matrices: zero (exp = I), a multiple of I, a graded diagonal, a nilpotent Jordan block (exp is a finite
polynomial), rotation generators with angles 10 and 100 (normal, |exp| = 1), Gaussian matrices at
‖A‖₁ from 1e-3 to 30 (every Padé degree and the squaring phase), a stable non-normal upper triangle, and
the HiPPO-LegS matrix (S06's, non-normal, eigenvalues −1…−n). f32 entries stay where exp(A) fits in
f32. Each entry stores κ_exp(A) (scipy.linalg.expm_cond, Frobenius, relative): the attainable relative
accuracy is κ_exp·u, which the case's ratio divides by.
"""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..'))

import numpy as np
import scipy.linalg

import lowrank_rng
from golden_store import GoldenCase
from common import gaussian

SCRIPT = 'scripts/golden/linalg/expm.py'


def hippo_legs(n):
    """A_nk = −√(2n+1)√(2k+1) for n > k, −(n+1) on the diagonal, 0 above (Gu et al., HiPPO-LegS)."""
    a = np.zeros((n, n))
    for i in range(n):
        for k in range(n):
            if i > k:
                a[i, k] = -np.sqrt(2 * i + 1) * np.sqrt(2 * k + 1)
            elif i == k:
                a[i, k] = -(i + 1)
    return a


def expm_case(root):
    g = GoldenCase(root, 'linalg', 'expm', 'the matrix exponential (scipy.linalg.expm) and its condition number (expm_cond)', SCRIPT)
    n = 12
    mats = {
        'zero': (np.zeros((5, 5)), ('f32', 'f64')),
        'scalar': (2.5 * np.eye(4), ('f32', 'f64')),
        'graded-diagonal': (np.diag([-20.0, -5.0, -1.0, 0.0, 0.5, 3.0]), ('f32', 'f64')),
        'jordan': (np.eye(6, k=1) * 3.0 + np.eye(6) * -1.0, ('f32', 'f64')),
        'rotation-10': (np.array([[0.0, -10.0], [10.0, 0.0]]), ('f32', 'f64')),
        'rotation-100': (np.array([[0.0, -100.0], [100.0, 0.0]]), ('f32', 'f64')),
        'non-normal': (np.triu(gaussian((n, n), 1301)) - 4.0 * np.eye(n), ('f32', 'f64')),
        'hippo-legs-16': (hippo_legs(16), ('f32', 'f64')),
        'one-by-one': (np.array([[-0.75]]), ('f32', 'f64')),
    }
    for i, norm in enumerate([1e-3, 0.1, 0.9, 2.0, 5.0, 30.0]):
        a = gaussian((n, n), 1310 + i)
        a *= norm / np.abs(a).sum(axis=0).max()
        mats[f'gaussian-norm-{norm:g}'] = (a, ('f32', 'f64') if norm <= 5 else ('f64',))
    for name, (a, dtypes) in mats.items():
        x = scipy.linalg.expm(a)
        cond = scipy.linalg.expm_cond(a) if np.any(a) else 0.0
        g.add(name, {'cond': float(cond)}, {'a': (a, None)}, {'x': x}, dtypes)
    g.write()


if __name__ == '__main__':
    lowrank_rng.check_kat()
    root = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', '..', 'golden')
    expm_case(root)
