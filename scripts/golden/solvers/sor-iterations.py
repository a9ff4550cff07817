"""The solvers/sor-iterations golden: S37's cost of a relaxation parameter, the number of SOR iterations
from x = 0 until ‖b − A·x‖/‖b‖ < tol, as the authors' solvers/sor.m computes it.

A = the 5-point Laplacian of an N×N grid plus c·I (scipy.sparse, as MATLAB's delsq(numgrid('S', N + 2)));
M = D/ω + tril(A, −1); each iteration x ← x + M⁻¹(b − A·x) by scipy.sparse.linalg.spsolve_triangular,
then the residual. This is the splitting form, not the row sweeps the library runs: the two are equal in
exact arithmetic and differ by rounding, far below the tolerance's 1e-8. Inputs are f32-representable.
"""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..'))

import numpy as np
import scipy.sparse as sp
import scipy.sparse.linalg as spla

import lowrank_rng
from golden_store import GoldenCase, generated

SCRIPT = 'scripts/golden/solvers/sor-iterations.py'


def laplacian(n, c):
    t = sp.diags([-np.ones(n - 1), 2 * np.ones(n), -np.ones(n - 1)], [-1, 0, 1])
    eye = sp.identity(n)
    return (sp.kron(eye, t) + sp.kron(t, eye) + c * sp.identity(n * n)).tocsr()


def sor_iterations(a, b, omega, tol, cap=10000):
    m = (sp.diags(a.diagonal()) / omega + sp.tril(a, -1)).tocsr()
    x = np.zeros(len(b))
    r = b - a @ x
    norm0 = np.linalg.norm(r)
    for k in range(1, cap + 1):
        x = x + spla.spsolve_triangular(m, r, lower=True)
        r = b - a @ x
        if np.linalg.norm(r) / norm0 < tol:
            return k
    return cap


def sor_iterations_case(root):
    g = GoldenCase(root, 'solvers', 'sor-iterations', "S37's cost of ω: SOR iterations to a relative residual (the authors' sor.m, scipy.sparse)", SCRIPT)
    for i, (n, c) in enumerate([(10, -0.15), (10, 0.0), (10, 0.45), (6, 1.0), (1, 0.0)]):
        b, rb = generated((n * n,), seed=1800 + i, stream=0)
        for omega in (1.0, 1.5, 1.85, 1.95):
            for tol in (1e-8, 1e-4):
                k = sor_iterations(laplacian(n, c), b, omega, tol)
                g.add(f'N{n}-c{c}-w{omega}-tol{tol:.0e}', {'grid': n, 'shift': c, 'omega': omega, 'tol': tol},
                      {'b': (b, rb)}, {'iterations': np.array([float(k)])}, ('f64',))
    g.write()


if __name__ == '__main__':
    lowrank_rng.check_kat()
    root = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', '..', 'golden')
    sor_iterations_case(root)
