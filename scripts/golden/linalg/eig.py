"""The linalg/eig golden: eigenvalues of general real matrices by scipy.linalg.eig (LAPACK dgeev), with each
eigenvalue's condition number 1/|yᴴx| from the unit left and right eigenvectors (LAPACK dtrsna's s).

Matrices the non-symmetric eigensolver must take: random (real and complex pairs), a Jordan block (defective:
κ = ∞, its eigenvalues spread as ε^{1/6}), the same nearly defective, a companion matrix with roots 1 … 8, HiPPO-LegS
(S06's state matrix: eigenvalues −1 … −N, eigenvectors of condition ~10^N), graded, a rotation (a pure imaginary
pair), upper triangular, a block-diagonal one whose subdiagonal is already split, symmetric, zero, 1×1, and scaled
copies. Eigenvalues are sorted by real part, then imaginary part. Inputs are f32-representable (the 1e±150 scalings
are f64 only).
"""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..'))

import numpy as np
import scipy.linalg

import lowrank_rng
from golden_store import GoldenCase

SCRIPT = 'scripts/golden/linalg/eig.py'


def f32(a):
    return np.asarray(a, dtype=np.float32).astype(np.float64)


def add(g, name, a, dtypes=('f32', 'f64')):
    a = f32(a) if 'f32' in dtypes else np.asarray(a, dtype=np.float64)
    w, vl, vr = scipy.linalg.eig(a, left=True, right=True)
    s = np.abs(np.einsum('ij,ij->j', vl.conj(), vr)) / (np.linalg.norm(vl, axis=0) * np.linalg.norm(vr, axis=0))
    with np.errstate(divide='ignore'):
        cond = np.where(s > 0, 1 / s, np.inf)
    order = np.lexsort((w.imag, w.real))
    cond = np.minimum(cond[order], 1e300)
    g.add(name, {}, {'a': (a, None)}, {'valuesRe': w.real[order], 'valuesIm': w.imag[order], 'condition': cond}, dtypes)


def hippo(n):
    a = np.zeros((n, n))
    for i in range(n):
        for k in range(i + 1):
            a[i, k] = -np.sqrt(2 * i + 1) * np.sqrt(2 * k + 1) if i > k else -(i + 1)
    return a


def eig_case(root):
    g = GoldenCase(root, 'linalg', 'eig', 'eigenvalues of general matrices and their condition numbers (scipy eig, LAPACK dgeev)', SCRIPT)
    add(g, 'random-7', lowrank_rng.draw(2800, 0, 'normal', 49).reshape(7, 7))
    add(g, 'random-50', lowrank_rng.draw(2801, 0, 'normal', 2500).reshape(50, 50))
    jordan = 2 * np.eye(6) + np.diag(np.ones(5), 1)
    add(g, 'jordan-6', jordan)
    near = jordan.copy()
    near[5, 0] = 2.0 ** -30
    add(g, 'nearly-defective-6', near)
    comp = np.zeros((8, 8))
    comp[0] = -np.poly(np.arange(1, 9))[1:]
    comp[1:, :-1] = np.eye(7)
    add(g, 'companion-roots-1-to-8', comp)
    add(g, 'hippo-legs-16', hippo(16))
    add(g, 'hippo-legs-64', hippo(64), dtypes=('f64',))
    d = 10.0 ** (-1.5 * np.arange(8))
    add(g, 'graded-8', d[:, None] * lowrank_rng.draw(2802, 0, 'normal', 64).reshape(8, 8) * d[None, :])
    add(g, 'rotation-2', np.array([[0.0, -1.0], [1.0, 0.0]]))
    add(g, 'upper-triangular-6', np.triu(lowrank_rng.draw(2803, 0, 'normal', 36).reshape(6, 6)))
    blocks = np.zeros((6, 6))
    blocks[:3, :3] = lowrank_rng.draw(2804, 0, 'normal', 9).reshape(3, 3)
    blocks[3:, 3:] = lowrank_rng.draw(2804, 1, 'normal', 9).reshape(3, 3)
    add(g, 'block-diagonal-6', blocks)
    sym = lowrank_rng.draw(2805, 0, 'normal', 100).reshape(10, 10)
    add(g, 'symmetric-10', sym + sym.T)
    add(g, 'zero-4', np.zeros((4, 4)))
    add(g, 'one-1', np.array([[3.5]]))
    base = lowrank_rng.draw(2806, 0, 'normal', 25).reshape(5, 5)
    for scale, dtypes in [(1e15, ('f32', 'f64')), (1e-15, ('f32', 'f64')), (1e150, ('f64',)), (1e-150, ('f64',))]:
        add(g, f'scaled-{scale:g}', f32(base) * scale, dtypes)
    g.write()


if __name__ == '__main__':
    lowrank_rng.check_kat()
    root = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', '..', 'golden')
    eig_case(root)
