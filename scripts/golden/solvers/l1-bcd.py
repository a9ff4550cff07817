"""The solvers/l1-bcd golden: S28 (c)'s non-negative ℓ₁ least squares, written here in numpy/scipy.

F(x) = ½‖Ax − b‖² + λΣx, x ≥ 0; g = Aᵀ(Ax − b) + λ. At a feasible point x: the authors' GSQ-NN block (the k
smallest g_i·d_i + (L_i/2)d_i², d_i = max(x_i − g_i/L_i, 0) − x_i, L_i = ‖a_i‖², ties to the lower index) and one
update of each kind on it — Lipschitz (x_b − g_b/L_b)₊ with L_b = eigvalsh's largest; two-metric projection (active
x_i < 1e-4 and g_i > 0 scaled by Σ_active L_i, Newton by numpy.linalg.solve on the rest, projected Armijo halving
with sufficient decrease 1e-4·g_bᵀΔx and 10ε|F| slack); exact — the block's non-negative QP solved by
scipy.optimize.nnls on the equivalent least squares (A_b with the λ term folded into the right-hand side through
the minimum-norm u with A_bᵀu = λ1), not an active-set QP method. Also x* of the whole problem, by the same
NNLS construction (A has full column rank on the support). Inputs are f32-representable.
"""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..'))

import numpy as np
import scipy.optimize as so

import lowrank_rng
from golden_store import GoldenCase

SCRIPT = 'scripts/golden/solvers/l1-bcd.py'


def f32(a):
    return np.asarray(a, dtype=np.float64).astype(np.float32).astype(np.float64)


def block_qp(ab, c, lam):
    """argmin over y ≥ 0 of ½‖A_b y + c‖² + λΣy, by NNLS on ‖A_b y + c + u‖² with A_bᵀu = λ1."""
    k = ab.shape[1]
    u = ab @ np.linalg.lstsq(ab.T @ ab, lam * np.ones(k), rcond=None)[0]
    return so.nnls(ab, -(c + u), maxiter=50 * k)[0]


def l1_case(root):
    gc = GoldenCase(root, 'solvers', 'l1-bcd',
                    "S28 (c)'s GSQ block and one Lipschitz / two-metric / exact update on non-negative ℓ₁ least squares (numpy/scipy)", SCRIPT)
    for name, n, p, k, seed in [('n40-p30-k14', 40, 30, 14, 2810), ('n30-p30-k30', 30, 30, 30, 2811)]:
        a = f32(lowrank_rng.draw(seed, 1, 'normal', n * p).reshape(n, p) + 0.3)
        b = f32(lowrank_rng.draw(seed, 2, 'normal', n) * 5)
        lam = float(f32(0.2 * np.max(a.T @ b)))
        x = f32(np.maximum(lowrank_rng.draw(seed, 3, 'normal', p), 0) * (lowrank_rng.draw(seed, 4, 'uniform', p) < 0.3))
        F = lambda z: 0.5 * np.sum((a @ z - b) ** 2) + lam * z.sum()
        g = a.T @ (a @ x - b) + lam
        L = np.sum(a ** 2, axis=0)
        d = np.maximum(x - g / L, 0) - x
        score = g * d + L / 2 * d ** 2
        blk = np.sort(np.lexsort((np.arange(p), score))[:k])
        ab, gb, xb = a[:, blk], g[blk], x[blk]
        h = ab.T @ ab
        lip = np.maximum(xb - gb / np.linalg.eigvalsh(h)[-1], 0)
        c = a @ x - b - ab @ xb
        exact = block_qp(ab, c, lam)
        active = (xb < 1e-4) & (gb > 0)
        work = ~active
        dv = np.zeros(k)
        if active.any():
            dv[active] = -gb[active] / L[blk][active].sum()
        if work.any():
            dv[work] = -np.linalg.solve(h[np.ix_(work, work)], gb[work])
        f0, alpha = F(x), 1.0
        while alpha > 1e-10:
            trial = np.maximum(xb + alpha * dv, 0)
            z = x.copy()
            z[blk] = trial
            if F(z) <= f0 + 1e-4 * gb @ (trial - xb) + 10 * 2 ** -52 * abs(f0):
                break
            alpha /= 2
        else:
            trial = xb
        xstar = block_qp(a, -b, lam)
        gs = a.T @ (a @ xstar - b) + lam
        assert np.all(gs[xstar > 0] ** 2 < 1e-16 * lam ** 2) and np.all(gs[xstar == 0] > -1e-8 * lam), name
        member = np.zeros(p)
        member[blk] = 1
        gc.add(name, {'lambda': lam, 'k': k, 'condBlock': float(np.linalg.cond(ab)), 'cond': float(np.linalg.cond(a))},
               {'a': (a, None), 'b': (b, None), 'x': (x, None)},
               {'block': member, 'lipschitz': lip, 'twoMetric': trial, 'exact': exact, 'xStar': xstar})
    gc.write()


if __name__ == '__main__':
    lowrank_rng.check_kat()
    root = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', '..', 'golden')
    l1_case(root)
