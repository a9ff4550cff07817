"""numpy's GEMM over OpenBLAS as a timing server for bench:anchors (optional), the protocol of server.py.

benchmarks/src/gemm-anchors.ts starts it with the kernel OpenBLAS picks for this CPU and with its 128-bit one
(OPENBLAS_CORETYPE=Prescott) and interleaves its slices with ours. One thread (OPENBLAS_NUM_THREADS=1 before numpy
loads). Cases, named as the benchmark names them, on Gaussian inputs of the same sizes:
- 'gemm N f32' / 'gemm N f64': numpy.matmul of two N×N matrices into a preallocated C (sgemm / dgemm);
- 'batched BxN f32' / 'batched BxN f64': numpy.matmul of [B, N, N] stacks into a preallocated C (numpy's matmul
  loop over the stack, BLAS per product where the layout allows).
Usage: blas.py --sizes 256,512,1024 --batched 1024x16
"""
import argparse
import os

os.environ['OPENBLAS_NUM_THREADS'] = '1'
import numpy as np  # noqa: E402
from server import serve  # noqa: E402

parser = argparse.ArgumentParser()
parser.add_argument('--sizes', default='256,512,1024')
parser.add_argument('--batched', default='1024x16')
args = parser.parse_args()

rng = np.random.default_rng(1)
CASES = {}


def product(label, shape, dtype):
    a = rng.standard_normal(shape).astype(dtype)
    b = rng.standard_normal(shape).astype(dtype)
    c = np.empty(shape, dtype)
    CASES[label] = lambda: np.matmul(a, b, out=c)


for name, dtype in (('f32', np.float32), ('f64', np.float64)):
    for n in (int(s) for s in args.sizes.split(',') if s):
        product(f'gemm {n} {name}', (n, n), dtype)
    for spec in (s for s in args.batched.split(',') if s):
        batch, n = (int(x) for x in spec.split('x'))
        product(f'batched {batch}x{n} {name}', (batch, n, n), dtype)

serve(CASES.__getitem__, sorted(CASES))
