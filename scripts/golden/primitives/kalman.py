"""The primitives/kalman golden: the smoothed posterior of a linear-Gaussian state-space model, by dense conditioning.

No recursion of the filter's: the prior over all states z_0 … z_{N−1} is built as one Gaussian (mean A_j μ_{j−1},
covariances Cov(z_i, z_j) = A_i ⋯ A_{j+1} Σ_j for i ≥ j, Σ_j = A_j Σ_{j−1} A_jᵀ + Q_j, from z_{−1} ~ N(m₀, P₀)), and
the observed steps (w > 0; y = hᵀz + N(0, 1/w)) condition it in one step: mean μ + ΣHᵀS⁻¹(y − Hμ), covariance
Σ − ΣHᵀS⁻¹HΣ with S = HΣHᵀ + diag(1/w) by scipy's cho_factor (LAPACK potrf); the log marginal likelihood is the
Gaussian log density of y under N(Hμ, S). Matérn-3/2 dynamics come from scipy.linalg.expm (A = expm(FΔ),
Q = P∞ − A P∞ Aᵀ, the GP prior of S24 as an SDE). Inputs are float32-representable.
"""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..'))

import numpy as np
import scipy.linalg

import lowrank_rng
from golden_store import GoldenCase

SCRIPT = 'scripts/golden/primitives/kalman.py'


def f32(a):
    return np.asarray(a, dtype=np.float32).astype(np.float64)


def posterior(a, q, h, y, w, m0, p0):
    """Dense conditioning of every sequence: smoothed means [B, N, m], covariances [B, N, m, m], log-likelihoods [B]."""
    N, m, _ = a.shape
    B = y.shape[0]
    mu = np.zeros((N, m))
    var = np.zeros((N, m, m))
    prev_mu, prev_var = m0, p0
    for j in range(N):
        mu[j] = a[j] @ prev_mu
        var[j] = a[j] @ prev_var @ a[j].T + q[j]
        prev_mu, prev_var = mu[j], var[j]
    cov = np.zeros((N * m, N * m))
    for j in range(N):
        block = var[j]
        cov[j * m:(j + 1) * m, j * m:(j + 1) * m] = var[j]
        for i in range(j + 1, N):
            block = a[i] @ block
            cov[i * m:(i + 1) * m, j * m:(j + 1) * m] = block
            cov[j * m:(j + 1) * m, i * m:(i + 1) * m] = block.T
    flat_mu = mu.reshape(-1)
    means, covs, lls = np.zeros((B, N, m)), np.zeros((B, N, m, m)), np.zeros(B)
    for b in range(B):
        obs = np.nonzero(w[b] > 0)[0]
        if len(obs) == 0:
            means[b], covs[b] = mu, var
            continue
        H = np.zeros((len(obs), N * m))
        for r, j in enumerate(obs):
            H[r, j * m:(j + 1) * m] = h
        S = H @ cov @ H.T + np.diag(1 / w[b, obs])
        c = scipy.linalg.cho_factor(S, lower=True)
        resid = y[b, obs] - H @ flat_mu
        gain = scipy.linalg.cho_solve(c, H @ cov).T
        pm = flat_mu + gain @ resid
        pc = cov - gain @ (H @ cov)
        means[b] = pm.reshape(N, m)
        for j in range(N):
            blk = pc[j * m:(j + 1) * m, j * m:(j + 1) * m]
            covs[b, j] = 0.5 * (blk + blk.T)
        logdet = 2 * np.sum(np.log(np.diag(c[0])))
        lls[b] = -0.5 * (len(obs) * np.log(2 * np.pi) + logdet + resid @ scipy.linalg.cho_solve(c, resid))
    return means, covs, lls


def matern32(t, ell, sigma2):
    lam = np.sqrt(3) / ell
    F = np.array([[0.0, 1.0], [-lam * lam, -2 * lam]])
    pinf = np.diag([sigma2, lam * lam * sigma2])
    N = len(t)
    a, q = np.zeros((N, 2, 2)), np.zeros((N, 2, 2))
    a[0] = np.eye(2)
    for j in range(1, N):
        a[j] = scipy.linalg.expm(F * (t[j] - t[j - 1]))
        q[j] = pinf - a[j] @ pinf @ a[j].T
        q[j] = 0.5 * (q[j] + q[j].T)
    return f32(a), f32(q), np.array([1.0, 0.0]), np.zeros(2), f32(pinf)


def add(g, name, a, q, h, y, w, m0, p0, dtypes=('f32', 'f64')):
    y, w = f32(y), f32(w)
    means, covs, lls = posterior(a, q, h, y, w, m0, p0)
    N, m = a.shape[0], a.shape[1]
    # The conditioning of the problem the ratios scale by: the covariances' condition numbers (prior and posterior).
    conds = [np.linalg.cond(p0)] + [np.linalg.cond(c) for c in covs.reshape(-1, m, m)]
    g.add(name, {'condition': float(max(conds))},
          {'a': (a, None), 'q': (q, None), 'h': (h, None), 'y': (y, None), 'w': (w, None), 'm0': (m0, None),
           'p0': (p0, None)},
          {'mean': means, 'cov': covs, 'logLik': lls}, dtypes)


def kalman_case(root):
    g = GoldenCase(root, 'primitives', 'kalman',
                   'Kalman filter + RTS smoother: smoothed means, covariances and log-likelihoods (dense conditioning, scipy)',
                   SCRIPT)
    # Matérn-3/2 GP on sorted irregular coordinates with a repeated one (Δ = 0) and unobserved test points (w = 0).
    t = np.sort(lowrank_rng.draw(2400, 0, 'uniform', 40) * 5)
    t[17] = t[16]
    a, q, h, m0, p0 = matern32(t, 0.7, 1.5)
    y = np.sin(2 * t)[None, :] + 0.1 * lowrank_rng.draw(2400, 1, 'normal', 3 * 40).reshape(3, 40)
    w = np.full((3, 40), 100.0)
    w[:, [3, 11, 25, 26, 39]] = 0
    w[2, :] = 0
    w[2, 5] = 100.0
    add(g, 'matern32-irregular', a, q, h, y, w, m0, p0)
    # The same variances scaled by 1e12 (values by 1e6), precisions by 1e-12.
    add(g, 'matern32-scaled', a, f32(q * 1e12), h, y * 1e6, w * 1e-12, m0, f32(p0 * 1e12))
    # Generic dynamics: non-symmetric A (spectral radius 0.95), rank-one Q, precisions from none to 10.
    m = 3
    r = lowrank_rng.draw(2401, 0, 'normal', m * m).reshape(m, m)
    a1 = 0.95 * r / np.max(np.abs(np.linalg.eigvals(r)))
    v = lowrank_rng.draw(2401, 1, 'normal', m)
    N = 25
    a = f32(np.repeat(a1[None], N, axis=0))
    q = f32(np.repeat(np.outer(v, v)[None] * 0.3, N, axis=0))
    hv = f32(lowrank_rng.draw(2401, 2, 'normal', m))
    p0 = f32(np.eye(m) + 0.5 * np.ones((m, m)))
    m0 = f32(lowrank_rng.draw(2401, 3, 'normal', m))
    y = lowrank_rng.draw(2401, 4, 'normal', 2 * N).reshape(2, N)
    w = np.array([[1.0, 0.0, 1e-8, 3.0, 1.0] * 5, [10.0, 1e-4, 1.0, 0.0, 0.5] * 5])
    add(g, 'generic-m3', a, q, hv, y, w, m0, p0)
    # Near-exact observations (w up to 1e8) shrink the posterior to condition ~1e8: f64 only — in f32 the bound
    # √N·m·ε·κ would exceed one and the entry could not fail.
    w = np.array([[1.0, 0.0, 1e-8, 1e8, 1.0] * 5, [1e4, 1e-4, 1.0, 0.0, 1e6] * 5])
    add(g, 'generic-m3-near-exact', a, q, hv, y, w, m0, p0, dtypes=('f64',))
    # One state, one step, one sequence (Ornstein–Uhlenbeck).
    add(g, 'ou-one-step', f32(np.array([[[0.5]]])), f32(np.array([[[0.75]]])), np.array([1.0]), np.array([[0.3]]),
        np.array([[4.0]]), np.array([0.25]), np.array([[2.0]]))
    # No sequences.
    add(g, 'no-sequences', f32(np.repeat(np.eye(2)[None], 5, axis=0)), np.zeros((5, 2, 2)), np.array([1.0, 0.0]),
        np.zeros((0, 5)), np.zeros((0, 5)), np.zeros(2), np.eye(2))
    # A long sequence: 1500 steps of a Matérn-3/2 path, every point observed.
    t = np.cumsum(0.01 + lowrank_rng.draw(2402, 0, 'uniform', 1500) * 0.02)
    a, q, h, m0, p0 = matern32(t, 0.3, 1.0)
    y = np.cos(3 * t)[None, :] + 0.2 * lowrank_rng.draw(2402, 1, 'normal', 2 * 1500).reshape(2, 1500)
    add(g, 'matern32-long', a, q, h, y, np.full((2, 1500), 25.0), m0, p0)
    g.write()


if __name__ == '__main__':
    lowrank_rng.check_kat()
    root = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', '..', 'golden')
    kalman_case(root)
