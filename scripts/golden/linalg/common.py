"""What the generators of this family share. Goldens for the linear-algebra family, computed by LAPACK through scipy (potrf, getrf, trtrs).

Test matrices follow LAPACK's own (dlatms): a random orthogonal Q times a prescribed spectrum
(geometric, arithmetic, clustered, one tiny value), graded, Hilbert-like, rank-deficient; shapes 1,
3, 17, 64, 129, tall, wide. Inputs are stored (they come from LAPACK themselves, not the PRNG).
Entries whose condition number is too large for float32 list only f64.
"""
import numpy as np
import lowrank_rng


SHAPES = ((1, 1), (3, 3), (17, 17), (64, 64), (129, 129), (257, 17), (17, 257), (1, 9), (9, 1))


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


def gaussian_shapes(seed):
    """Gaussian matrices of the awkward shapes (square, tall, wide, 1×n, n×1), seeds seed+1, seed+2, …"""
    return [(f'gaussian-{m}x{n}', gaussian((m, n), seed + 1 + i), ('f32', 'f64')) for i, (m, n) in enumerate(SHAPES)]


def rank_deficient(n, seed):
    """An n×n matrix of rank 3."""
    return gaussian((n, 3), seed + 900) @ gaussian((3, n), seed + 901)


def dtypes_for(cond):
    return ('f32', 'f64') if cond <= 1e4 else ('f64',)
