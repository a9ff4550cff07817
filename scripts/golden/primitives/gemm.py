"""The primitives/gemm golden; the family's conventions are in common.py."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..'))

from scipy.linalg import blas

import lowrank_rng
from golden_store import GoldenCase, generated
from common import SHAPES, SCALARS, F16_GEMM, op

SCRIPT = 'scripts/golden/primitives/gemm.py'


def gemm_case(root):
    g = GoldenCase(root, 'primitives', 'gemm', 'C = alpha op(A) op(B) + beta C by BLAS dgemm', SCRIPT)
    i = 0
    for (m, n, k) in SHAPES:
        for ta in (False, True):
            for tb in (False, True):
                alpha, beta = SCALARS[i % len(SCALARS)]
                a, ra = generated((k, m) if ta else (m, k), seed=100 + i, stream=0)
                b, rb = generated((n, k) if tb else (k, n), seed=100 + i, stream=1)
                c0, rc = generated((m, n), seed=100 + i, stream=2)
                if min(m, n, k) > 0:
                    c = blas.dgemm(alpha, a, b, beta, c0, trans_a=ta, trans_b=tb)
                else:
                    c = alpha * (op(a, ta) @ op(b, tb)) + beta * c0
                inputs = {'a': (a, ra), 'b': (b, rb)}
                if beta != 0:
                    inputs['c'] = (c0, rc)
                g.add(f'{"t" if ta else "n"}{"t" if tb else "n"}-{m}x{n}x{k}',
                      {'m': m, 'n': n, 'k': k, 'transA': ta, 'transB': tb, 'alpha': alpha, 'beta': beta}, inputs, {'c': c})
                i += 1
    for (m, n, k, ta, tb) in F16_GEMM:
        alpha, beta = SCALARS[i % len(SCALARS)]
        a, ra = generated((k, m) if ta else (m, k), seed=100 + i, stream=0, round_to='f16')
        b, rb = generated((n, k) if tb else (k, n), seed=100 + i, stream=1, round_to='f16')
        c0, rc = generated((m, n), seed=100 + i, stream=2, round_to='f16')
        c = alpha * (op(a, ta) @ op(b, tb)) + beta * c0
        inputs = {'a': (a, ra), 'b': (b, rb)}
        if beta != 0:
            inputs['c'] = (c0, rc)
        g.add(f'f16-{"t" if ta else "n"}{"t" if tb else "n"}-{m}x{n}x{k}',
              {'m': m, 'n': n, 'k': k, 'transA': ta, 'transB': tb, 'alpha': alpha, 'beta': beta}, inputs, {'c': c}, ('f16',))
        i += 1
    g.write()


if __name__ == '__main__':
    lowrank_rng.check_kat()
    root = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', '..', 'golden')
    gemm_case(root)
