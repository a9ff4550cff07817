"""The primitives/sor golden: SOR and SSOR sweeps on sparse systems, written here from the definition.

For each row i in the sweep order, x_i ← (1 − ω)·x_i + ω·(b_i − Σ_{j≠i} a_ij·x_j)/a_ii with the newest x
(SSOR: each forward sweep followed by one in reverse order). A is assembled dense from the coordinates
(repeats summed, numpy.add.at) and each row's sum is math.fsum (correctly rounded): independent of the
library's CSR loops. The multicolor order is computed here too (greedy colouring of the symmetrized graph,
rows in index order, each the smallest colour no earlier neighbour has; rows grouped by colour in index
order) and stored, so the case checks core's sweepOrder against it and sweeps in the golden's order.
Matrices: the 5-point Laplacian plus a shift, upwind convection–diffusion (nonsymmetric), a random
diagonally dominant pattern with repeated entries, rows graded over 10^±30 (SOR is invariant under row
scaling), n = 1, zero data. Inputs are f32-representable.
"""
import math
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..'))

import numpy as np

import lowrank_rng
from golden_store import GoldenCase, generated

SCRIPT = 'scripts/golden/primitives/sor.py'


def stencil(n, centre, west, east, south, north):
    rows, cols, vals = [], [], []
    for y in range(n):
        for x in range(n):
            i = y * n + x
            for ok, j, v in ((y > 0, i - n, south), (x > 0, i - 1, west), (True, i, centre), (x < n - 1, i + 1, east), (y < n - 1, i + n, north)):
                if ok:
                    rows.append(i); cols.append(j); vals.append(v)
    return np.array(rows, float), np.array(cols, float), np.array(vals, float)


def colouring(n, rows, cols):
    nb = [set() for _ in range(n)]
    for i, j in zip(rows.astype(int), cols.astype(int)):
        if i != j:
            nb[i].add(j); nb[j].add(i)
    colour = [-1] * n
    for i in range(n):
        used = {colour[j] for j in nb[i]}
        c = 0
        while c in used:
            c += 1
        colour[i] = c
    k = max(colour) + 1 if n else 0
    order = [i for c in range(k) for i in range(n) if colour[i] == c]
    ptr = np.cumsum([0] + [colour.count(c) for c in range(k)])
    return np.array(order, float), np.array(ptr, float)


def sweep(a, b, x, omega, rows_in_order):
    for i in rows_in_order:
        s = math.fsum([b[i]] + [-a[i, j] * x[j] for j in range(len(x)) if j != i and a[i, j] != 0])
        x[i] = (1 - omega) * x[i] + omega * s / a[i, i]


def sor(n, rows, cols, vals, b, x0, omega, sweeps, symmetric, order):
    a = np.zeros((n, n))
    np.add.at(a, (rows.astype(int), cols.astype(int)), vals)
    x = x0.copy()
    order = [int(i) for i in order]
    for _ in range(sweeps):
        sweep(a, b, x, omega, order)
        if symmetric:
            sweep(a, b, x, omega, order[::-1])
    return x


def sor_case(root):
    g = GoldenCase(root, 'primitives', 'sor', 'SOR/SSOR sweeps on sparse systems in lexicographic and multicolor order (definition, math.fsum per row)', SCRIPT)
    f32 = lambda v: np.asarray(v, float).astype(np.float32).astype(np.float64)
    problems = []
    problems.append(('poisson6-c0.5', 36, *stencil(6, 4.5, -1, -1, -1, -1)))
    problems.append(('convdiff8-P2', 64, *stencil(8, 8.0, -3.0, -1, -3.0, -1)))
    # Random diagonally dominant with repeated entries (a diagonal entry split in two).
    n, nnz = 50, 300
    r = np.floor(lowrank_rng.draw(1700, 0, 'uniform', nnz) * n)
    c = np.floor(lowrank_rng.draw(1700, 1, 'uniform', nnz) * n)
    v = f32(lowrank_rng.draw(1700, 2, 'normal', nnz))
    dom = np.zeros(n)
    np.add.at(dom, r.astype(int), np.abs(v) * (r != c))
    rows = np.concatenate([r, np.arange(n), np.arange(n)])
    cols = np.concatenate([c, np.arange(n), np.arange(n)])
    vals = np.concatenate([v * (r != c), f32(dom / 2 + 0.75), f32(dom / 2 + 0.75)])
    problems.append(('random50-dup', n, rows, cols, vals))
    # The Laplacian with rows graded over 10^±30 (powers of two, so scaling is exact).
    rows5, cols5, vals5 = stencil(5, 4.0, -1, -1, -1, -1)
    scale = 2.0 ** np.round(np.log2(10.0 ** (60 * lowrank_rng.draw(1701, 0, 'uniform', 25) - 30)))
    problems.append(('poisson5-graded', 25, rows5, cols5, vals5 * scale[rows5.astype(int)]))
    problems.append(('n1', 1, np.array([0.0]), np.array([0.0]), np.array([3.0])))
    runs = [(1.5, 3, False), (1.0, 5, True), (1.95, 20, False), (0.8, 2, True)]
    for p, (name, n, rows, cols, vals) in enumerate(problems):
        b, rb = generated((n,), seed=1710 + p, stream=0)
        if name == 'poisson5-graded':
            b = b * scale
            rb = None
        x0, rx = generated((n,), seed=1710 + p, stream=1)
        for kind in ('lexicographic', 'multicolor'):
            order, ptr = (np.arange(n, dtype=float), np.arange(n + 1, dtype=float)) if kind == 'lexicographic' else colouring(n, rows, cols)
            for omega, sweeps, symmetric in runs:
                if name.startswith('convdiff') and omega > 1:
                    continue  # an M-matrix: SOR's guarantee is for ω ≤ 1
                x = sor(n, rows, cols, vals, b, x0, omega, sweeps, symmetric, order)
                g.add(f'{name}-{kind}-w{omega}-s{sweeps}{"-sym" if symmetric else ""}',
                      {'n': n, 'omega': omega, 'sweeps': sweeps, 'symmetric': symmetric, 'kind': kind, 'classes': len(ptr) - 1},
                      {'rows': (rows, None), 'cols': (cols, None), 'vals': (vals, None), 'b': (b, rb), 'x0': (x0, rx),
                       'order': (order, None), 'classPtr': (ptr, None)},
                      {'x': x})
    # Zero right-hand side and start: every sweep keeps x = 0.
    rows, cols, vals = stencil(4, 4.0, -1, -1, -1, -1)
    order, ptr = colouring(16, rows, cols)
    g.add('poisson4-zero-multicolor', {'n': 16, 'omega': 1.5, 'sweeps': 4, 'symmetric': False, 'kind': 'multicolor', 'classes': len(ptr) - 1},
          {'rows': (rows, None), 'cols': (cols, None), 'vals': (vals, None), 'b': (np.zeros(16), None), 'x0': (np.zeros(16), None),
           'order': (order, None), 'classPtr': (ptr, None)}, {'x': np.zeros(16)})
    g.write()


if __name__ == '__main__':
    lowrank_rng.check_kat()
    root = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', '..', 'golden')
    sor_case(root)
