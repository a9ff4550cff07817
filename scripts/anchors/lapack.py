"""LAPACK (numpy/scipy over Debian's OpenBLAS) as a timing server for the linear-algebra anchors (optional).

benchmarks/src/linalg-anchors.ts starts this three times on a machine of more than one core — with the
OpenBLAS kernel the library picks for this CPU, with OPENBLAS_CORETYPE=Prescott, its generic 128-bit SSE kernel
(the SIMD width WebAssembly has), both on one thread like the WASM numbers, and with the machine's kernel on
every core (OPENBLAS_NUM_THREADS, read before numpy loads; one thread when unset) beside our threaded run — and
interleaves their slices with ours, so the ratios come from one run on a noisy machine, not from runs apart.

The protocol is server.py's.
"""
import os

os.environ.setdefault('OPENBLAS_NUM_THREADS', '1')
import numpy as np  # noqa: E402
import scipy.linalg as sla  # noqa: E402
from server import serve  # noqa: E402


rng = np.random.default_rng(1)
sq = rng.standard_normal((512, 512))
tall = rng.standard_normal((1000, 100))
sym = np.tril(sq) + np.tril(sq, -1).T
big = rng.standard_normal((1024, 1024))
out = np.empty_like(big)
CASES = {
    'svd 512x512': lambda: sla.svd(sq, full_matrices=False, lapack_driver='gesdd'),
    'svd 1000x100': lambda: sla.svd(tall, full_matrices=False, lapack_driver='gesdd'),
    'eigh 512x512': lambda: sla.eigh(sym, driver='evd'),
    'gemm 1024x1024': lambda: np.matmul(big, big, out=out),
}
# QR, LU and Cholesky at both orders the two-thread target names (n = 512 and 1024).
for g in (sq, big):
    n = g.shape[0]
    spd = g @ g.T / n + np.eye(n)
    CASES[f'qr {n}x{n}'] = lambda g=g: sla.qr(g, mode='economic')
    CASES[f'lu {n}x{n}'] = lambda g=g: sla.lu_factor(g)
    CASES[f'cholesky {n}x{n}'] = lambda spd=spd: sla.cholesky(spd, lower=True)

serve(CASES.__getitem__, sorted(CASES))
