"""What the generators of this family share. Goldens for the MLP autodiff package, by a different method than the package's.

For tanh MLPs with a softmax cross-entropy head (mean over N samples), numpy computes the loss and the
gradient (backpropagation written out), and then the Hessian by the complex step applied to that
gradient: H[:, j] = Im(grad(theta + i*h*e_j)) / h with h = 1e-30, exact to rounding because nothing is
subtracted (Squire & Trapp 1998) -- independent of the package's R-operator. The Gauss-Newton matrix
G = (1/N) sum_i J_i^T (diag(p_i) - p_i p_i^T) J_i uses the logits' Jacobian J by the same complex
step. Eigenvalues of H by LAPACK (numpy.linalg.eigvalsh, dsyevd).
"""
import numpy as np


def unpack(theta, widths):
    layers, off = [], 0
    for a, b in zip(widths[:-1], widths[1:]):
        w = theta[off:off + a * b].reshape(a, b)
        off += a * b
        layers.append((w, theta[off:off + b]))
        off += b
    return layers


def logits(theta, widths, x):
    h = x
    for l, (w, b) in enumerate(unpack(theta, widths)):
        z = h @ w + b
        h = np.tanh(z) if l + 2 < len(widths) else z
    return h


def gradient(theta, widths, x, y):
    layers = unpack(theta, widths)
    hs, h = [x], x
    for l, (w, b) in enumerate(layers):
        z = h @ w + b
        h = np.tanh(z) if l + 1 < len(layers) else z
        hs.append(h)
    z = hs[-1]
    e = np.exp(z - np.max(z.real, axis=1, keepdims=True))
    p = e / np.sum(e, axis=1, keepdims=True)
    n = x.shape[0]
    dz = p.copy()
    dz[np.arange(n), y] -= 1
    dz /= n
    grads = []
    for l in range(len(layers) - 1, -1, -1):
        w, _ = layers[l]
        grads.append((hs[l].T @ dz, dz.sum(axis=0)))
        if l > 0:
            dz = (dz @ w.T) * (1 - hs[l] ** 2)
    return np.concatenate([np.concatenate([gw.ravel(), gb]) for gw, gb in reversed(grads)])


def loss(theta, widths, x, y):
    z = logits(theta, widths, x)
    m = z.max(axis=1, keepdims=True)
    return float(np.mean(np.log(np.exp(z - m).sum(axis=1)) + m[:, 0] - z[np.arange(len(y)), y]))


def complex_step(f, theta, h=1e-30):
    cols = []
    for j in range(len(theta)):
        t = theta.astype(complex)
        t[j] += 1j * h
        cols.append(np.imag(f(t)) / h)
    return np.stack(cols, axis=-1)
