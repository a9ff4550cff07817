"""The tensor/cheb-tucker golden: Chebyshev coefficients on the Chebyshev–Gauss–Lobatto grid, written as dense cosine
sums (no FFT), their mode spectra (numpy SVD), the Newton kernel's long-range part (scipy.special.erf) and the
interpolant (numpy.polynomial.chebyshev.chebval3d) at fixed points.

Grid x_j = cos(πj/n); coefficients along each mode a_k = (w_k/n)·Σ''_j f_j cos(πjk/n), w_0 = w_n = 1 else 2, Σ''
halving the first and last terms — applied as the (n+1)×(n+1) matrix D to each mode; p(x, y, z) = Σ a_abc T_a(x)
T_b(y) T_c(z). f_lr(x) = Σ_ν q_ν erf(β‖x − x_ν‖)/‖x − x_ν‖ (2β/√π at a charge) for 1, 8 or 27 charges on a lattice
at spacing ½ with checkerboard signs. The grid values are an input (f32-representable for the f32 runs), so the
coefficient check does not depend on the library's erf; the point values check that separately.
"""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..'))

import numpy as np
import numpy.polynomial.chebyshev as C
import scipy.special

import lowrank_rng
from golden_store import GoldenCase

SCRIPT = 'scripts/golden/tensor/cheb-tucker.py'


def grid(n):
    return np.cos(np.pi * np.arange(n + 1) / n)


def transform(n):
    j = np.arange(n + 1)
    half = np.where((j == 0) | (j == n), 0.5, 1.0)
    w = np.where((j == 0) | (j == n), 1.0, 2.0)
    return (w[:, None] / n) * np.cos(np.pi * np.outer(j, j) / n) * half[None, :]


def coefficients(values, n):
    D = transform(n)
    return np.einsum('ai,bj,ck,ijk->abc', D, D, D, values)


def lattice(count):
    axis = {1: [0.0], 8: [-0.5, 0.5], 27: [-0.5, 0.0, 0.5]}[count]
    pos, q = [], []
    for i, x in enumerate(axis):
        for j, y in enumerate(axis):
            for k, z in enumerate(axis):
                pos.append((x, y, z))
                q.append(1.0 if (i + j + k) % 2 == 0 else -1.0)
    return np.array(pos), np.array(q)


def newton(pos, q, beta, pts):
    out = np.zeros(len(pts))
    for p, c in zip(pos, q):
        r = np.linalg.norm(pts - p, axis=1)
        safe = np.where(r == 0, 1.0, r)
        out += c * np.where(r == 0, 2 * beta / np.sqrt(np.pi), scipy.special.erf(beta * safe) / safe)
    return out


def spectra(c):
    return [np.linalg.svd(np.moveaxis(c, k, 0).reshape(c.shape[k], -1), compute_uv=False) for k in range(3)]


def add(g, name, values, n, params, pts, f_pts, dtypes=('f32', 'f64')):
    values = np.asarray(values, dtype=np.float32).astype(np.float64)
    c = coefficients(values, n)
    s = spectra(c)
    interp = C.chebval3d(pts[:, 0], pts[:, 1], pts[:, 2], c)
    g.add(name, {'n': n, **params}, {'values': (values.reshape(-1), None), 'points': (pts, None)},
          {'coefficients': c.reshape(-1), 'spectrum0': s[0], 'spectrum1': s[1], 'spectrum2': s[2],
           'pointValues': f_pts, 'interpolant': interp}, dtypes)


def cheb_case(root):
    g = GoldenCase(root, 'tensor', 'cheb-tucker',
                   'Chebyshev coefficients by cosine sums, their mode spectra, f_lr by scipy erf and the interpolant', SCRIPT)
    pts = (2 * lowrank_rng.draw(2700, 0, 'uniform', 300) - 1).reshape(100, 3)
    # f = T₃(x)T₂(y)T₀(z): a single unit coefficient at (3, 2, 0).
    n = 8
    x = grid(n)
    t = lambda k, v: np.cos(k * np.arccos(np.clip(v, -1, 1)))
    unit = t(3, x)[:, None, None] * t(2, x)[None, :, None] * np.ones(n + 1)[None, None, :]
    add(g, 'unit-T3T2T0', unit, n, {'charges': 0, 'beta': 0.0}, pts,
        t(3, pts[:, 0]) * t(2, pts[:, 1]))
    for count, beta, n in [(8, 2.0, 16), (27, 4.0, 32), (1, 4.0, 16)]:
        pos, q = lattice(count)
        x = grid(n)
        X, Y, Z = np.meshgrid(x, x, x, indexing='ij')
        vals = newton(pos, q, beta, np.stack([X.ravel(), Y.ravel(), Z.ravel()], axis=1)).reshape(n + 1, n + 1, n + 1)
        add(g, f'newton-{count}-beta{beta:g}-n{n}', vals, n, {'charges': count, 'beta': beta}, pts, newton(pos, q, beta, pts))
    g.write()


if __name__ == '__main__':
    lowrank_rng.check_kat()
    root = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', '..', 'golden')
    cheb_case(root)
