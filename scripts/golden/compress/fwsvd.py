"""The compress/fwsvd golden; the family's conventions are in common.py."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..'))

import numpy as np

import lowrank_rng
from golden_store import GoldenCase, generated
from common import f32

SCRIPT = 'scripts/golden/compress/fwsvd.py'


def fwsvd_case(root):
    g = GoldenCase(root, 'compress', 'fwsvd', 'FWSVD of the first layer of y = W2 relu(W1 x): empirical-Fisher row importance (numpy), singular values of D W1 (LAPACK dgesdd), reconstruction errors of FWSVD and SVD per rank', SCRIPT)
    for j, (inputs, hidden, outputs, samples, ranks) in enumerate(((6, 8, 3, 40, (1, 2, 4)), (16, 32, 4, 200, (2, 4, 8)), (32, 48, 10, 500, (4, 8, 16)))):
        rng = np.random.Generator(np.random.Philox(key=9800 + j))  # W1, W2 and the targets are stored
        w1 = f32(rng.standard_normal((hidden, inputs)) / np.sqrt(inputs))
        w2 = f32(rng.standard_normal((outputs, hidden)) / np.sqrt(hidden) * 10 ** rng.uniform(-1, 1, hidden))
        x, rx = generated((samples, inputs), seed=9800 + j, stream=0)
        pre = x @ w1.T
        t = f32(np.maximum(pre, 0) @ w2.T + 0.5 * rng.standard_normal((samples, outputs)))
        delta = ((np.maximum(pre, 0) @ w2.T - t) @ w2) * (pre > 0)
        fisher = (delta ** 2).T @ (x ** 2) / samples
        importance = fisher.sum(axis=1)
        d = np.sqrt(importance)
        u, s, vt = np.linalg.svd(d[:, None] * w1, full_matrices=False)
        uu, ss, vv = np.linalg.svd(w1, full_matrices=False)
        g.add(f'{hidden}x{inputs}-N{samples}', {'inputs': inputs, 'hidden': hidden, 'outputs': outputs, 'samples': samples, 'ranks': list(ranks)},
              {'w1': (w1, None), 'w2': (w2, None), 'x': (x, rx), 'targets': (t, None)},
              {'importance': importance, 'sigma': s,
               'recon_fw': np.array([np.linalg.norm(w1 - (u[:, :r] * s[:r] / d[:, None]) @ vt[:r]) for r in ranks]),
               'recon_svd': np.array([np.linalg.norm(w1 - (uu[:, :r] * ss[:r]) @ vv[:r]) for r in ranks])})
    g.write()


if __name__ == '__main__':
    lowrank_rng.check_kat()
    root = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', '..', 'golden')
    fwsvd_case(root)
