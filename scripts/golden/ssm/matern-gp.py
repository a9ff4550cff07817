"""The ssm/matern-gp golden: Matérn GP regression on the line by the dense posterior, and the SDE's discretization.

Posterior (Rasmussen & Williams, Algorithm 2.1): K_oo + diag(1/w) over the observed coordinates (w > 0) factored by
scipy's cho_factor (LAPACK potrf); mean K_{·o}α and variance k(0) − diag(K_{·o}(K_oo + Σ)⁻¹K_{o·}) at every
coordinate; the log marginal likelihood −½(yᵀα + log det + n_o log 2π). The kernel is written from its formula
(σ²·e^{−λr}·(1 | 1 + λr | 1 + λr + λ²r²/3), λ = √(2ν)/ℓ). The discretization by Van Loan's method (IEEE TAC 23(3),
1978): exp([[−F, q_c e_m e_mᵀ], [0, Fᵀ]]·Δ) = [[·, M₁₂], [0, M₂₂]], A = M₂₂ᵀ, Q = A·M₁₂ — no closed form, no
P∞ − A P∞ Aᵀ. The exponential is its Taylor series summed in 60-digit decimal arithmetic (Python's decimal): Van
Loan's blocks grow as e^{λΔ} while Q is of order one, so in floating point (scipy's expm) the product loses
e^{2λΔ}·ε — 5e-12 at λΔ = 5 — and would not be a reference at the library's precision. F, P∞ and q_c are the model's
definition (the SDE whose covariance is the kernel), the f64 entries taken exactly.
"""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..'))

from decimal import Decimal, getcontext

import numpy as np
import scipy.linalg

import lowrank_rng
from golden_store import GoldenCase

SCRIPT = 'scripts/golden/ssm/matern-gp.py'
# Steps in units of 1/λ, from a repeated coordinate to nearly independent points.
LAMBDA_DTS = [0.0, 1e-9, 1e-4, 0.05, 0.7, 3.0, 5.0, 20.0]


def f32(a):
    return np.asarray(a, dtype=np.float32).astype(np.float64)


def kernel(nu, ell, s2, r):
    lam = np.sqrt(2 * nu) / ell
    x = lam * np.abs(r)
    poly = {0.5: 1.0, 1.5: 1 + x, 2.5: 1 + x + x * x / 3}[nu]
    return s2 * poly * np.exp(-x)


def sde(nu, ell, s2):
    m = int(nu + 0.5)
    lam = np.sqrt(2 * nu) / ell
    F = np.diag(np.ones(m - 1), 1)
    F[-1] = -np.array([[1], [1, 1], [1, 2, 1], [1, 3, 3, 1]][m][:m]) * lam ** (m - np.arange(m))
    l2 = lam * lam
    pinf = {1: [[s2]], 2: [[s2, 0], [0, l2 * s2]], 3: [[s2, 0, -l2 * s2 / 3], [0, l2 * s2 / 3, 0], [-l2 * s2 / 3, 0, l2 * l2 * s2]]}[m]
    pinf = np.array(pinf, dtype=float)
    qc = -(F @ pinf + pinf @ F.T)[-1, -1]
    return F, pinf, qc


def decimal_expm(C):
    """exp(C) by its Taylor series in 60-digit decimals, summed until a term is below 1e-58 of the sum's scale."""
    n = len(C)
    one = Decimal(1)
    result = [[one if i == j else Decimal(0) for j in range(n)] for i in range(n)]
    term = [row[:] for row in result]
    for k in range(1, 400):
        term = [[sum(term[i][l] * C[l][j] for l in range(n)) / k for j in range(n)] for i in range(n)]
        result = [[result[i][j] + term[i][j] for j in range(n)] for i in range(n)]
        if max(abs(v) for row in term for v in row) < Decimal('1e-58') * max(one, max(abs(v) for row in result for v in row)):
            return result
    raise RuntimeError('Taylor series did not settle')


def van_loan(F, qc, dt):
    m = F.shape[0]
    getcontext().prec = 60
    D = lambda v: Decimal(float(v))
    C = [[Decimal(0)] * (2 * m) for _ in range(2 * m)]
    for i in range(m):
        for j in range(m):
            C[i][j] = -D(F[i, j]) * D(dt)
            C[m + i][m + j] = D(F[j, i]) * D(dt)
    C[m - 1][2 * m - 1] = D(qc) * D(dt)
    E = decimal_expm(C)
    A = [[E[m + j][m + i] for j in range(m)] for i in range(m)]
    Q = [[sum(A[i][l] * E[l][m + j] for l in range(m)) for j in range(m)] for i in range(m)]
    A = np.array([[float(v) for v in row] for row in A])
    Q = np.array([[float(v) for v in row] for row in Q])
    return A, 0.5 * (Q + Q.T)


def posterior(nu, ell, s2, x, y, w):
    obs = np.nonzero(w > 0)[0]
    n = len(x)
    if len(obs) == 0:
        return np.zeros(n), np.full(n, s2), 0.0, 1.0
    K = kernel(nu, ell, s2, x[obs][:, None] - x[obs][None, :]) + np.diag(1 / w[obs])
    c = scipy.linalg.cho_factor(K, lower=True)
    alpha = scipy.linalg.cho_solve(c, y[obs])
    Kx = kernel(nu, ell, s2, x[obs][:, None] - x[None, :])
    mean = Kx.T @ alpha
    V = scipy.linalg.solve_triangular(c[0], Kx, lower=True)
    var = s2 - np.sum(V * V, axis=0)
    ll = -0.5 * (y[obs] @ alpha + 2 * np.sum(np.log(np.diag(c[0]))) + len(obs) * np.log(2 * np.pi))
    return mean, var, ll, np.linalg.cond(K)


def add(g, name, nu, ell, s2, x, y, w, dtypes=('f32', 'f64')):
    x, y, w = f32(x), f32(y), f32(w)
    batch = y.shape[0]
    outs = [posterior(nu, ell, s2, x, y[b], w[b]) for b in range(batch)]
    F, pinf, qc = sde(nu, ell, s2)
    lam = np.sqrt(2 * nu) / ell
    dts = [u / lam for u in LAMBDA_DTS]
    disc = [van_loan(F, qc, dt) for dt in dts]
    g.add(name, {'nu': nu, 'lengthscale': ell, 'variance': s2, 'condition': float(max(o[3] for o in outs))},
          {'x': (x, None), 'y': (y, None), 'w': (w, None), 'dts': (np.array(dts), None)},
          {'mean': np.array([o[0] for o in outs]), 'variance': np.array([o[1] for o in outs]),
           'logLik': np.array([o[2] for o in outs]), 'transitions': np.array([d[0] for d in disc]),
           'processNoise': np.array([d[1] for d in disc])}, dtypes)


def matern_case(root):
    g = GoldenCase(root, 'ssm', 'matern-gp',
                   'Matérn GP posterior by dense conditioning and the SDE discretization by Van Loan (scipy)', SCRIPT)
    for k, nu in enumerate([0.5, 1.5, 2.5]):
        seed = 2500 + k
        # S24's C0: 200 irregular coordinates (unsorted), 150 observed with noise variance 0.01, 50 test points.
        x = lowrank_rng.draw(seed, 0, 'uniform', 200) * 10
        y = np.sin(x)[None, :] + 0.1 * lowrank_rng.draw(seed, 1, 'normal', 400).reshape(2, 200)
        w = np.full((2, 200), 100.0)
        w[:, 150:] = 0
        add(g, f'nu{nu}-n200', nu, 1.2, 1.3, x, y, w)
    # Clustered coordinates 1e-6 apart with a repeated one, nearly exact observations.
    base = np.repeat(np.arange(8.0), 5)
    x = base + np.tile(np.arange(5) * 1e-6, 8)
    x[7] = x[6]
    y = np.cos(base)[None, :] + 1e-3 * lowrank_rng.draw(2510, 0, 'normal', 40)[None, :]
    add(g, 'clustered-nu1.5', 1.5, 0.8, 2.0, x, y, np.full((1, 40), 1e4))
    # Coordinates so far apart that e^{−λΔ} underflows: independent points.
    x = np.arange(6) * 1e4
    add(g, 'wide-nu2.5', 2.5, 0.1, 0.5, x, lowrank_rng.draw(2511, 0, 'normal', 6)[None, :], np.full((1, 6), 4.0))
    # One coordinate.
    add(g, 'single-nu0.5', 0.5, 1.0, 1.0, np.array([0.3]), np.array([[0.7]]), np.array([[2.0]]))
    g.write()


if __name__ == '__main__':
    lowrank_rng.check_kat()
    root = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', '..', 'golden')
    matern_case(root)
