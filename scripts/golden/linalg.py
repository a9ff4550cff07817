"""Goldens for the linear-algebra family, computed by LAPACK through scipy (potrf, getrf, trtrs).

Test matrices follow LAPACK's own (dlatms): a random orthogonal Q times a prescribed spectrum
(geometric, arithmetic, clustered, one tiny value), graded, Hilbert-like, rank-deficient; shapes 1,
3, 17, 64, 129, tall, wide. Inputs are stored (they come from LAPACK themselves, not the PRNG).
Entries whose condition number is too large for float32 list only f64.
"""
import os
import sys

import numpy as np
import scipy.linalg as sla

import lowrank_rng
from golden_store import GoldenCase, generated

SCRIPT = 'scripts/golden/linalg.py'


def gaussian(shape, seed, stream=0):
    return lowrank_rng.draw(seed, stream, 'normal', int(np.prod(shape))).reshape(shape)


def orthogonal(n, seed):
    """Q from the QR of a Gaussian matrix, signs fixed so Q is Haar-distributed."""
    q, r = np.linalg.qr(gaussian((n, n), seed))
    return q * np.sign(np.diag(r))


def spectrum(kind, n, cond):
    if n == 1:
        return np.array([1.0])
    i = np.arange(n)
    if kind == 'geometric':
        return cond ** (-i / (n - 1))
    if kind == 'arithmetic':
        return 1 - (1 - 1 / cond) * i / (n - 1)
    if kind == 'clustered':
        return np.where(i == n - 1, 1 / cond, 1.0)
    if kind == 'one-tiny':
        return np.where(i == n - 1, 1 / cond, 1.0 - 0.5 * i / n)
    raise ValueError(kind)


SHAPES = ((1, 1), (3, 3), (17, 17), (64, 64), (129, 129), (257, 17), (17, 257), (1, 9), (9, 1))


def gaussian_shapes(seed):
    """Gaussian matrices of the awkward shapes (square, tall, wide, 1×n, n×1), seeds seed+1, seed+2, …"""
    return [(f'gaussian-{m}x{n}', gaussian((m, n), seed + 1 + i), ('f32', 'f64')) for i, (m, n) in enumerate(SHAPES)]


def rank_deficient(n, seed):
    """An n×n matrix of rank 3."""
    return gaussian((n, 3), seed + 900) @ gaussian((3, n), seed + 901)


def dtypes_for(cond):
    return ('f32', 'f64') if cond <= 1e4 else ('f64',)


def cholesky_case(root):
    g = GoldenCase(root, 'linalg', 'cholesky', 'A = L L^T by LAPACK dpotrf (scipy.linalg.cholesky, lower)', SCRIPT)
    seed = 1000
    for n in (1, 3, 17, 64, 129):
        for kind, cond in (('geometric', 1e2), ('geometric', 1e4), ('arithmetic', 1e3), ('clustered', 1e3), ('one-tiny', 1e8)):
            seed += 1
            if n == 129 and kind in ('arithmetic', 'clustered', 'geometric') and cond != 1e2:
                continue  # keep the largest size to two spectra: goldens stay small
            q = orthogonal(n, seed)
            a = (q * spectrum(kind, n, cond)) @ q.T
            a = (a + a.T) / 2
            l = sla.cholesky(a, lower=True)
            g.add(f'{kind}-{cond:g}-n{n}', {'n': n, 'kind': kind, 'cond': cond, 'failAt': -1}, {'a': (a, None)}, {'l': l}, dtypes_for(cond))
    # Not positive definite: LAPACK names the failing leading minor (info), which ops.cholesky must report.
    for n, neg in ((5, 2), (17, 9), (64, 63)):
        seed += 1
        q = orthogonal(n, seed)
        lam = spectrum('arithmetic', n, 10.0)
        lam[neg] = -0.5
        a = (q * lam) @ q.T
        a = (a + a.T) / 2
        _, info = sla.lapack.dpotrf(a, lower=1)
        g.add(f'indefinite-n{n}', {'n': n, 'kind': 'indefinite', 'cond': 0, 'failAt': int(info) - 1}, {'a': (a, None)}, {}, ('f64',))
    g.write()


def lu_case(root):
    g = GoldenCase(root, 'linalg', 'lu', 'P A = L U with partial pivoting by LAPACK dgetrf (scipy.linalg.lu_factor)', SCRIPT)
    mats = gaussian_shapes(2000)
    seed = 2000 + len(SHAPES)
    for n in (17, 64):
        seed += 1
        u, v = orthogonal(n, seed), orthogonal(n, seed + 500)
        mats.append((f'geometric-1e6-{n}', (u * spectrum('geometric', n, 1e6)) @ v.T, ('f64',)))
        d = 10.0 ** np.linspace(0, -8, n)
        mats.append((f'graded-{n}', d[:, None] * gaussian((n, n), seed + 700) * d[None, :], ('f64',)))
        i = np.arange(n)
        mats.append((f'hilbert-like-{n}', 1.0 / (i[:, None] + i[None, :] + 1) + np.eye(n) * 1e-6, ('f64',)))
        mats.append((f'rank-deficient-{n}', rank_deficient(n, seed), ('f64',)))
    mats.append(('exactly-singular-4', np.array([[1.0, 2, 3, 4], [2, 4, 6, 8], [1, 0, 1, 0], [0, 1, 0, 1]]), ('f32', 'f64')))
    for name, a, dts in mats:
        lu, piv, info = sla.lapack.dgetrf(a)
        g.add(name, {'m': a.shape[0], 'n': a.shape[1], 'singularAt': int(info) - 1 if info > 0 else -1},
              {'a': (a, None)}, {'lu': lu, 'piv': piv.astype(np.float64)}, dts)
    g.write()


def trsm_case(root):
    g = GoldenCase(root, 'linalg', 'trsm', 'op(T) X = alpha B by LAPACK dtrtrs (scipy.linalg.solve_triangular)', SCRIPT)
    seed = 3000
    for n in (1, 3, 17, 64, 129):
        for m in ((1, 5) if n == 129 else (1, 5, 33)):
            for lower in (True, False):
                for trans in (False, True):
                    seed += 1
                    t = gaussian((n, n), seed) / np.sqrt(n) + 2 * np.eye(n)
                    t = np.tril(t) if lower else np.triu(t)
                    unit = (seed % 5 == 0)
                    if unit:
                        np.fill_diagonal(t, 1.0)
                    b = gaussian((n, m), seed, 1)
                    alpha = 1.0 if seed % 3 else -2.5
                    x = sla.solve_triangular(t, alpha * b, lower=lower, trans=1 if trans else 0, unit_diagonal=unit)
                    g.add(f'{"L" if lower else "U"}{"t" if trans else "n"}{"u" if unit else ""}-{n}x{m}',
                          {'n': n, 'm': m, 'lower': lower, 'trans': trans, 'unitDiag': unit, 'alpha': alpha},
                          {'t': (t, None), 'b': (b, None)}, {'x': x})
    g.write()


def qr_case(root):
    g = GoldenCase(root, 'linalg', 'qr', 'thin QR by LAPACK dgeqrf + dorgqr (scipy.linalg.qr, economic)', SCRIPT)
    mats = gaussian_shapes(4000)
    seed = 4000 + len(SHAPES)
    for n in (17, 64):
        seed += 1
        u, v = orthogonal(n, seed), orthogonal(n, seed + 500)
        mats.append((f'geometric-1e10-{n}', (u * spectrum('geometric', n, 1e10)) @ v.T, ('f32', 'f64')))
        d = 10.0 ** np.linspace(0, -8, n)
        mats.append((f'graded-{n}', gaussian((n, n), seed + 700) * d[None, :], ('f32', 'f64')))
        mats.append((f'rank-deficient-{n}', rank_deficient(n, seed), ('f32', 'f64')))
    mats.append(('zero-column-5x4', np.array([[1.0, 0, 2, 3], [4, 0, 5, 6], [7, 0, 8, 9], [1, 0, 1, 1], [2, 0, 0, 1]]), ('f32', 'f64')))
    for name, a, dts in mats:
        q, r = sla.qr(a, mode='economic')
        g.add(name, {'m': a.shape[0], 'n': a.shape[1]}, {'a': (a, None)}, {'q': q, 'r': r}, dts)
    g.write()


def tall_skinny_case(root):
    g = GoldenCase(root, 'linalg', 'tall-skinny', 'least squares min ||A x - b|| by LAPACK dgelsd (scipy.linalg.lstsq) on tall A', SCRIPT)
    seed = 5000
    for (m, n, cond) in ((64, 8, 10.0), (257, 17, 1e2), (1000, 32, 1e3), (129, 129, 1e2), (513, 40, 1e6)):
        seed += 1
        u = np.linalg.qr(gaussian((m, n), seed))[0]
        v = orthogonal(n, seed + 1)
        a = (u * spectrum('geometric', n, cond)) @ v.T
        x_true = gaussian((n,), seed, 2)
        b = a @ x_true + 1e-3 * gaussian((m,), seed, 3)
        x = sla.lstsq(a, b, lapack_driver='gelsd')[0]
        g.add(f'cond{cond:g}-{m}x{n}', {'m': m, 'n': n, 'cond': cond}, {'a': (a, None), 'b': (b, None)}, {'x': x},
              dtypes_for(cond) if cond < 1e6 else ('f64',))
    g.write()


def svd_case(root):
    g = GoldenCase(root, 'linalg', 'svd', 'thin SVD by LAPACK dgesdd (scipy.linalg.svd, full_matrices=False)', SCRIPT)
    seed = 6000
    mats = []
    for (m, n) in ((1, 1), (3, 3), (17, 17), (64, 64), (129, 33), (33, 129), (1, 9), (9, 1), (200, 20)):
        seed += 1
        mats.append((f'gaussian-{m}x{n}', gaussian((m, n), seed), ('f32', 'f64')))
    for n in (17, 64):
        for kind, cond in (('geometric', 1e2), ('geometric', 1e12), ('arithmetic', 1e3), ('clustered', 1e4), ('one-tiny', 1e10)):
            seed += 1
            u, v = orthogonal(n, seed), orthogonal(n, seed + 500)
            mats.append((f'{kind}-{cond:g}-{n}', (u * spectrum(kind, n, cond)) @ v.T, ('f32', 'f64')))
        seed += 1
        d = 10.0 ** np.linspace(0, -8, n)
        mats.append((f'graded-{n}', d[:, None] * gaussian((n, n), seed), ('f32', 'f64')))
        mats.append((f'rank-deficient-{n}', rank_deficient(n, seed), ('f32', 'f64')))
    mats.append(('zero-4x3', np.zeros((4, 3)), ('f32', 'f64')))
    for name, a, dts in mats:
        u, s, vt = sla.svd(a, full_matrices=False, lapack_driver='gesdd')
        g.add(name, {'m': a.shape[0], 'n': a.shape[1]}, {'a': (a, None)}, {'s': s}, dts)
    g.write()


def low_rank_case(root):
    g = GoldenCase(root, 'linalg', 'low-rank', 'matrices with decaying spectra and their singular values (dgesdd), for truncated and randomized SVD', SCRIPT)
    seed = 7000
    for (m, n, k, decay) in ((200, 150, 10, 'geometric'), (300, 160, 32, 'geometric'), (150, 150, 20, 'polynomial'), (100, 240, 8, 'geometric')):
        seed += 1
        r = min(m, n)
        u = np.linalg.qr(gaussian((m, r), seed))[0]
        v = np.linalg.qr(gaussian((n, r), seed + 1))[0]
        i = np.arange(r)
        s = 0.9 ** i if decay == 'geometric' else 1.0 / (1.0 + i) ** 2
        a = (u * s) @ v.T
        # The leading k left singular vectors, for a principal-angle check scaled by the gap σ_k − σ_{k+1}.
        uk = sla.svd(a, full_matrices=False)[0][:, :k].copy()
        g.add(f'{decay}-{m}x{n}-k{k}', {'m': m, 'n': n, 'k': k}, {'a': (a, None)}, {'s': sla.svd(a, compute_uv=False), 'uk': uk})
    g.write()


def eigh_case(root):
    g = GoldenCase(root, 'linalg', 'eigh', 'symmetric eigendecomposition by LAPACK dsyevd (scipy.linalg.eigh)', SCRIPT)
    seed = 8000
    mats = []
    for n in (1, 3, 17, 64):
        seed += 1
        x = gaussian((n, n), seed)
        mats.append((f'gaussian-{n}', (x + x.T) / 2, ('f32', 'f64')))
    for n in (17, 64):
        for kind, cond in (('geometric', 1e6), ('clustered', 1e3), ('one-tiny', 1e10)):
            seed += 1
            q = orthogonal(n, seed)
            lam = spectrum(kind, n, cond) * np.where(np.arange(n) % 3 == 1, -1.0, 1.0)  # mixed signs
            mats.append((f'{kind}-{cond:g}-signed-{n}', (q * lam) @ q.T, ('f32', 'f64')))
        seed += 1
        q = orthogonal(n, seed)
        lam = np.concatenate([np.full(n // 2, 2.0), np.full(n - n // 2, -2.0)])  # ±λ pairs: SVD alone cannot split them
        mats.append((f'plus-minus-{n}', (q * lam) @ q.T, ('f32', 'f64')))
    mats.append(('zero-3', np.zeros((3, 3)), ('f32', 'f64')))
    for name, a, dts in mats:
        a = (a + a.T) / 2
        w = sla.eigh(a, eigvals_only=True)
        g.add(name, {'n': a.shape[0]}, {'a': (a, None)}, {'w': w[::-1].copy()}, dts)
    g.write()


def lanczos_case(root):
    g = GoldenCase(root, 'linalg', 'lanczos', 'top eigenvalues of the operator x -> H (H^T x) / n, H = G with column j divided by 1 + j, by LAPACK dsyevd on H^T H / n', SCRIPT)
    for j, (n, r, k) in enumerate(((500, 40, 5), (2000, 60, 8))):
        # G comes from the shared PRNG (stored as its recipe), scaled by a decaying column profile so
        # the spectrum has a gap; the operator is never formed on the TypeScript side.
        gmat, rg = generated((n, r), seed=9100 + j, stream=0, round_to='f32')
        h = gmat / (1.0 + np.arange(r))  # column j divided by 1 + j (the check divides the same way)
        w = sla.eigh(h.T @ h / n, eigvals_only=True)[::-1][:k].copy()  # same nonzero spectrum as H H^T / n
        g.add(f'gram-{n}x{r}-k{k}', {'n': n, 'r': r, 'k': k}, {'g': (gmat, rg)}, {'w': w})
    g.write()


if __name__ == '__main__':
    lowrank_rng.check_kat()
    root = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), '..', '..', 'golden')
    cholesky_case(root)
    lu_case(root)
    trsm_case(root)
    qr_case(root)
    tall_skinny_case(root)
    svd_case(root)
    low_rank_case(root)
    eigh_case(root)
    lanczos_case(root)
