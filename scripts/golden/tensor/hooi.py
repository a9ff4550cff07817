"""The tensor/hooi golden: HOSVD then HOOI sweeps written here in numpy (SVDs of the unfoldings, LAPACK gesdd).

Factors: A_k = the r_k leading left singular vectors of the mode-k unfolding (HOSVD), then per sweep and mode
A_k = the r_k leading left singular vectors of the unfolding of X ×_{j≠k} A_jᵀ; the core G = X ×₁ A₁ᵀ ×₂ A₂ᵀ ×₃ A₃ᵀ.
The golden holds the relative error ‖X − G ×₁ A₁ ×₂ A₂ ×₃ A₃‖/‖X‖ after the HOSVD and after each sweep (formed from
the reconstruction, not from ‖G‖), each mode's singular values (the spectra the tolerance rule reads), and the
final projectors A_kA_kᵀ (unique when the r_k-th and (r_k+1)-th singular values differ). Inputs f32-representable.
"""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..'))

import numpy as np

import lowrank_rng
from golden_store import GoldenCase

SCRIPT = 'scripts/golden/tensor/hooi.py'


def unfold(x, k):
    return np.moveaxis(x, k, 0).reshape(x.shape[k], -1)


def project(x, factors, skip=None):
    y = x
    for k, a in enumerate(factors):
        if k != skip:
            y = np.moveaxis(np.tensordot(a.T, np.moveaxis(y, k, 0), axes=1), 0, k)
    return y


def leading(m, r):
    return np.linalg.svd(m, full_matrices=False)[0][:, :r]


def hooi(x, ranks, sweeps):
    factors = [leading(unfold(x, k), r) for k, r in enumerate(ranks)]
    norm = np.linalg.norm(x)

    def err():
        g = project(x, factors)
        rec = g
        for k, a in enumerate(factors):
            rec = np.moveaxis(np.tensordot(a, np.moveaxis(rec, k, 0), axes=1), 0, k)
        return np.linalg.norm(x - rec) / norm

    errors = [err()]
    for _ in range(sweeps):
        for k in range(x.ndim):
            factors[k] = leading(unfold(project(x, factors, skip=k), k), ranks[k])
        errors.append(err())
    return factors, np.array(errors)


def add(g, name, x, ranks, sweeps):
    x = np.asarray(x, dtype=np.float32).astype(np.float64)
    factors, errors = hooi(x, ranks, sweeps)
    spectra = [np.linalg.svd(unfold(x, k), compute_uv=False) for k in range(x.ndim)]
    g.add(name, {'ranks': list(ranks), 'sweeps': sweeps}, {'x': (x, None)},
          {'errors': errors, 'spectrum0': spectra[0], 'spectrum1': spectra[1], 'spectrum2': spectra[2],
           'projector0': factors[0] @ factors[0].T, 'projector1': factors[1] @ factors[1].T,
           'projector2': factors[2] @ factors[2].T})


def hooi_case(root):
    g = GoldenCase(root, 'tensor', 'hooi', 'HOSVD + HOOI sweeps: errors, mode spectra and projectors (numpy SVD)', SCRIPT)
    # A random odd-shaped tensor, a Tucker tensor plus small noise (HOOI improves on HOSVD), one rank-one mode.
    add(g, 'random-7x5x6', lowrank_rng.draw(2600, 0, 'normal', 210).reshape(7, 5, 6), (3, 2, 4), 4)
    core = lowrank_rng.draw(2601, 0, 'normal', 3 * 3 * 2).reshape(3, 3, 2)
    fac = [np.linalg.qr(lowrank_rng.draw(2601, k + 1, 'normal', n * r).reshape(n, r))[0]
           for k, (n, r) in enumerate([(9, 3), (8, 3), (7, 2)])]
    t = project(core, [f.T for f in fac])
    noisy = t + 0.05 * lowrank_rng.draw(2601, 9, 'normal', t.size).reshape(t.shape)
    add(g, 'tucker-plus-noise-9x8x7', noisy, (3, 3, 2), 6)
    add(g, 'rank-one-mode-4x6x5', lowrank_rng.draw(2602, 0, 'normal', 120).reshape(4, 6, 5), (1, 2, 2), 3)
    g.write()


if __name__ == '__main__':
    lowrank_rng.check_kat()
    root = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', '..', 'golden')
    hooi_case(root)
