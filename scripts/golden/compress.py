"""Goldens for the compression family.

EoRA (S45): for a stored weight W (power-law spectrum) and calibration activations X (anisotropic
covariance), both rounded to float32: the compressed weights of the three compressions (per-row 3-bit
quantization with round-half-to-even, scale = max|row| / (2^(b-1) - 1); 2:4 magnitude pruning, ties to
the earlier entry; both), the eigenvalues of X X^T (LAPACK dsyevd through numpy.linalg.eigvalsh), the
singular values of dW X (LAPACK dgesdd), EoRA's output error for each rank as the optimum
sqrt(sum_{i>r} sigma_i(dW X)^2) (EoRA attains it exactly), and plain SVD compensation's output error
||(dW - [dW]_r) X||_F.

FWSVD (S43): for y = W2 relu(W1 x) with squared loss on stored noisy targets, the empirical Fisher of W1
written out in numpy, I = (Delta*Delta)^T (X*X) / N, its row sums, the singular values of diag(sqrt(rows)) W1
(dgesdd), and the reconstruction errors ||W1 - W_hat||_F of FWSVD and of the plain truncated SVD per rank.

AFM (S33): for a layer y = x W + b and calibration inputs X, the eigenvalues of the covariance of Y = X W + b
(dsyevd), the projector Q_r Q_r^T onto its top-r eigenvectors, AFM's outputs on held-out inputs,
mu + (x W + b - mu) Q_r Q_r^T, and the plain truncated SVD's (dgesdd), x W_r + b, with both calibration
errors; and the ROC AUC of rounded (tied) scores as the Mann-Whitney U / (n+ n-) of scipy.
"""
import os
import sys

import numpy as np
from scipy.stats import mannwhitneyu

import lowrank_rng
from golden_store import GoldenCase, generated

SCRIPT = 'scripts/golden/compress.py'


def f32(a):
    return np.asarray(a, dtype=np.float32).astype(np.float64)


def quantize_rows(w, bits):
    levels = 2 ** (bits - 1) - 1
    out = np.zeros_like(w)
    for i, row in enumerate(w):
        m = np.max(np.abs(row))
        if m > 0:
            scale = m / levels
            out[i] = scale * np.round(row / scale)  # numpy rounds half to even
    return out


def prune24(w):
    out = w.copy()
    groups = out.reshape(-1, 4)
    for g, src in zip(groups, w.reshape(-1, 4)):
        order = sorted(range(4), key=lambda a: (-abs(src[a]), a))
        g[order[2]] = 0
        g[order[3]] = 0
    return out


COMPRESSIONS = (('quant3', lambda w: quantize_rows(w, 3)), ('prune24', prune24), ('both', lambda w: quantize_rows(prune24(w), 3)))


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
    root = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), '..', '..', 'golden')
    eora_case(root)
    fwsvd_case(root)
    afm_case(root)

