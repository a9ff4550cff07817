"""Goldens for the MLP autodiff package, by a different method than the package's.

For tanh MLPs with a softmax cross-entropy head (mean over N samples), numpy computes the loss and the
gradient (backpropagation written out), and then the Hessian by the complex step applied to that
gradient: H[:, j] = Im(grad(theta + i*h*e_j)) / h with h = 1e-30, exact to rounding because nothing is
subtracted (Squire & Trapp 1998) -- independent of the package's R-operator. The Gauss-Newton matrix
G = (1/N) sum_i J_i^T (diag(p_i) - p_i p_i^T) J_i uses the logits' Jacobian J by the same complex
step. Eigenvalues of H by LAPACK (numpy.linalg.eigvalsh, dsyevd).
"""
import os
import sys

import numpy as np

import lowrank_rng
from golden_store import GoldenCase, generated

SCRIPT = 'scripts/golden/mlp.py'


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


def hessian_case(root):
    g = GoldenCase(root, 'mlp', 'curvature', 'tanh MLP + softmax cross-entropy: loss, gradient (numpy backprop), Hessian and Gauss-Newton matrix by the complex step (h = 1e-30), eigenvalues of H by LAPACK dsyevd', SCRIPT)
    for j, (widths, n) in enumerate((((2, 3, 3, 2), 7), ((4, 3, 3), 5), ((3, 5, 4, 3), 11))):
        p = sum(a * b + b for a, b in zip(widths[:-1], widths[1:]))
        theta, rt = generated((p,), seed=9600 + j, stream=0, scale=0.7)
        x, rx = generated((n, widths[0]), seed=9600 + j, stream=1)
        y = np.floor(lowrank_rng.draw(9600 + j, 2, 'uniform', n) * widths[-1])
        yi = y.astype(int)
        grad = gradient(theta, widths, x, yi)
        hess = complex_step(lambda t: gradient(t, widths, x, yi), theta)
        hess = (hess + hess.T) / 2
        jac = complex_step(lambda t: logits(t, widths, x), theta)  # n x k x p
        z = logits(theta, widths, x)
        e = np.exp(z - z.max(axis=1, keepdims=True))
        probs = e / e.sum(axis=1, keepdims=True)
        gn = sum(jac[i].T @ (np.diag(probs[i]) - np.outer(probs[i], probs[i])) @ jac[i] for i in range(n)) / n
        g.add(f'w{"-".join(map(str, widths))}-n{n}', {'widths': list(widths), 'n': n, 'p': p},
              {'theta': (theta, rt), 'x': (x, rx), 'labels': (y, None)},
              {'loss': np.array([loss(theta, widths, x, yi)]), 'grad': grad, 'hessian': hess, 'gaussNewton': gn,
               'eigenvalues': np.linalg.eigvalsh(hess)[::-1].copy()})
    g.write()


if __name__ == '__main__':
    lowrank_rng.check_kat()
    root = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), '..', '..', 'golden')
    hessian_case(root)
