"""The optim/selection golden: exact index lists of top-k and of weighted sampling without replacement.

An independent Python implementation of core/selection.ts's rules: top-k by a stable argsort (ties to
the lower index); successive sampling with the uniforms of lowrank_rng's stream (element t for draw t),
the remaining total and the cumulative walk in index order — the same f64 operations in the same
order, so the lists must agree exactly. Weights include zeros (never drawn), a dominant one and σ-like
decays (S26 draws singular vectors with probability ½(1/m + σ_i/Σσ)).
"""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..'))

import numpy as np

import lowrank_rng
from golden_store import GoldenCase, generated

SCRIPT = 'scripts/golden/optim/selection.py'


def sample(weights, k, seed, stream):
    w = [float(v) for v in weights]
    u = lowrank_rng.draw(seed, stream, 'uniform', k)
    out = []
    for t in range(k):
        total = 0.0
        for v in w:
            total += v
        target = float(u[t]) * total
        cum, pick = 0.0, -1
        for i, v in enumerate(w):
            if v == 0:
                continue
            cum += v
            pick = i
            if cum > target:
                break
        out.append(pick)
        w[pick] = 0.0
    return np.array(out, dtype=np.float64)


def selection_case(root):
    g = GoldenCase(root, 'optim', 'selection', 'top-k and weighted sampling without replacement, exact index lists', SCRIPT)
    for i, (n, k) in enumerate([(1, 1), (10, 3), (100, 17), (257, 64)]):
        v, rv = generated((n,), seed=1300 + i, stream=0)
        g.add(f'topk-{n}-{k}', {'kind': 'topk', 'k': k}, {'values': (v, rv)}, {'indices': np.argsort(-v, kind='stable')[:k].astype(np.float64)})
    ties = np.array([1.0, 3.0, 3.0, 0.0, 3.0, 1.0, -2.0, 1.0])
    g.add('topk-ties', {'kind': 'topk', 'k': 4}, {'values': (ties, None)}, {'indices': np.argsort(-ties, kind='stable')[:4].astype(np.float64)})
    sigma = 1.0 / np.sqrt(np.arange(1, 129))
    cases = {
        'uniform-16': (np.ones(16), 5),
        'zeros': (np.array([0.0, 2.0, 0.0, 1.0, 1.0, 0.0, 4.0]), 4),
        'dominant': (np.array([1e-6, 1.0e6, 1e-6, 1e-6, 1e-6]), 3),
        'sst-128': (0.5 * (1 / 128 + sigma / sigma.sum()), 8),
        'all': (np.array([3.0, 1.0, 2.0]), 3),
    }
    for j, (name, (w, k)) in enumerate(cases.items()):
        for stream in (0, 1):
            g.add(f'sample-{name}-s{stream}', {'kind': 'sample', 'k': k, 'seed': 1400 + j, 'stream': stream},
                  {'weights': (w, None)}, {'indices': sample(w, k, 1400 + j, stream)})
    g.write()


if __name__ == '__main__':
    lowrank_rng.check_kat()
    root = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', '..', 'golden')
    selection_case(root)
