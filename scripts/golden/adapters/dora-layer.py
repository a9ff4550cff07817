"""Goldens for the adapters family.

DoRA layer (arXiv 2402.09353, Eq. 5, the official code's detached norm): V = W0 + s B A (s = alpha/r),
c = m / ||V||_row, y = (x V^T) diag(c). Backward from dy, the norm a constant: dm = sum_n (dy * x V^T) / ||V||_row,
dA = s (dy diag(c) B)^T x, dB = s (dy diag(c))^T (x A^T), dx = dy diag(c) V. Each product by numpy (BLAS dgemm).
All inputs from the shared PRNG; m is drawn (not ||W0||_row), so c differs from 1.
"""
import os
import sys

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..'))

import lowrank_rng
from golden_store import GoldenCase, generated

SCRIPT = 'scripts/golden/adapters/dora-layer.py'


def dora_case(root):
    g = GoldenCase(root, 'adapters', 'dora-layer', 'DoRA layer forward (y) and backward (dm, dA, dB, dx), norm detached, by numpy dgemm', SCRIPT)
    for j, (batch, inputs, outputs, rank, alpha) in enumerate(((1, 3, 2, 1, 1.0), (7, 12, 9, 3, 6.0), (64, 96, 80, 8, 16.0))):
        w0, r0 = generated((outputs, inputs), seed=9960 + j, stream=0)
        a, ra = generated((rank, inputs), seed=9960 + j, stream=1)
        b, rb = generated((outputs, rank), seed=9960 + j, stream=2)
        x, rx = generated((batch, inputs), seed=9960 + j, stream=3)
        dy, rd = generated((batch, outputs), seed=9960 + j, stream=4)
        m, rm = generated((outputs,), seed=9960 + j, stream=5, dist='uniform', shift=0.5)
        s = alpha / rank
        v = w0 + s * b @ a
        norms = np.linalg.norm(v, axis=1)
        c = m / norms
        z = x @ v.T
        dyc = dy * c
        g.add(f'b{batch}-{outputs}x{inputs}-r{rank}', {'batch': batch, 'inputs': inputs, 'outputs': outputs, 'rank': rank, 'alpha': alpha},
              {'w0': (w0, r0), 'a': (a, ra), 'b': (b, rb), 'x': (x, rx), 'dy': (dy, rd), 'm': (m, rm)},
              {'y': z * c, 'dm': (dy * z).sum(axis=0) / norms, 'da': s * (dyc @ b).T @ x, 'db': s * dyc.T @ (x @ a.T), 'dx': dyc @ v})
    g.write()


if __name__ == '__main__':
    lowrank_rng.check_kat()
    root = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', '..', 'golden')
    dora_case(root)
