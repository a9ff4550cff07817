"""The solvers/vr-halpern golden: S17's Halpern iterations on a cocoercive finite sum, written here in numpy.

F(u) = (1/n)·Σ_i L·a_i(a_iᵀu − b_i) = (L/n)·Aᵀ(Au − b). Halpern: u_{k+1} = λ_k·u₀ + (1 − λ_k)·(u_k − η·F̃_k),
λ_k = 1/(k + 2). Deterministic: F̃_k = F(u_k); the golden holds ‖F(u_k)‖ for k = 0 … K. Variance reduced (the
loopless recursive estimator): F̃_{k+1} = F(u_{k+1}) if the coin U < p, else F̃_k + (1/b)·Σ_{i∈S}(F_i(u_{k+1}) −
F_i(u_k)), each F_i evaluated at both points (not the library's A_Sᵀ A_S δ form); iteration k reads the uniforms
k·(1 + b) … k·(1 + b) + b of stream 0 of the seed (coin first, then the indices ⌊U·n⌋). L_F = L·λ_max(AᵀA)/n by
numpy.linalg.eigvalsh (LAPACK syevd); u*, the zero of F, by numpy.linalg.lstsq (it bounds the iterates: ‖u_k − u*‖ ≤
‖u₀ − u*‖). Rows a_i are unit vectors sharing a direction (or isotropic), rounded to f32
and renormalized in f64; inputs are f32-representable, so one golden serves both dtypes.
"""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..'))

import numpy as np

import lowrank_rng
from golden_store import GoldenCase

SCRIPT = 'scripts/golden/solvers/vr-halpern.py'


def instance(n, d, share, seed):
    v = lowrank_rng.draw(seed, 1, 'normal', d)
    v /= np.linalg.norm(v)
    g = lowrank_rng.draw(seed, 2, 'normal', n * d).reshape(n, d)
    g /= np.linalg.norm(g, axis=1, keepdims=True)
    sign = np.where(lowrank_rng.draw(seed, 3, 'uniform', n) < 0.5, -1.0, 1.0)[:, None]
    a = np.sqrt(share) * sign * v + np.sqrt(1 - share) * g
    a = (a / np.linalg.norm(a, axis=1, keepdims=True)).astype(np.float32).astype(np.float64)
    b = (a @ (3 * v + lowrank_rng.draw(seed, 4, 'normal', d)) + 0.01 * lowrank_rng.draw(seed, 5, 'normal', n))
    return a, b.astype(np.float32).astype(np.float64)


def operator(a, b, lip):
    n = a.shape[0]
    full = lambda u: (lip / n) * (a.T @ (a @ u - b))
    comp = lambda i, u: lip * a[i] * (a[i] @ u - b[i])
    return full, comp


def deterministic(a, b, lip, eta, u0, iterations):
    full, _ = operator(a, b, lip)
    u, norms = u0.copy(), []
    for k in range(iterations + 1):
        g = full(u)
        norms.append(np.linalg.norm(g))
        lam = 1 / (k + 2)
        u = lam * u0 + (1 - lam) * (u - eta * g)
    return np.array(norms)


def variance_reduced(a, b, lip, eta, u0, iterations, p, batch, seed):
    n = a.shape[0]
    full, comp = operator(a, b, lip)
    u, g, fulls = u0.copy(), full(u0), 0
    for k in range(iterations):
        lam = 1 / (k + 2)
        nxt = lam * u0 + (1 - lam) * (u - eta * g)
        draws = lowrank_rng.draw(seed, 0, 'uniform', 1 + batch, offset=k * (1 + batch))
        if draws[0] < p:
            g, fulls = full(nxt), fulls + 1
        else:
            idx = np.minimum(n - 1, np.floor(draws[1:] * n).astype(int))
            g = g + sum(comp(i, nxt) - comp(i, u) for i in idx) / batch
        u = nxt
    return u, g, fulls


def vr_case(root):
    gc = GoldenCase(root, 'solvers', 'vr-halpern',
                    "S17's Halpern residuals (deterministic) and variance-reduced iterates on a cocoercive finite sum (numpy)", SCRIPT)
    # (id, n, d, share, L, seed, u0 scale): a shared direction (the claim's regime), isotropic rows, an odd small shape.
    setups = [('n64-d8-shared', 64, 8, 0.8, 1.5, 1700, 0.0), ('n100-d20-isotropic', 100, 20, 0.0, 1.0, 1701, 0.0),
              ('n7-d3-anchor', 7, 3, 0.5, 2.0, 1702, 1.0)]
    iterations, vr_iterations = 50, 40
    for name, n, d, share, lip, seed, u0scale in setups:
        a, b = instance(n, d, share, seed)
        u0 = (u0scale * lowrank_rng.draw(seed, 6, 'normal', d)).astype(np.float32).astype(np.float64)
        lf = lip * np.linalg.eigvalsh(a.T @ a)[-1] / n
        eta = float(np.float32(1 / lf))
        norms = deterministic(a, b, lip, eta, u0, iterations)
        p, batch = 1 / np.sqrt(n), int(np.ceil(np.sqrt(n)))
        vr_eta = 1 / lip
        u, g, fulls = variance_reduced(a, b, lip, vr_eta, u0, vr_iterations, p, batch, seed)
        gc.add(name, {'lipschitz': lip, 'eta': eta, 'vrEta': vr_eta, 'p': p, 'batch': batch, 'seed': seed,
                      'iterations': iterations, 'vrIterations': vr_iterations, 'fullEvaluations': fulls},
               {'a': (a, None), 'b': (b, None), 'u0': (u0, None)},
               {'operatorLipschitz': np.array([lf]), 'residuals': norms, 'vrU': u, 'vrEstimator': g,
                'uStar': np.linalg.lstsq(a, b, rcond=None)[0]})
    gc.write()


if __name__ == '__main__':
    lowrank_rng.check_kat()
    root = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', '..', 'golden')
    vr_case(root)
