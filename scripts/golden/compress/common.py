"""What the generators of this family share. Goldens for the compression family.

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
import numpy as np


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
