"""Goldens for the recovery family.

AltMin half-step (S03): every row j of the unknown factor solves min_x ||F[Omega_j] x - b[Omega_j]||
by LAPACK's least squares (numpy.linalg.lstsq, dgelsd); the golden is the fitted values F[i] . x_j on
the pattern (invariant to the basis of the factor, as the plan asks), with cond(F[Omega_j])^2 per
row to scale the check. F and the observed values come from the shared PRNG; the pattern (integers)
is stored.
"""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..'))

import numpy as np

import lowrank_rng
from golden_store import GoldenCase, generated

SCRIPT = 'scripts/golden/recovery/altmin-step.py'


def altmin_step_case(root):
    g = GoldenCase(root, 'recovery', 'altmin-step', 'per-row least squares on a sampling pattern by LAPACK dgelsd (numpy.linalg.lstsq); fitted values on the pattern and cond(F_j)^2 per row', SCRIPT)
    for j, (a, b, k, p) in enumerate(((1, 5, 1, 1.0), (12, 9, 2, 0.7), (60, 40, 4, 0.5), (200, 150, 8, 0.3), (150, 300, 16, 0.4))):
        f, rf = generated((b, k), seed=9500 + j, stream=0)
        draws = lowrank_rng.draw(9500 + j, 1, 'uniform', a * b)
        where = np.nonzero(draws < p)[0]
        rows, cols = (where // b).astype(float), (where % b).astype(float)
        vals, rv = generated((len(where),), seed=9500 + j, stream=2)
        fitted = np.zeros(len(where))
        kappa2 = np.zeros(a)
        for r in range(a):
            e = np.nonzero(rows == r)[0]
            fj = f[cols[e].astype(int)]
            assert np.linalg.matrix_rank(fj) == k, f'row {r} of entry {j} is rank deficient'
            x = np.linalg.lstsq(fj, vals[e], rcond=None)[0]
            fitted[e] = fj @ x
            kappa2[r] = np.linalg.cond(fj) ** 2
        g.add(f'{a}x{b}-k{k}-nnz{len(where)}', {'m': a, 'n': b, 'k': k, 'nnz': int(len(where))},
              {'f': (f, rf), 'vals': (vals, rv), 'rows': (rows, None), 'cols': (cols, None)},
              {'fitted': fitted, 'kappa2': kappa2})
    g.write()


if __name__ == '__main__':
    lowrank_rng.check_kat()
    root = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', '..', 'golden')
    altmin_step_case(root)
