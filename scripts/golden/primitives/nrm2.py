"""The primitives/nrm2 golden; the family's conventions are in common.py."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..'))

import numpy as np
from scipy.linalg import blas

import lowrank_rng
from golden_store import GoldenCase, generated
from common import LENGTHS

SCRIPT = 'scripts/golden/primitives/nrm2.py'


def nrm2_case(root):
    nrm2 = GoldenCase(root, 'primitives', 'nrm2', '||x||_2 by BLAS dnrm2, including data near overflow and underflow', SCRIPT)
    for i, n in enumerate(LENGTHS):
        x, rx = generated((n,), seed=400 + i, stream=0)
        nrm2.add(f'n{n}', {'n': n}, {'x': (x, rx)}, {'value': np.array([blas.dnrm2(x) if n > 0 else 0.0])})
    # Where a naive sum of squares overflows or underflows: f64 only beyond the f32 range.
    for j, (scale, dtypes) in enumerate([(1e30, ('f32', 'f64')), (1e-30, ('f32', 'f64')), (1e200, ('f64',)), (1e-200, ('f64',))]):
        x, rx = generated((1000,), seed=450 + j, stream=0, scale=scale, round_to='f32' if 'f32' in dtypes else 'f64')
        nrm2.add(f'scaled-{scale:g}', {'n': 1000, 'scale': scale}, {'x': (x, rx)}, {'value': np.array([blas.dnrm2(x)])}, dtypes)
    for j, n in enumerate((17, 1000)):
        x, rx = generated((n,), seed=470 + j, stream=0, round_to='f16')
        nrm2.add(f'f16-n{n}', {'n': n}, {'x': (x, rx)}, {'value': np.array([blas.dnrm2(x)])}, ('f16',))
    nrm2.write()

if __name__ == '__main__':
    lowrank_rng.check_kat()
    root = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', '..', 'golden')
    nrm2_case(root)
