"""LAPACK (numpy/scipy over Debian's OpenBLAS) as a timing server for the linear-algebra anchors (optional).

benchmarks/src/linalg-anchors.ts starts this twice — once with the OpenBLAS kernel the library picks for this
CPU, once with OPENBLAS_CORETYPE=Prescott, its generic 128-bit SSE kernel (the SIMD width WebAssembly has) — and
interleaves their slices with ours, so the ratios come from one run on a noisy machine, not from two runs
apart. One thread, like the WASM numbers: OPENBLAS_NUM_THREADS=1 is set before numpy loads.

The protocol is server.py's.
"""
import os

os.environ['OPENBLAS_NUM_THREADS'] = '1'
import numpy as np  # noqa: E402
import scipy.linalg as sla  # noqa: E402
from server import serve  # noqa: E402


rng = np.random.default_rng(1)
sq = rng.standard_normal((512, 512))
tall = rng.standard_normal((1000, 100))
sym = np.tril(sq) + np.tril(sq, -1).T
big = rng.standard_normal((1024, 1024))
spd = big @ big.T / 1024 + np.eye(1024)
out = np.empty_like(big)
CASES = {
    'svd 512x512': lambda: sla.svd(sq, full_matrices=False, lapack_driver='gesdd'),
    'svd 1000x100': lambda: sla.svd(tall, full_matrices=False, lapack_driver='gesdd'),
    'eigh 512x512': lambda: sla.eigh(sym, driver='evd'),
    'qr 1024x1024': lambda: sla.qr(big, mode='economic'),
    'lu 1024x1024': lambda: sla.lu_factor(big),
    'cholesky 1024x1024': lambda: sla.cholesky(spd, lower=True),
    'gemm 1024x1024': lambda: np.matmul(big, big, out=out),
}

serve(CASES.__getitem__, sorted(CASES))
