"""What the generators of this family share. Goldens for the foundation primitives, computed by numpy/scipy (OpenBLAS) and math.fsum.

Every input is float32-representable (drawn, then rounded), so one golden serves f32 and f64 backends,
and products of two inputs are exact in float64: dot and sum goldens by math.fsum are correctly rounded.
Shapes are the awkward ones: 1, 3, 17, 63, 129, tall, wide and empty. A second, smaller set of entries
has float16-representable inputs for backends that offer f16 (their seeds follow the f32 ones, so
adding them changed no earlier entry).
"""
import math
import numpy as np


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
