"""The solvers/greedy-bcd golden: S28's block Lipschitz constants, the least-squares solution and the first
iterations of greedy block coordinate descent, from numpy/LAPACK.

f(x) = ½‖Ax − b‖², blocks of s consecutive coordinates, H_b = A_bᵀA_b. L_b = λ_max(H_b) by numpy.linalg.eigvalsh
(LAPACK syevd); x* by numpy.linalg.lstsq (LAPACK gelsd, an SVD: independent of the library's Householder QR).
The iterations are written here from the rules' definitions, in f64, from x = 0: each takes g = Aᵀ(Ax − b),
selects a block (cyclic; GS argmax ‖g_b‖²; GSL argmax ‖g_b‖²/L_b; GSD argmax Σ g_i²/d_i with d the row sums of
|H_b|; GSQ argmax g_bᵀH_b⁻¹g_b; the first of equal scores) and updates x_b by g_b/L_b (Lipschitz), g_b/d
(diagonal) or H_b⁻¹g_b (matrix, numpy.linalg.solve). Columns are scaled by 10^U(−1, 1), so the L_b differ and the
rules disagree. Inputs are f32-representable (one golden serves both dtypes).
"""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..'))

import numpy as np

import lowrank_rng
from golden_store import GoldenCase, generated

SCRIPT = 'scripts/golden/solvers/greedy-bcd.py'

# (rule, update) pairs of the golden: each rule with the update it is derived for, and GS and cyclic with Lipschitz.
RUNS = [('cyclic', 'lipschitz'), ('gs', 'lipschitz'), ('gsl', 'lipschitz'), ('gsd', 'diagonal'), ('gsq', 'matrix'), ('gs', 'matrix')]


def blocks(a, s):
    d = a.shape[1]
    out = []
    for start in range(0, d, s):
        ab = a[:, start:start + s]
        h = ab.T @ ab
        out.append((start, h, np.linalg.eigvalsh(h)[-1], np.abs(h).sum(axis=1)))
    return out


def step(x, gb, blk, update):
    _, h, lip, diag = blk
    if update == 'lipschitz':
        return gb / lip
    if update == 'diagonal':
        return gb / diag
    return np.linalg.solve(h, gb)


def run(a, b, s, rule, update, iterations):
    bl = blocks(a, s)
    x = np.zeros(a.shape[1])
    chosen = []
    for t in range(iterations):
        g = a.T @ (a @ x - b)
        if rule == 'cyclic':
            k = t % len(bl)
        else:
            scores = []
            for blk in bl:
                gb = g[blk[0]:blk[0] + s]
                if rule == 'gs':
                    scores.append(gb @ gb)
                else:
                    u = {'gsl': 'lipschitz', 'gsd': 'diagonal', 'gsq': 'matrix'}[rule]
                    scores.append(gb @ step(x, gb, blk, u))
            k = int(np.argmax(scores))  # the first of equal maxima
        start = bl[k][0]
        x[start:start + s] -= step(x, g[start:start + s], bl[k], update)
        chosen.append(k)
    return np.array(chosen, dtype=np.float64), x


def bcd_case(root):
    g = GoldenCase(root, 'solvers', 'greedy-bcd', "S28's block Lipschitz constants, x* (lstsq) and the first greedy BCD iterations per rule (numpy/LAPACK)", SCRIPT)
    setups = [('n60-d12-s3', 60, 12, 3, 1600), ('n200-d40-s5', 200, 40, 5, 1601), ('n30-d30-s6', 30, 30, 6, 1602)]
    iterations = 8
    for name, n, d, s, seed in setups:
        scales = 10.0 ** (2 * lowrank_rng.draw(seed, 1, 'uniform', d) - 1)
        a = (lowrank_rng.draw(seed, 2, 'normal', n * d).reshape(n, d) * scales).astype(np.float32).astype(np.float64)
        b, rb = generated((n,), seed=seed, stream=3)
        bl = blocks(a, s)
        xstar = np.linalg.lstsq(a, b, rcond=None)[0]
        sv = np.linalg.svd(a, compute_uv=False)
        residual = np.linalg.norm(a @ xstar - b)
        outputs = {'lipschitz': np.array([blk[2] for blk in bl]), 'xStar': xstar}
        for rule, update in RUNS:
            chosen, x = run(a, b, s, rule, update, iterations)
            outputs[f'{rule}-{update}-blocks'] = chosen
            outputs[f'{rule}-{update}-x'] = x
        g.add(name, {'blockSize': s, 'iterations': iterations, 'cond': float(sv[0] / sv[-1]),
                     'normA': float(sv[0]), 'residual': float(residual)},
              {'a': (a, None), 'b': (b, rb)}, outputs)
    g.write()


if __name__ == '__main__':
    lowrank_rng.check_kat()
    root = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', '..', 'golden')
    bcd_case(root)
