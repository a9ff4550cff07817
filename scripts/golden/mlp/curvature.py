"""The mlp/curvature golden; the family's conventions are in common.py."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..'))

import numpy as np

import lowrank_rng
from golden_store import GoldenCase, generated
from common import logits, gradient, loss, complex_step

SCRIPT = 'scripts/golden/mlp/curvature.py'


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
    root = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', '..', 'golden')
    hessian_case(root)
