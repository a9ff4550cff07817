"""LAPACK's times on this machine for the linear-algebra anchors (optional; Debian python3-numpy/scipy).

Prints JSON {case: median ms} for benchmarks/src/linalg-anchors.ts --lapack FILE. One thread, like the
WASM numbers it is compared with: OPENBLAS_NUM_THREADS=1 is set before numpy loads.
Usage: /usr/bin/python3 scripts/anchors/lapack.py > results/lapack.json
"""
import json
import os
import statistics
import sys
import time

os.environ['OPENBLAS_NUM_THREADS'] = '1'
import numpy as np  # noqa: E402
import scipy.linalg as sla  # noqa: E402


def median_ms(f, reps=7):
    f()
    ts = []
    for _ in range(reps):
        t0 = time.perf_counter()
        f()
        ts.append((time.perf_counter() - t0) * 1e3)
    return statistics.median(ts)


rng = np.random.default_rng(1)
out = {}
for label, (m, n) in {'svd 512x512': (512, 512), 'svd 1000x100': (1000, 100)}.items():
    a = rng.standard_normal((m, n))
    out[label] = median_ms(lambda: sla.svd(a, full_matrices=False, lapack_driver='gesdd'))
a = rng.standard_normal((512, 512))
a = np.tril(a) + np.tril(a, -1).T
out['eigh 512x512'] = median_ms(lambda: sla.eigh(a, driver='evd'))
a = rng.standard_normal((1024, 1024))
out['qr 1024x1024'] = median_ms(lambda: sla.qr(a, mode='economic'))
json.dump(out, sys.stdout, indent=1)
print()
