"""The compress/afm golden; the family's conventions are in common.py."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..'))

import numpy as np
from scipy.stats import mannwhitneyu

import lowrank_rng
from golden_store import GoldenCase
from common import f32

SCRIPT = 'scripts/golden/compress/afm.py'


def afm_case(root):
    g = GoldenCase(root, 'compress', 'afm', 'AFM: eigenvalues of the calibration outputs\' covariance (dsyevd), the projector Q_r Q_r^T, AFM and SVD (dgesdd) compressed outputs on held-out inputs and calibration errors per rank; ROC AUC with tied scores (scipy.stats.mannwhitneyu)', SCRIPT)
    for j, (n, m, samples, held, ranks) in enumerate(((6, 5, 40, 7, (1, 2, 4)), (32, 16, 300, 20, (2, 4, 8)), (64, 48, 500, 30, (4, 8, 16)))):
        rng = np.random.Generator(np.random.Philox(key=9900 + j))  # W, b, X, the held-out inputs and the scores are stored
        w = f32(rng.standard_normal((n, m)) / np.sqrt(n))
        b = f32(rng.standard_normal(m))
        p, _ = np.linalg.qr(rng.standard_normal((n, n)))
        x = f32((rng.standard_normal((samples, n)) * np.sqrt(10 ** rng.uniform(-2, 0, n))) @ p.T + rng.standard_normal(n))
        xt = f32(rng.standard_normal((held, n)))
        y = x @ w + b
        mu = y.mean(axis=0)
        cov = (y - mu).T @ (y - mu) / samples
        lam, q = np.linalg.eigh(cov)
        lam, q = lam[::-1].copy(), q[:, ::-1]
        uu, ss, vv = np.linalg.svd(w, full_matrices=False)
        outs = {'lambda': lam}
        for r in ranks:
            pr = q[:, :r] @ q[:, :r].T
            bias = mu + (b - mu) @ pr
            outs[f'proj_r{r}'] = pr
            outs[f'afm_out_r{r}'] = xt @ (w @ pr) + bias
            outs[f'afm_err_r{r}'] = np.array([np.linalg.norm(x @ (w @ pr) + bias - y)])
            wr = (uu[:, :r] * ss[:r]) @ vv[:r]
            outs[f'svd_out_r{r}'] = xt @ wr + b
            outs[f'svd_err_r{r}'] = np.array([np.linalg.norm(x @ (w - wr))])
        labels = (rng.uniform(size=samples) < 0.4).astype(np.float64)
        labels[0], labels[1] = 0.0, 1.0
        scores = np.round(rng.standard_normal(samples) + labels, 1)  # rounded: many tied scores
        outs['auc'] = np.array([mannwhitneyu(scores[labels == 1], scores[labels == 0]).statistic / (labels.sum() * (samples - labels.sum()))])
        g.add(f'{n}x{m}-N{samples}', {'n': n, 'm': m, 'samples': samples, 'held': held, 'ranks': list(ranks)},
              {'w': (w, None), 'b': (b, None), 'x': (x, None), 'xt': (xt, None), 'scores': (scores, None), 'labels': (labels, None)}, outs)
    g.write()


if __name__ == '__main__':
    lowrank_rng.check_kat()
    root = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', '..', 'golden')
    afm_case(root)
