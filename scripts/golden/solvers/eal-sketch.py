"""The solvers/eal-sketch golden: S38's exact augmented Lagrangian and the modified Newton–KKT system, in numpy.

Problems: (a) f = Σ(x_i − 1)² + Σx_i⁴/4, c = [‖x‖² − 4; Bx]; (b) f = (1/N)Σ log(1 + exp(−y_i a_iᵀw)),
c = [1ᵀw − 1; ‖w‖² − 2]. At a point (x, λ) and penalties (η₁, η₂): the merit
L = f + λᵀc + (η₁/2)‖c‖² + (η₂/2)‖∇ₓL‖² and its gradient, checked here against central differences of L
(so the formula ∇ₓ = ∇ₓL + η₂∇²ₓL∇ₓL + η₁Jᵀc, ∇_λ = c + η₂J∇ₓL is confirmed independently of the library);
the authors' modified Hessian B = ∇²ₓL + t·I, t = ξ_B + ‖∇²ₓL‖_F when λ_min(ZᵀHZ) < 1e-6 on the null space Z of J
(scipy.linalg.null_space, an SVD), and the Newton direction of K = [B Jᵀ; J 0] by numpy.linalg.solve (LAPACK
gesv); cond = κ₂(K). Inputs are f32-representable.
"""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..'))

import numpy as np
import scipy.linalg

import lowrank_rng
from golden_store import GoldenCase

SCRIPT = 'scripts/golden/solvers/eal-sketch.py'
XI_B = 0.1


def f32(a):
    return np.asarray(a, dtype=np.float64).astype(np.float32).astype(np.float64)


def sphere(b):
    n = b.shape[1]
    return dict(
        f=lambda x: np.sum((x - 1) ** 2) + np.sum(x ** 4) / 4,
        g=lambda x: 2 * (x - 1) + x ** 3,
        h=lambda x: np.diag(2 + 3 * x ** 2),
        c=lambda x: np.concatenate([[x @ x - 4], b @ x]),
        j=lambda x: np.vstack([2 * x, b]),
        hc=lambda x, lam: 2 * lam[0] * np.eye(n))


def logistic(a, y):
    n, d = a.shape
    sp = lambda t: np.logaddexp(0, t)
    sig = lambda t: 1 / (1 + np.exp(-t))
    return dict(
        f=lambda w: np.sum(sp(-y * (a @ w))) / n,
        g=lambda w: a.T @ (-y * sig(-y * (a @ w))) / n,
        h=lambda w: (a.T * (sig(y * (a @ w)) * (1 - sig(y * (a @ w))))) @ a / n,
        c=lambda w: np.array([w.sum() - 1, w @ w - 2]),
        j=lambda w: np.vstack([np.ones(d), 2 * w]),
        hc=lambda w, lam: 2 * lam[1] * np.eye(d))


def merit(p, x, lam, e1, e2):
    gl = p['g'](x) + p['j'](x).T @ lam
    c = p['c'](x)
    return p['f'](x) + c @ lam + e1 / 2 * c @ c + e2 / 2 * gl @ gl


def merit_gradient(p, x, lam, e1, e2):
    jac, c = p['j'](x), p['c'](x)
    gl = p['g'](x) + jac.T @ lam
    hl = p['h'](x) + p['hc'](x, lam)
    return np.concatenate([gl + e2 * hl @ gl + e1 * jac.T @ c, c + e2 * jac @ gl])


def central(p, x, lam, e1, e2):
    z = np.concatenate([x, lam])
    n = len(x)
    out = np.zeros_like(z)
    for i in range(len(z)):
        h = 1e-5 * max(1.0, abs(z[i]))
        zp, zm = z.copy(), z.copy()
        zp[i] += h
        zm[i] -= h
        out[i] = (merit(p, zp[:n], zp[n:], e1, e2) - merit(p, zm[:n], zm[n:], e1, e2)) / (2 * h)
    return out


def newton(p, x, lam):
    jac = p['j'](x)
    hl = p['h'](x) + p['hc'](x, lam)
    n, m = len(x), jac.shape[0]
    z = scipy.linalg.null_space(jac)
    t = XI_B + np.linalg.norm(hl) if m < n and np.linalg.eigvalsh(z.T @ hl @ z)[0] < 1e-6 else 0.0
    k = np.block([[hl + t * np.eye(n), jac.T], [jac, np.zeros((m, m))]])
    rhs = -np.concatenate([p['g'](x) + jac.T @ lam, p['c'](x)])
    return k, rhs, t


def eal_case(root):
    gc = GoldenCase(root, 'solvers', 'eal-sketch',
                    "S38's exact augmented Lagrangian, its gradient and the modified Newton-KKT direction (numpy/LAPACK)", SCRIPT)
    # (a) at a point with λ₀ < 0 (∇²ₓL indefinite on the null space: the shift t > 0); (a) with λ₀ > 0 (t = 0); (b).
    seed = 3800
    b = f32(lowrank_rng.draw(seed, 1, 'normal', 2 * 12).reshape(2, 12))
    x = f32(lowrank_rng.draw(seed, 2, 'normal', 12))
    a = f32(lowrank_rng.draw(seed, 3, 'normal', 40 * 6).reshape(40, 6))
    y = np.where(lowrank_rng.draw(seed, 4, 'uniform', 40) < 0.5, -1.0, 1.0)
    w = f32(lowrank_rng.draw(seed, 5, 'normal', 6) / np.sqrt(6))
    setups = [('sphere-n12-shifted', 'sphere', sphere(b), {'b': b}, x, f32([-5.0, 0.5, -0.25])),
              ('sphere-n12-convex', 'sphere', sphere(b), {'b': b}, x, f32([0.75, 0.5, -0.25])),
              ('logistic-d6-n40', 'logistic', logistic(a, y), {'a': a, 'y': y}, w, f32([0.3, -0.2]))]
    e1, e2 = 2.25, float(f32(0.1 / 1.5))
    for name, kind, p, data, x0, lam in setups:
        g = merit_gradient(p, x0, lam, e1, e2)
        fd = central(p, x0, lam, e1, e2)
        assert np.linalg.norm(g - fd) <= 1e-6 * np.linalg.norm(g), (name, np.linalg.norm(g - fd))
        k, rhs, t = newton(p, x0, lam)
        sv = np.linalg.svd(k, compute_uv=False)
        inputs = {key: (v, None) for key, v in data.items()}
        inputs.update({'x': (x0, None), 'lambda': (lam, None)})
        gc.add(name, {'problem': kind, 'eta1': e1, 'eta2': e2, 'cond': float(sv[0] / sv[-1]), 'normK': float(sv[0])},
               inputs,
               {'merit': np.array([merit(p, x0, lam, e1, e2)]), 'meritGradient': g, 'shift': np.array([t]),
                'direction': np.linalg.solve(k, rhs)})
    gc.write()


if __name__ == '__main__':
    lowrank_rng.check_kat()
    root = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', '..', 'golden')
    eal_case(root)
