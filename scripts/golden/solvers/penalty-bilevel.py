"""The solvers/penalty-bilevel golden: S12's hyper-objective F and penalty ψ_σ with their gradients, exact.

Quadratic bilevel problems f = ½‖y − a‖² + (ρ/2)‖x‖², g = ½yᵀQy − yᵀBx. Everything is computed by the
definitions in exact rational arithmetic (Python's fractions, Gaussian elimination), independent of the
library's rearranged closed forms: y* = Q⁻¹Bx, F = f(x, y*), ∇F = ρx + BᵀQ⁻¹(y* − a);
y_σ = (σI + Q)⁻¹(σa + Bx), ψ_σ = f(x, y_σ) + (g(x, y_σ) − g(x, y*))/σ, ∇ψ_σ = ρx + Bᵀ(y* − y_σ)/σ —
the subtraction g − g* is exact here, so no cancellation reaches the golden. Then rounded to f64.
Inputs are f32-representable (one golden serves both dtypes); Q = U·diag(geometric spectrum)·Uᵀ.
"""
import os
import sys
from fractions import Fraction

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..'))

import numpy as np

import lowrank_rng
from golden_store import GoldenCase

SCRIPT = 'scripts/golden/solvers/penalty-bilevel.py'


def f32(a):
    return np.asarray(a, dtype=np.float64).astype(np.float32).astype(np.float64)


def problem(d, p, cond, seed):
    g = lowrank_rng.draw(seed, 0, 'normal', d * d).reshape(d, d)
    u, r = np.linalg.qr(g)
    u = u * np.sign(np.diag(r))
    spectrum = cond ** (-np.arange(d) / max(d - 1, 1))
    q = u @ np.diag(spectrum) @ u.T
    q = f32((q + q.T) / 2)
    b = f32(lowrank_rng.draw(seed, 1, 'normal', d * p).reshape(d, p) / np.sqrt(p))
    a = f32(lowrank_rng.draw(seed, 2, 'normal', d))
    return a, q, b


def solve(m, v):
    """Exact solution of m·x = v (Fractions; m nonsingular) by Gaussian elimination with pivoting on nonzeros."""
    n = len(v)
    rows = [[Fraction(m[i][j]) for j in range(n)] + [Fraction(v[i])] for i in range(n)]
    for c in range(n):
        piv = next(r for r in range(c, n) if rows[r][c] != 0)
        rows[c], rows[piv] = rows[piv], rows[c]
        for r in range(n):
            if r != c and rows[r][c] != 0:
                k = rows[r][c] / rows[c][c]
                rows[r] = [x - k * y for x, y in zip(rows[r], rows[c])]
    return [rows[i][n] / rows[i][i] for i in range(n)]


def exact(a, q, b, x, rho, sigma):
    d, p = b.shape
    A = [Fraction(v) for v in a]
    Q = [[Fraction(v) for v in row] for row in q]
    B = [[Fraction(v) for v in row] for row in b]
    X = [Fraction(v) for v in x]
    s, R = Fraction(sigma), Fraction(rho)
    bx = [sum(B[i][j] * X[j] for j in range(p)) for i in range(d)]
    ystar = solve(Q, bx)
    f = lambda y: sum((yi - ai) ** 2 for yi, ai in zip(y, A)) / 2 + R * sum(v * v for v in X) / 2
    g = lambda y: sum(y[i] * Q[i][j] * y[j] for i in range(d) for j in range(d)) / 2 - sum(y[i] * bx[i] for i in range(d))
    bt = lambda v: [sum(B[i][j] * v[i] for i in range(d)) for j in range(p)]
    hyper = f(ystar)
    qinv = solve(Q, [yi - ai for yi, ai in zip(ystar, A)])
    hyper_grad = [R * X[j] + t for j, t in enumerate(bt(qinv))]
    shifted = [[Q[i][j] + (s if i == j else 0) for j in range(d)] for i in range(d)]
    ysig = solve(shifted, [s * A[i] + bx[i] for i in range(d)])
    pen = f(ysig) + (g(ysig) - g(ystar)) / s
    pen_grad = [R * X[j] + t / s for j, t in enumerate(bt([ystar[i] - ysig[i] for i in range(d)]))]
    return float(hyper), np.array([float(v) for v in hyper_grad]), float(pen), np.array([float(v) for v in pen_grad])


def penalty_case(root):
    g = GoldenCase(root, 'solvers', 'penalty-bilevel', "S12's F, ∇F, ψ_σ, ∇ψ_σ on quadratic bilevel problems, exact rational arithmetic", SCRIPT)
    setups = [('d8-cond10', 8, 8, 10.0, 1500, 0.5), ('d20-cond10', 20, 20, 10.0, 1501, 0.5), ('d5p3-cond1e3', 5, 3, 1e3, 1502, 0.0)]
    for name, d, p, cond, seed, rho in setups:
        a, q, b = problem(d, p, cond, seed)
        xs = {'x': f32(lowrank_rng.draw(seed, 3, 'normal', p)), 'x0': np.zeros(p)}
        for xname, x in xs.items():
            for sigma in (1e-1, 1e-2, 1e-4):
                sigma = float(np.float32(sigma))
                hv, hg, pv, pg = exact(a, q, b, x, rho, sigma)
                g.add(f'{name}-{xname}-s{sigma:.0e}', {'sigma': sigma, 'rho': rho, 'cond': float(np.linalg.cond(q))},
                      {'a': (a.reshape(d, 1), None), 'q': (q, None), 'b': (b, None), 'x': (x.reshape(p, 1), None)},
                      {'hyperValue': np.array([hv]), 'hyperGradient': hg, 'penaltyValue': np.array([pv]), 'penaltyGradient': pg})
    g.write()


if __name__ == '__main__':
    lowrank_rng.check_kat()
    root = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', '..', 'golden')
    penalty_case(root)
