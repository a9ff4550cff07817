"""Goldens for the adapters family.

ALLoRA layer (arXiv 2410.09692, §4.2, Listing 1): y = x W0^T + (x A^T) B^T (no alpha/r, no dropout). Backward from
dy: s_i = 1 / sqrt(||(BA)_i,:||_2 + 1/eta^2) per output row (the norm not squared), G~ = diag(s) dy^T x, dB = G~ A^T,
dA = B^T G~, dx = dy (W0 + BA) unscaled. ALLoRA-OD (the ablation): s from |(x (BA)^T)_{n,i}| per sample instead of the
row norm. Each product by numpy (BLAS dgemm), the norms by numpy.linalg.norm. All inputs from the shared PRNG; B is
not zero, so the rows' factors differ.
"""
import os
import sys

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..'))

import lowrank_rng
from golden_store import GoldenCase, generated

SCRIPT = 'scripts/golden/adapters/allora-layer.py'


def allora_case(root):
    g = GoldenCase(root, 'adapters', 'allora-layer',
                   'ALLoRA layer forward (y) and backward (dA, dB, dx; and the OD ablation dA, dB), by numpy dgemm', SCRIPT)
    for j, (batch, inputs, outputs, rank, eta) in enumerate(((1, 3, 2, 1, 1.0), (7, 12, 9, 3, 2.0), (64, 96, 80, 8, 1.0))):
        w0, r0 = generated((outputs, inputs), seed=9950 + j, stream=0)
        a, ra = generated((rank, inputs), seed=9950 + j, stream=1)
        b, rb = generated((outputs, rank), seed=9950 + j, stream=2)
        x, rx = generated((batch, inputs), seed=9950 + j, stream=3)
        dy, rd = generated((batch, outputs), seed=9950 + j, stream=4)
        ba = b @ a
        s = 1 / np.sqrt(np.linalg.norm(ba, axis=1) + 1 / eta ** 2)
        grad = (dy * s).T @ x
        delta = x @ ba.T
        od = dy / np.sqrt(np.abs(delta) + 1 / eta ** 2)
        g.add(f'b{batch}-{outputs}x{inputs}-r{rank}', {'batch': batch, 'inputs': inputs, 'outputs': outputs, 'rank': rank, 'eta': eta},
              {'w0': (w0, r0), 'a': (a, ra), 'b': (b, rb), 'x': (x, rx), 'dy': (dy, rd)},
              {'y': x @ w0.T + delta, 's': s, 'da': b.T @ grad, 'db': grad @ a.T, 'dx': dy @ (w0 + ba),
               'da_od': b.T @ (od.T @ x), 'db_od': (od.T @ x) @ a.T})
    g.write()


if __name__ == '__main__':
    lowrank_rng.check_kat()
    root = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', '..', 'golden')
    allora_case(root)
