"""The solvers/admm-fl golden: S32's federated WLS by consensus ADMM over noisy links, written here in numpy.

K clients with (X_k, Φ_k, y_k); A_k = X_kᵀΦ_kX_k, b_k = X_kᵀΦ_ky_k; w* by numpy.linalg.lstsq on the stacked
√Φ·X, √Φ·y (LAPACK gelsd). Each round t: S clients by a partial Fisher–Yates shuffle of 0 … K − 1 from the uniforms
t·S … of stream 10; normals t·3Sd … of stream 11 times σ: [downlink copies | uploads | admm's second downlink], S×d
each. Every client step is numpy.linalg.solve (LAPACK gesv) with A_k + ρI — not the library's precomputed
operators — and the dual is explicit where the method has one:
  admm       w ← solve(A+ρI, b + ρ(ẑ − u)); upload w + u; after the server's mean, u ← u + w − (z + noise)
  lagged     on a later participation u ← u + w − ẑ first; then as admm, no second downlink
  eliminated w ← solve(A+ρI, A w + ρ(2ẑ − ẑ_prev)) (the first time solve(A+ρI, b + ρẑ)); upload ẑ + (b − A w)/ρ
  continuing eliminated, and clients not scheduled that have participated step w ← solve(A+ρI, A w + ρẑ_prev)
The server's z is the mean over all K of the last upload received from each (zero before the first). Inputs are
f32-representable, so one golden serves both dtypes; the noise is drawn in f64 by both sides.
"""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..'))

import numpy as np

import lowrank_rng
from golden_store import GoldenCase

SCRIPT = 'scripts/golden/solvers/admm-fl.py'
VARIANTS = ['admm', 'lagged', 'eliminated', 'continuing']


def f32(a):
    return np.asarray(a, dtype=np.float32).astype(np.float64)


def clients(K, n, d, seed):
    x = f32(lowrank_rng.draw(seed, 1, 'normal', K * n * d) / np.sqrt(d)).reshape(K, n, d)
    truth = lowrank_rng.draw(seed, 2, 'normal', d)
    phi = f32(0.5 + 1.5 * lowrank_rng.draw(seed, 3, 'uniform', K * n)).reshape(K, n)
    y = f32(np.einsum('knd,d->kn', x, truth) + 0.1 * lowrank_rng.draw(seed, 4, 'normal', K * n).reshape(K, n))
    return x, phi, y


def schedule(K, S, seed, t):
    u = lowrank_rng.draw(seed, 10, 'uniform', S, offset=t * S)
    perm = list(range(K))
    for j in range(S):
        i = j + min(K - 1 - j, int(np.floor(u[j] * (K - j))))
        perm[j], perm[i] = perm[i], perm[j]
    return perm[:S]


def simulate(variant, x, phi, y, rho, S, sigma2, seed, rounds):
    K, n, d = x.shape
    A = np.einsum('kni,kn,knj->kij', x, phi, x)
    b = np.einsum('kni,kn,kn->ki', x, phi, y)
    P = A + rho * np.eye(d)
    w, u, zprev, sent = (np.zeros((K, d)) for _ in range(4))
    seen = np.zeros(K, bool)
    z, models = np.zeros(d), []
    sigma = np.sqrt(sigma2)
    elim = variant in ('eliminated', 'continuing')
    for t in range(rounds):
        order = schedule(K, S, seed, t)
        noise = sigma * lowrank_rng.draw(seed, 11, 'normal', 3 * S * d, offset=t * 3 * S * d).reshape(3, S, d)
        if variant == 'continuing':
            for k in range(K):
                if seen[k] and k not in order:
                    w[k] = np.linalg.solve(P[k], A[k] @ w[k] + rho * zprev[k])
        for j, k in enumerate(order):
            zh = z + noise[0, j]
            if elim:
                if seen[k]:
                    w[k] = np.linalg.solve(P[k], A[k] @ w[k] + rho * (2 * zh - zprev[k]))
                else:
                    w[k] = np.linalg.solve(P[k], b[k] + rho * zh)
                sent[k] = zh + (b[k] - A[k] @ w[k]) / rho + noise[1, j]
                zprev[k] = zh
            else:
                if variant == 'lagged' and seen[k]:
                    u[k] += w[k] - zh
                w[k] = np.linalg.solve(P[k], b[k] + rho * (zh - u[k]))
                sent[k] = w[k] + u[k] + noise[1, j]
            seen[k] = True
        z = sent.mean(axis=0)
        if variant == 'admm':
            for j, k in enumerate(order):
                u[k] += w[k] - (z + noise[2, j])
        models.append(z.copy())
    return np.array(models)


def admm_case(root):
    gc = GoldenCase(root, 'solvers', 'admm-fl',
                    "S32's consensus ADMM variants over noisy links: the server's model each round (numpy)", SCRIPT)
    # (id, K, n, d, S, rho, sigma2, seed, rounds): the claim's regime at a small size; clients with fewer samples
    # than dimensions (A_k singular, only A_k + ρI definite) and every client scheduled; one client a round, no noise.
    setups = [('k8-d3-noisy', 8, 6, 3, 3, 1.0, 1e-2, 3200, 30), ('k5-n2-d4-all', 5, 2, 4, 5, 0.5, 1e-4, 3201, 25),
              ('k6-d2-one', 6, 4, 2, 1, 2.0, 0.0, 3202, 40)]
    for name, K, n, d, S, rho, sigma2, seed, rounds in setups:
        x, phi, y = clients(K, n, d, seed)
        sx = np.sqrt(phi)[:, :, None] * x
        wls = np.linalg.lstsq(sx.reshape(K * n, d), (np.sqrt(phi) * y).reshape(K * n), rcond=None)[0]
        A = np.einsum('kni,kn,knj->kij', x, phi, x)
        kappa = max(np.linalg.cond(A[k] + rho * np.eye(d)) for k in range(K))
        outs = {v: simulate(v, x, phi, y, rho, S, sigma2, seed, rounds) for v in VARIANTS}
        gc.add(name, {'clients': K, 'samples': n, 'd': d, 'scheduled': S, 'rho': rho, 'sigma2': sigma2,
                      'seed': seed, 'rounds': rounds, 'clientCondition': kappa,
                      'sumCondition': np.linalg.cond(A.sum(axis=0))},
               {'x': (x.reshape(-1), None), 'phi': (phi.reshape(-1), None), 'y': (y.reshape(-1), None)},
               {'wls': wls, **{f'models_{v}': outs[v] for v in VARIANTS}})
    gc.write()


if __name__ == '__main__':
    lowrank_rng.check_kat()
    root = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', '..', 'golden')
    admm_case(root)
