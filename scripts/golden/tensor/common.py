"""What the generators of this family share. Goldens for the tensor package: n-mode products X x_k A_k of a tensor with a matrix in every mode, and
the Tucker reconstruction G x_1 A_1 ... x_N A_N, all by numpy.einsum (sums in float64; inputs float32
values from the shared PRNG, so every product of two inputs is exact).
"""
import string
import numpy as np


def mode_product(x, a, k):
    idx = string.ascii_lowercase[:x.ndim]
    out = idx[:k] + 'z' + idx[k + 1:]
    return np.einsum(f'{idx},z{idx[k]}->{out}', x, a)
