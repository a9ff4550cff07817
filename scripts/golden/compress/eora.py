"""The compress/eora golden; the family's conventions are in common.py."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..'))

import numpy as np

import lowrank_rng
from golden_store import GoldenCase
from common import COMPRESSIONS, f32

SCRIPT = 'scripts/golden/compress/eora.py'


def eora_case(root):
    g = GoldenCase(root, 'compress', 'eora', 'EoRA: compressed weights (3-bit rows, 2:4, both), eig(X X^T) by dsyevd, sigma(dW X) by dgesdd, optimal and SVD-compensation output errors per rank', SCRIPT)
    for j, (m, n, samples, ranks) in enumerate(((8, 16, 32, (1, 2, 4)), (32, 64, 128, (2, 4, 8)), (48, 96, 192, (4, 8, 16)))):
        rng = np.random.Generator(np.random.Philox(key=9700 + j))  # any independent generator: W and X are stored
        u, _ = np.linalg.qr(rng.standard_normal((m, m)))
        v, _ = np.linalg.qr(rng.standard_normal((n, m)))
        w = f32(u @ np.diag(np.arange(1, m + 1) ** -0.5) @ v.T)
        p, _ = np.linalg.qr(rng.standard_normal((n, n)))
        x = f32(p @ np.diag(np.sqrt(10 ** rng.uniform(-2, 0, n))) @ rng.standard_normal((n, samples)))
        lam = np.linalg.eigvalsh(x @ x.T)[::-1].copy()
        outs = {'lambda': lam}
        for name, compress in COMPRESSIONS:
            wc = compress(w)
            dw = w - wc
            sigma = np.linalg.svd(dw @ x, compute_uv=False)
            uu, ss, vv = np.linalg.svd(dw, full_matrices=False)
            outs[f'{name}_wc'] = wc
            outs[f'{name}_sigma'] = sigma
            outs[f'{name}_err_eora'] = np.array([np.sqrt(np.sum(sigma[r:] ** 2)) for r in ranks])
            outs[f'{name}_err_svd'] = np.array([np.linalg.norm((dw - (uu[:, :r] * ss[:r]) @ vv[:r]) @ x) for r in ranks])
        g.add(f'{m}x{n}-N{samples}', {'m': m, 'n': n, 'samples': samples, 'ranks': list(ranks)},
              {'w': (w, None), 'x': (x, None)}, outs)
    g.write()


if __name__ == '__main__':
    lowrank_rng.check_kat()
    root = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', '..', 'golden')
    eora_case(root)
