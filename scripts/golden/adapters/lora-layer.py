"""Goldens for the adapters family.

LoRA layer (no dropout): y = x W0^T + s (x A^T) B^T and, from dy, dB = s dy^T (x A^T), dA = s (dy B)^T x,
dx = dy W0 + s (dy B) A, each product by numpy (BLAS dgemm). All inputs come from the shared PRNG.
"""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..'))

import lowrank_rng
from golden_store import GoldenCase, generated

SCRIPT = 'scripts/golden/adapters/lora-layer.py'


def lora_case(root):
    g = GoldenCase(root, 'adapters', 'lora-layer', 'LoRA layer forward (y) and backward (dA, dB, dx) without dropout, by numpy dgemm', SCRIPT)
    for j, (batch, inputs, outputs, rank, alpha) in enumerate(((1, 3, 2, 1, 1.0), (7, 12, 9, 3, 6.0), (64, 96, 80, 8, 16.0))):
        w0, r0 = generated((outputs, inputs), seed=9900 + j, stream=0)
        a, ra = generated((rank, inputs), seed=9900 + j, stream=1)
        b, rb = generated((outputs, rank), seed=9900 + j, stream=2)
        x, rx = generated((batch, inputs), seed=9900 + j, stream=3)
        dy, rd = generated((batch, outputs), seed=9900 + j, stream=4)
        s = alpha / rank
        h = x @ a.T
        g.add(f'b{batch}-{outputs}x{inputs}-r{rank}', {'batch': batch, 'inputs': inputs, 'outputs': outputs, 'rank': rank, 'alpha': alpha},
              {'w0': (w0, r0), 'a': (a, ra), 'b': (b, rb), 'x': (x, rx), 'dy': (dy, rd)},
              {'y': x @ w0.T + s * h @ b.T, 'da': s * (dy @ b).T @ x, 'db': s * dy.T @ h, 'dx': dy @ w0 + s * (dy @ b) @ a})
    g.write()


if __name__ == '__main__':
    lowrank_rng.check_kat()
    root = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', '..', 'golden')
    lora_case(root)
