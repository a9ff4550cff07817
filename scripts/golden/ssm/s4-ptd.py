"""The ssm/s4-ptd golden: HiPPO-LegS, its transfer function and its diagonal forms, by numpy/scipy (LAPACK).

A and B are written from S4's formula (Appendix C.1), A_N = A + P·Pᵀ summed here in floating point (the library
writes A_N in closed form: the two must agree to rounding). For each entry, with C ~ N(0, 1/N) and a Gaussian E
scaled to ‖E‖₂ = ε (both stored, not regenerated):
- the eigenvalues of A_N (scipy.linalg.eigvals, LAPACK dgeev), sorted by imaginary then real part;
- G(iω) = C(iωI − A)⁻¹B by numpy.linalg.solve (LAPACK gesv) on a 64-point grid ω = ±logspace(−2, 4, 32), with
  the scale κ₂(iωI − A)·‖C‖·‖x‖ a backward-stable solve's error is measured against;
- the diagonal forms' transfer functions Σ C̃_jB̃_j/(iω − λ_j) from scipy.linalg.eig of A + E (PTD) and of A_N
  (S4D), with their scales κ₂(V)·Σ|C̃_jB̃_j|/|iω − λ_j| — the value is invariant under the eigenvectors' scaling;
- the bilinear (Tustin) kernels K_k = C·Ā^k·B̄, k < 256, Δ = 0.01, of A by solve and matrix powers, and of the PTD
  diagonal form by powers of its discrete poles.
"""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..'))

import numpy as np
import scipy.linalg

import lowrank_rng
from golden_store import GoldenCase

SCRIPT = 'scripts/golden/ssm/s4-ptd.py'
DT = 0.01
LENGTH = 256


def hippo(n):
    r = np.sqrt(2 * np.arange(n) + 1.0)
    a = -np.tril(np.outer(r, r), -1) - np.diag(np.arange(n) + 1.0)
    p = np.sqrt(np.arange(n) + 0.5)
    return a, r, a + np.outer(p, p)


def omegas():
    w = np.logspace(-2, 4, 32)
    return np.concatenate([-w[::-1], w])


def diagonal(a, b, c):
    lam, v = scipy.linalg.eig(a)
    bt = np.linalg.solve(v, b.astype(complex))
    ct = c @ v
    return lam, bt, ct, np.linalg.cond(v)


def transfer_diagonal(lam, bt, ct, kappa, w):
    g = np.array([np.sum(ct * bt / (1j * x - lam)) for x in w])
    scale = np.array([kappa * np.sum(np.abs(ct * bt) / np.abs(1j * x - lam)) for x in w])
    return np.array([g.real, g.imag]), scale


def transfer_dense(a, b, c, w):
    n = len(b)
    g, scale = [], []
    for x in w:
        m = 1j * x * np.eye(n) - a
        sol = np.linalg.solve(m, b.astype(complex))
        g.append(c @ sol)
        scale.append(np.linalg.cond(m) * np.linalg.norm(c) * np.linalg.norm(sol))
    g = np.array(g)
    return np.array([g.real, g.imag]), np.array(scale)


def kernel_dense(a, b, c):
    n = len(b)
    lhs = np.eye(n) - DT / 2 * a
    abar = np.linalg.solve(lhs, np.eye(n) + DT / 2 * a)
    x = np.linalg.solve(lhs, DT * b)
    k, peak = np.empty(LENGTH), 0.0
    for i in range(LENGTH):
        k[i] = c @ x
        peak = max(peak, np.linalg.norm(x))
        x = abar @ x
    return k, np.linalg.norm(c) * peak


def kernel_diagonal(lam, bt, ct, kappa):
    lbar = (1 + DT * lam / 2) / (1 - DT * lam / 2)
    coef = ct * DT * bt / (1 - DT * lam / 2)
    k = np.array([np.sum(coef * lbar ** i).real for i in range(LENGTH)])
    return k, kappa * np.sum(np.abs(coef))


def s4_ptd_case(root):
    g = GoldenCase(root, 'ssm', 's4-ptd',
                   'HiPPO-LegS transfer function (LAPACK gesv) and its PTD / S4D diagonal forms (LAPACK geev)', SCRIPT)
    w = omegas()
    for k, (n, eps) in enumerate([(8, 0.1), (16, 0.1), (16, 1e-3), (64, 0.1)]):
        seed = 2600 + k
        a, b, normal = hippo(n)
        c = lowrank_rng.draw(seed, 0, 'normal', n) / np.sqrt(n)
        e = lowrank_rng.draw(seed, 1, 'normal', n * n).reshape(n, n)
        e *= eps / np.linalg.norm(e, 2)
        lam_n = scipy.linalg.eigvals(normal)
        lam_n = lam_n[np.lexsort((lam_n.real, lam_n.imag))]
        gd, gd_scale = transfer_dense(a, b, c, w)
        ptd = diagonal(a + e, b, c)
        gp, gp_scale = transfer_diagonal(*ptd, w)
        s4d = diagonal(normal, b, c)
        gs, gs_scale = transfer_diagonal(*s4d, w)
        kd, kd_scale = kernel_dense(a, b, c)
        kp, kp_scale = kernel_diagonal(*ptd)
        g.add(f'legs-{n}-eps{eps:g}',
              {'n': n, 'epsilon': eps, 'dt': DT, 'kappaPtd': float(ptd[3]), 'kernelScale': float(kd_scale),
               'kernelPtdScale': float(kp_scale)},
              {'c': (c, None), 'e': (e, None), 'omegas': (w, None)},
              {'a': a, 'b': b, 'normal': normal, 's4dEigenvalues': np.array([lam_n.real, lam_n.imag]),
               'transfer': gd, 'transferScale': gd_scale, 'transferPtd': gp, 'transferPtdScale': gp_scale,
               'transferS4d': gs, 'transferS4dScale': gs_scale, 'kernel': kd, 'kernelPtd': kp})
    g.write()


if __name__ == '__main__':
    lowrank_rng.check_kat()
    root = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', '..', 'golden')
    s4_ptd_case(root)
