"""Goldens for the foundation primitives, computed by numpy/scipy (OpenBLAS) and math.fsum.

Every input is float32-representable (drawn, then rounded), so one golden serves f32 and f64 backends,
and products of two inputs are exact in float64: dot and sum goldens by math.fsum are correctly rounded.
Shapes are the awkward ones: 1, 3, 17, 63, 129, tall, wide and empty. A second, smaller set of entries
has float16-representable inputs for backends that offer f16 (their seeds follow the f32 ones, so
adding them changed no earlier entry).
"""
import math
import os
import sys

import numpy as np

import lowrank_rng
from scipy.linalg import blas

from golden_store import GoldenCase, generated

SCRIPT = 'scripts/golden/primitives.py'
SHAPES = [(1, 1, 1), (3, 3, 3), (17, 63, 129), (63, 17, 3), (129, 129, 129), (257, 3, 17), (3, 257, 17),
          (0, 5, 3), (5, 0, 3), (5, 4, 0)]
SCALARS = [(1.0, 0.0), (1.5, 0.0), (-0.5, 2.0)]
F16_GEMM = [(17, 63, 129, False, False), (64, 64, 64, False, False), (3, 257, 17, True, False), (33, 9, 40, False, True), (8, 12, 4096, False, False)]
LENGTHS = [0, 1, 3, 17, 63, 129, 1000, 4099]
UNARY = ['neg', 'abs', 'square', 'sqrt', 'exp', 'log', 'tanh', 'relu', 'reciprocal']
BINARY = ['add', 'sub', 'mul', 'div', 'max', 'min']
REDUCE = ['sum', 'sumsq', 'max', 'min', 'absmax']


def op(x, trans):
    return x.T if trans else x


def gemm_case(root):
    g = GoldenCase(root, 'primitives', 'gemm', 'C = alpha op(A) op(B) + beta C by BLAS dgemm', SCRIPT)
    i = 0
    for (m, n, k) in SHAPES:
        for ta in (False, True):
            for tb in (False, True):
                alpha, beta = SCALARS[i % len(SCALARS)]
                a, ra = generated((k, m) if ta else (m, k), seed=100 + i, stream=0)
                b, rb = generated((n, k) if tb else (k, n), seed=100 + i, stream=1)
                c0, rc = generated((m, n), seed=100 + i, stream=2)
                if min(m, n, k) > 0:
                    c = blas.dgemm(alpha, a, b, beta, c0, trans_a=ta, trans_b=tb)
                else:
                    c = alpha * (op(a, ta) @ op(b, tb)) + beta * c0
                inputs = {'a': (a, ra), 'b': (b, rb)}
                if beta != 0:
                    inputs['c'] = (c0, rc)
                g.add(f'{"t" if ta else "n"}{"t" if tb else "n"}-{m}x{n}x{k}',
                      {'m': m, 'n': n, 'k': k, 'transA': ta, 'transB': tb, 'alpha': alpha, 'beta': beta}, inputs, {'c': c})
                i += 1
    for (m, n, k, ta, tb) in F16_GEMM:
        alpha, beta = SCALARS[i % len(SCALARS)]
        a, ra = generated((k, m) if ta else (m, k), seed=100 + i, stream=0, round_to='f16')
        b, rb = generated((n, k) if tb else (k, n), seed=100 + i, stream=1, round_to='f16')
        c0, rc = generated((m, n), seed=100 + i, stream=2, round_to='f16')
        c = alpha * (op(a, ta) @ op(b, tb)) + beta * c0
        inputs = {'a': (a, ra), 'b': (b, rb)}
        if beta != 0:
            inputs['c'] = (c0, rc)
        g.add(f'f16-{"t" if ta else "n"}{"t" if tb else "n"}-{m}x{n}x{k}',
              {'m': m, 'n': n, 'k': k, 'transA': ta, 'transB': tb, 'alpha': alpha, 'beta': beta}, inputs, {'c': c}, ('f16',))
        i += 1
    g.write()


def batched_gemm_case(root):
    g = GoldenCase(root, 'primitives', 'batchedGemm', 'a batch of independent GEMMs by numpy matmul (BLAS dgemm per slice)', SCRIPT)
    for i, (batch, m, n, k) in enumerate([(1, 1, 1, 1), (3, 4, 5, 6), (5, 17, 3, 9), (2, 33, 33, 33), (0, 3, 3, 3), (4, 8, 8, 0)]):
        for ta, tb in ((False, False), (True, True), (False, True)):
            a, ra = generated((batch, k, m) if ta else (batch, m, k), seed=200 + i, stream=0)
            b, rb = generated((batch, n, k) if tb else (batch, k, n), seed=200 + i, stream=1)
            c = np.matmul(np.swapaxes(a, 1, 2) if ta else a, np.swapaxes(b, 1, 2) if tb else b)
            g.add(f'{"t" if ta else "n"}{"t" if tb else "n"}-{batch}x{m}x{n}x{k}',
                  {'batch': batch, 'm': m, 'n': n, 'k': k, 'transA': ta, 'transB': tb, 'alpha': 1.0, 'beta': 0.0},
                  {'a': (a, ra), 'b': (b, rb)}, {'c': c})
    for j, (batch, m, n, k) in enumerate([(3, 4, 5, 6), (2, 33, 33, 32)]):
        a, ra = generated((batch, m, k), seed=290 + j, stream=0, round_to='f16')
        b, rb = generated((batch, k, n), seed=290 + j, stream=1, round_to='f16')
        g.add(f'f16-nn-{batch}x{m}x{n}x{k}', {'batch': batch, 'm': m, 'n': n, 'k': k, 'transA': False, 'transB': False, 'alpha': 1.0, 'beta': 0.0},
              {'a': (a, ra), 'b': (b, rb)}, {'c': np.matmul(a, b)}, ('f16',))
    g.write()


def gemv_case(root):
    g = GoldenCase(root, 'primitives', 'gemv', 'y = alpha op(A) x + beta y by BLAS dgemv', SCRIPT)
    i = 0
    for (m, n, _) in SHAPES:
        for trans in (False, True):
            alpha, beta = SCALARS[i % len(SCALARS)]
            a, ra = generated((m, n), seed=300 + i, stream=0)
            x, rx = generated((m if trans else n,), seed=300 + i, stream=1)
            y0, ry = generated((n if trans else m,), seed=300 + i, stream=2)
            y = blas.dgemv(alpha, a, x, beta, y0, trans=1 if trans else 0) if min(m, n) > 0 else alpha * (op(a, trans) @ x) + beta * y0
            inputs = {'a': (a, ra), 'x': (x, rx)}
            if beta != 0:
                inputs['y'] = (y0, ry)
            g.add(f'{"t" if trans else "n"}-{m}x{n}', {'m': m, 'n': n, 'trans': trans, 'alpha': alpha, 'beta': beta}, inputs, {'y': y})
            i += 1
    for (m, n, trans) in ((17, 63, False), (63, 17, True), (1, 129, False)):
        a, ra = generated((m, n), seed=300 + i, stream=0, round_to='f16')
        x, rx = generated((m if trans else n,), seed=300 + i, stream=1, round_to='f16')
        g.add(f'f16-{"t" if trans else "n"}-{m}x{n}', {'m': m, 'n': n, 'trans': trans, 'alpha': 1.0, 'beta': 0.0},
              {'a': (a, ra), 'x': (x, rx)}, {'y': op(a, trans) @ x}, ('f16',))
        i += 1
    g.write()


def level1_cases(root):
    dot = GoldenCase(root, 'primitives', 'dot', 'x^T y, correctly rounded by math.fsum (products of f32 values are exact in f64)', SCRIPT)
    axpy = GoldenCase(root, 'primitives', 'axpy', 'y = alpha x + y by BLAS daxpy', SCRIPT)
    scal = GoldenCase(root, 'primitives', 'scal', 'x = alpha x by BLAS dscal', SCRIPT)
    nrm2 = GoldenCase(root, 'primitives', 'nrm2', '||x||_2 by BLAS dnrm2, including data near overflow and underflow', SCRIPT)
    for i, n in enumerate(LENGTHS):
        x, rx = generated((n,), seed=400 + i, stream=0)
        y, ry = generated((n,), seed=400 + i, stream=1)
        dot.add(f'n{n}', {'n': n}, {'x': (x, rx), 'y': (y, ry)}, {'value': np.array([math.fsum(x * y)])})
        alpha = -1.25
        axpy.add(f'n{n}', {'n': n, 'alpha': alpha}, {'x': (x, rx), 'y': (y, ry)},
                 {'y': blas.daxpy(x, y.copy(), a=alpha) if n > 0 else y})
        scal.add(f'n{n}', {'n': n, 'alpha': alpha}, {'x': (x, rx)}, {'x': blas.dscal(alpha, x.copy()) if n > 0 else x})
        nrm2.add(f'n{n}', {'n': n}, {'x': (x, rx)}, {'value': np.array([blas.dnrm2(x) if n > 0 else 0.0])})
    # Where a naive sum of squares overflows or underflows: f64 only beyond the f32 range.
    for j, (scale, dtypes) in enumerate([(1e30, ('f32', 'f64')), (1e-30, ('f32', 'f64')), (1e200, ('f64',)), (1e-200, ('f64',))]):
        x, rx = generated((1000,), seed=450 + j, stream=0, scale=scale, round_to='f32' if 'f32' in dtypes else 'f64')
        nrm2.add(f'scaled-{scale:g}', {'n': 1000, 'scale': scale}, {'x': (x, rx)}, {'value': np.array([blas.dnrm2(x)])}, dtypes)
    for j, n in enumerate((17, 1000)):
        x, rx = generated((n,), seed=470 + j, stream=0, round_to='f16')
        y, ry = generated((n,), seed=470 + j, stream=1, round_to='f16')
        f16 = ('f16',)
        dot.add(f'f16-n{n}', {'n': n}, {'x': (x, rx), 'y': (y, ry)}, {'value': np.array([math.fsum(x * y)])}, f16)
        axpy.add(f'f16-n{n}', {'n': n, 'alpha': -1.25}, {'x': (x, rx), 'y': (y, ry)}, {'y': -1.25 * x + y}, f16)
        scal.add(f'f16-n{n}', {'n': n, 'alpha': -1.25}, {'x': (x, rx)}, {'x': -1.25 * x}, f16)
        nrm2.add(f'f16-n{n}', {'n': n}, {'x': (x, rx)}, {'value': np.array([blas.dnrm2(x)])}, f16)
    for c in (dot, axpy, scal, nrm2):
        c.write()


def elementwise_cases(root):
    un = GoldenCase(root, 'primitives', 'unary', 'elementwise maps by numpy ufuncs (float64)', SCRIPT)
    fns = {'neg': np.negative, 'abs': np.abs, 'square': np.square, 'sqrt': np.sqrt, 'exp': np.exp, 'log': np.log,
           'tanh': np.tanh, 'relu': lambda v: np.where(v < 0, 0.0, v), 'reciprocal': np.reciprocal}
    for i, name in enumerate(UNARY):
        for n in (1, 17, 1000):
            if name in ('sqrt', 'log'):
                x, rx = generated((n,), seed=500 + i, stream=n, dist='uniform', scale=10.0, shift=1e-3)
            else:
                x, rx = generated((n,), seed=500 + i, stream=n, scale=3.0)
            un.add(f'{name}-n{n}', {'op': name}, {'x': (x, rx)}, {'out': fns[name](x)})
        if name in ('sqrt', 'log'):
            x, rx = generated((257,), seed=550 + i, stream=0, dist='uniform', scale=10.0, shift=1e-3, round_to='f16')
        else:
            x, rx = generated((257,), seed=550 + i, stream=0, scale=3.0, round_to='f16')
        un.add(f'f16-{name}-n257', {'op': name}, {'x': (x, rx)}, {'out': fns[name](x)}, ('f16',))
    un.write()
    bi = GoldenCase(root, 'primitives', 'binary', 'elementwise binary maps by numpy ufuncs (float64)', SCRIPT)
    bfns = {'add': np.add, 'sub': np.subtract, 'mul': np.multiply, 'div': np.divide, 'max': np.maximum, 'min': np.minimum}
    for i, name in enumerate(BINARY):
        for n in (1, 17, 1000):
            x, rx = generated((n,), seed=600 + i, stream=0)
            y, ry = generated((n,), seed=600 + i, stream=1)
            bi.add(f'{name}-n{n}', {'op': name}, {'x': (x, rx), 'y': (y, ry)}, {'out': bfns[name](x, y)})
        x, rx = generated((257,), seed=650 + i, stream=0, round_to='f16')
        y, ry = generated((257,), seed=650 + i, stream=1, round_to='f16')
        bi.add(f'f16-{name}-n257', {'op': name}, {'x': (x, rx), 'y': (y, ry)}, {'out': bfns[name](x, y)}, ('f16',))
    bi.write()


def reduce_case(root):
    g = GoldenCase(root, 'primitives', 'reduce', 'row/column reductions: sums by math.fsum (correctly rounded), extrema by numpy', SCRIPT)
    for i, name in enumerate(REDUCE):
        for (r, c) in [(1, 1), (3, 17), (17, 3), (63, 129), (0, 5), (5, 0)]:
            for axis in ('rows', 'cols'):
                length = c if axis == 'rows' else r
                if length == 0 and name in ('max', 'min'):
                    continue  # no value: ops.reduce rejects it
                x, rx = generated((r, c), seed=700 + i, stream=r * 1000 + c)
                g.add(f'{name}-{axis}-{r}x{c}', {'op': name, 'axis': axis}, {'x': (x, rx)}, {'out': reduce_lines(name, x, axis)})
        for (r, c) in [(3, 17), (63, 129)]:
            for axis in ('rows', 'cols'):
                x, rx = generated((r, c), seed=750 + i, stream=r * 1000 + c, round_to='f16')
                g.add(f'f16-{name}-{axis}-{r}x{c}', {'op': name, 'axis': axis}, {'x': (x, rx)}, {'out': reduce_lines(name, x, axis)}, ('f16',))
    g.write()


def reduce_lines(name, x, axis):
    """Reference row or column reductions: sums by math.fsum (correctly rounded), extrema by numpy."""
    lines = x if axis == 'rows' else x.T
    if name == 'sum':
        out = [math.fsum(v) for v in lines]
    elif name == 'sumsq':
        out = [math.fsum(v * v) for v in lines]
    elif name == 'absmax':
        out = [np.max(np.abs(v)) if len(v) else 0.0 for v in lines]
    else:
        out = [getattr(np, name)(v) for v in lines]
    return np.array(out, dtype=np.float64).reshape(len(lines))


def transpose_case(root):
    g = GoldenCase(root, 'primitives', 'transpose', 'out-of-place transpose (numpy .T)', SCRIPT)
    for i, (r, c) in enumerate([(1, 1), (1, 17), (17, 1), (3, 257), (129, 63), (0, 4)]):
        x, rx = generated((r, c), seed=800 + i, stream=0)
        g.add(f'{r}x{c}', {}, {'x': (x, rx)}, {'out': np.ascontiguousarray(x.T)})
    for i, (r, c) in enumerate([(17, 3), (129, 63)]):
        x, rx = generated((r, c), seed=850 + i, stream=0, round_to='f16')
        g.add(f'f16-{r}x{c}', {}, {'x': (x, rx)}, {'out': np.ascontiguousarray(x.T)}, ('f16',))
    g.write()


def random_case(root):
    g = GoldenCase(root, 'primitives', 'random', 'the counter-based stream, drawn by scripts/golden/lowrank_rng.py (checked against the Random123 known answers)', SCRIPT)
    for dist in ('uniform', 'normal'):
        for (n, seed, stream, offset) in [(1, 0, 0, 0), (17, 1, 2, 0), (1000, 2**40 + 3, 2**32 - 1, 0), (257, 5, 6, 2**33 + 11)]:
            v = lowrank_rng.draw(seed, stream, dist, n, offset)
            g.add(f'{dist}-n{n}-s{seed}-t{stream}-o{offset}', {'dist': dist, 'n': n, 'seed': seed, 'stream': stream, 'offset': offset},
                  {}, {'out': v}, ('f16', 'f32', 'f64'))
    g.write()


def sddmm_case(root):
    g = GoldenCase(root, 'primitives', 'sddmm', 'out[e] = alpha * U[rows[e], :] . V[cols[e], :], each correctly rounded by math.fsum (products of f32 values are exact in f64)', SCRIPT)
    shapes = ((1, 1, 1, 1), (5, 7, 3, 40), (64, 48, 16, 500), (200, 150, 33, 3000), (10, 10, 4, 0), (1, 300, 129, 50))
    for i, (m, n, k, nnz) in enumerate(shapes):
        u, ru = generated((m, k), seed=600 + i, stream=0)
        v, rv = generated((n, k), seed=600 + i, stream=1)
        # Indices drawn uniformly (repeats allowed) and stored, not regenerated: they are integers, not draws.
        rows = np.floor(lowrank_rng.draw(600 + i, 2, 'uniform', nnz) * m)
        cols = np.floor(lowrank_rng.draw(600 + i, 3, 'uniform', nnz) * n)
        alpha = -0.5
        out = np.array([alpha * math.fsum(u[int(r)] * v[int(c)]) for r, c in zip(rows, cols)])
        g.add(f'{m}x{n}-k{k}-nnz{nnz}', {'m': m, 'n': n, 'k': k, 'nnz': nnz, 'alpha': alpha},
              {'u': (u, ru), 'v': (v, rv), 'rows': (rows, None), 'cols': (cols, None)}, {'out': out})
    for j, (m, n, k, nnz) in enumerate(((17, 9, 31, 60),)):
        u, ru = generated((m, k), seed=650 + j, stream=0, round_to='f16')
        v, rv = generated((n, k), seed=650 + j, stream=1, round_to='f16')
        rows = np.floor(lowrank_rng.draw(650 + j, 2, 'uniform', nnz) * m)
        cols = np.floor(lowrank_rng.draw(650 + j, 3, 'uniform', nnz) * n)
        out = np.array([math.fsum(u[int(r)] * v[int(c)]) for r, c in zip(rows, cols)])
        g.add(f'f16-{m}x{n}-k{k}-nnz{nnz}', {'m': m, 'n': n, 'k': k, 'nnz': nnz, 'alpha': 1.0},
              {'u': (u, ru), 'v': (v, rv), 'rows': (rows, None), 'cols': (cols, None)}, {'out': out}, ('f16',))
    g.write()


def spmm_case(root):
    g = GoldenCase(root, 'primitives', 'spmm', 'out = alpha S B for S sparse (values on a pattern, repeats summed), each element correctly rounded by math.fsum', SCRIPT)
    shapes = ((1, 1, 1, 1), (5, 7, 3, 40), (64, 48, 16, 500), (200, 150, 33, 3000), (10, 10, 4, 0), (300, 1, 129, 50))
    for i, (m, n, k, nnz) in enumerate(shapes):
        vals, rv = generated((nnz,), seed=700 + i, stream=0)
        b, rb = generated((n, k), seed=700 + i, stream=1)
        rows = np.floor(lowrank_rng.draw(700 + i, 2, 'uniform', nnz) * m)
        cols = np.floor(lowrank_rng.draw(700 + i, 3, 'uniform', nnz) * n)
        alpha = -0.5
        out = np.zeros((m, k))
        for r in range(m):
            mine = [e for e in range(nnz) if rows[e] == r]
            for col in range(k):
                out[r, col] = alpha * math.fsum(vals[e] * b[int(cols[e]), col] for e in mine)
        g.add(f'{m}x{n}-k{k}-nnz{nnz}', {'m': m, 'n': n, 'k': k, 'nnz': nnz, 'alpha': alpha},
              {'vals': (vals, rv), 'b': (b, rb), 'rows': (rows, None), 'cols': (cols, None)}, {'out': out})
    for j, (m, n, k, nnz) in enumerate(((9, 17, 31, 60),)):
        vals, rv = generated((nnz,), seed=750 + j, stream=0, round_to='f16')
        b, rb = generated((n, k), seed=750 + j, stream=1, round_to='f16')
        rows = np.floor(lowrank_rng.draw(750 + j, 2, 'uniform', nnz) * m)
        cols = np.floor(lowrank_rng.draw(750 + j, 3, 'uniform', nnz) * n)
        out = np.array([[math.fsum(vals[e] * b[int(cols[e]), col] for e in range(nnz) if rows[e] == r) for col in range(k)] for r in range(m)])
        g.add(f'f16-{m}x{n}-k{k}-nnz{nnz}', {'m': m, 'n': n, 'k': k, 'nnz': nnz, 'alpha': 1.0},
              {'vals': (vals, rv), 'b': (b, rb), 'rows': (rows, None), 'cols': (cols, None)}, {'out': out}, ('f16',))
    g.write()


if __name__ == '__main__':
    import lowrank_rng
    lowrank_rng.check_kat()
    root = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), '..', '..', 'golden')
    gemm_case(root)
    batched_gemm_case(root)
    gemv_case(root)
    level1_cases(root)
    elementwise_cases(root)
    reduce_case(root)
    transpose_case(root)
    random_case(root)
    sddmm_case(root)
    spmm_case(root)
