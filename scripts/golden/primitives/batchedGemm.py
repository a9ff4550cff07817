"""The primitives/batchedGemm golden; the family's conventions are in common.py."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..'))

import numpy as np

import lowrank_rng
from golden_store import GoldenCase, generated

SCRIPT = 'scripts/golden/primitives/batchedGemm.py'


def batched_gemm_case(root):
    g = GoldenCase(root, 'primitives', 'batchedGemm', 'a batch of independent GEMMs by numpy matmul (BLAS dgemm per slice)', SCRIPT)
    for i, (batch, m, n, k) in enumerate([(1, 1, 1, 1), (3, 4, 5, 6), (5, 17, 3, 9), (2, 33, 33, 33), (0, 3, 3, 3), (4, 8, 8, 0)]):
        for ta, tb in ((False, False), (True, True), (False, True)):
            a, ra = generated((batch, k, m) if ta else (batch, m, k), seed=200 + i, stream=0)
            b, rb = generated((batch, n, k) if tb else (batch, k, n), seed=200 + i, stream=1)
            c = np.matmul(np.swapaxes(a, 1, 2) if ta else a, np.swapaxes(b, 1, 2) if tb else b)
            g.add(f'{"t" if ta else "n"}{"t" if tb else "n"}-{batch}x{m}x{n}x{k}',
                  {'batch': batch, 'm': m, 'n': n, 'k': k, 'transA': ta, 'transB': tb, 'alpha': 1.0, 'beta': 0.0},
                  {'a': (a, ra), 'b': (b, rb)}, {'c': c})
    for j, (batch, m, n, k) in enumerate([(3, 4, 5, 6), (2, 33, 33, 32)]):
        a, ra = generated((batch, m, k), seed=290 + j, stream=0, round_to='f16')
        b, rb = generated((batch, k, n), seed=290 + j, stream=1, round_to='f16')
        g.add(f'f16-nn-{batch}x{m}x{n}x{k}', {'batch': batch, 'm': m, 'n': n, 'k': k, 'transA': False, 'transB': False, 'alpha': 1.0, 'beta': 0.0},
              {'a': (a, ra), 'b': (b, rb)}, {'c': np.matmul(a, b)}, ('f16',))
    g.write()


if __name__ == '__main__':
    lowrank_rng.check_kat()
    root = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', '..', 'golden')
    batched_gemm_case(root)
