"""Goldens for the second-order family, computed densely by LAPACK through numpy.

M-FAC (S41): F = lam*I + G^T G / m formed as a dense d x d matrix; F^{-1} x by LAPACK dgesv
(numpy.linalg.solve) and diag(F^{-1}) from the explicit inverse (dgesv on I). G and x come from the
shared PRNG (stored as recipes); lam = damping * mean ||g_i||^2 is a parameter. kappa = cond_2(F)
scales the checks (a solve's relative error is bounded by a small multiple of kappa * eps).
"""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..'))

import numpy as np

import lowrank_rng
from golden_store import GoldenCase, generated

SCRIPT = 'scripts/golden/second-order/mfac.py'


def mfac_case(root):
    g = GoldenCase(root, 'second-order', 'mfac', 'F^{-1} x and diag(F^{-1}) for F = lam I + G^T G / m, dense, by LAPACK dgesv (numpy.linalg.solve, numpy.linalg.inv)', SCRIPT)
    for j, (m, d, damping) in enumerate(((1, 7, 1e-1), (4, 50, 1e-2), (16, 300, 1e-3), (32, 500, 1e-3), (40, 30, 1e-2))):
        gm, rg = generated((m, d), seed=9400 + j, stream=0)
        x, rx = generated((d,), seed=9400 + j, stream=1)
        lam = damping * float(np.mean(np.sum(gm * gm, axis=1)))
        f = lam * np.eye(d) + gm.T @ gm / m
        y = np.linalg.solve(f, x)
        diag = np.diag(np.linalg.inv(f)).copy()
        kappa = np.linalg.cond(f)
        g.add(f'm{m}-d{d}', {'m': m, 'd': d, 'lambda': lam}, {'g': (gm, rg), 'x': (x, rx)},
              {'y': y, 'diag': diag, 'kappa': np.array([kappa])})
    g.write()


if __name__ == '__main__':
    lowrank_rng.check_kat()
    root = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', '..', 'golden')
    mfac_case(root)
