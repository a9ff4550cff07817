"""The counter-based PRNG of @lowrank/core (packages/core/src/rng), written again in numpy.

Philox4x32-10 (Salmon et al., SC'11) gives four u32 words per counter; uniform draws take 53 bits of
words 0-1, normal draws are Box-Muller with log and cos built from +, -, *, / in the same order and
with the same decimal coefficients as detmath.ts. numpy float64 arithmetic is IEEE 754 with no FMA
contraction, so every draw is bit-identical to the TypeScript and AssemblyScript ones.
"""
import numpy as np

MASK = np.uint64(0xFFFFFFFF)
M0, M1 = np.uint64(0xD2511F53), np.uint64(0xCD9E8D57)
W0, W1 = np.uint64(0x9E3779B9), np.uint64(0xBB67AE85)

ATANH = [1.0, 0.3333333333333333, 0.2, 0.14285714285714285, 0.1111111111111111, 0.09090909090909091,
         0.07692307692307693, 0.06666666666666667, 0.058823529411764705, 0.05263157894736842,
         0.047619047619047616, 0.043478260869565216, 0.04]
COS = [1.0, -0.5, 0.041666666666666664, -0.0013888888888888887, 2.4801587301587298e-05,
       -2.755731922398589e-07, 2.0876756987868096e-09, -1.1470745597729723e-11, 4.7794773323873846e-14,
       -1.5619206968586225e-16, 4.1103176233121644e-19, -8.896791392450572e-22, 1.6117375710961182e-24]
SIN = [1.0, -0.16666666666666666, 0.008333333333333333, -0.0001984126984126984, 2.7557319223985893e-06,
       -2.505210838544172e-08, 1.6059043836821616e-10, -7.647163731819817e-13, 2.811457254345521e-15,
       -8.220635246624331e-18, 1.9572941063391266e-20, -3.868170170630685e-23, 6.446950284384475e-26]
LN2_HI, LN2_LO = 0.6931471803691238, 1.9082149292705877e-10
SQRT2, TWO_PI = 1.4142135623730951, 6.283185307179586
TWO_POW_M53 = 2.0 ** -53


def philox4x32(c0, c1, c2, c3, k0, k1):
    """Vectorised Philox4x32-10 over arrays of u32 values held in uint64."""
    c0, c1, c2, c3 = (np.asarray(c, dtype=np.uint64) for c in (c0, c1, c2, c3))
    k0, k1 = np.uint64(k0), np.uint64(k1)
    for r in range(10):
        if r > 0:
            k0 = (k0 + W0) & MASK
            k1 = (k1 + W1) & MASK
        p0 = M0 * c0
        p1 = M1 * c2
        c0, c1, c2, c3 = (p1 >> np.uint64(32)) ^ c1 ^ k0, p1 & MASK, (p0 >> np.uint64(32)) ^ c3 ^ k1, p0 & MASK
    return c0, c1, c2, c3


def _horner(coeffs, z):
    p = np.full_like(z, coeffs[-1])
    for c in reversed(coeffs[:-1]):
        p = p * z + c
    return p


def det_log(x):
    bits = x.view(np.uint64)
    e = ((bits >> np.uint64(52)) & np.uint64(0x7FF)).astype(np.int64) - 1023
    m = ((bits & np.uint64(0x800FFFFFFFFFFFFF)) | np.uint64(0x3FF0000000000000)).view(np.float64)
    big = m > SQRT2
    m = np.where(big, m / 2, m)
    e = (e + big).astype(np.float64)
    s = (m - 1) / (m + 1)
    log_m = 2 * s * _horner(ATANH, s * s)
    return e * LN2_HI + (log_m + e * LN2_LO)


def det_cos_2pi(u):
    w = np.abs(u - 0.5)
    xc = TWO_PI * w
    xs = TWO_PI * (w - 0.25)
    return np.where(w <= 0.25, -_horner(COS, xc * xc), xs * _horner(SIN, xs * xs))


def _bits53(a, b):
    return ((a >> np.uint64(5)) * np.uint64(1 << 26) + (b >> np.uint64(6))).astype(np.float64)


def draw(seed, stream, dist, count, offset=0):
    """Elements [offset, offset+count) of stream (seed, stream) as float64."""
    idx = np.arange(offset, offset + count, dtype=np.uint64)
    w0, w1, w2, w3 = philox4x32(idx & MASK, idx >> np.uint64(32), np.full(count, stream, np.uint64),
                                np.zeros(count, np.uint64), seed & 0xFFFFFFFF, seed >> 32)
    if dist == 'uniform':
        return _bits53(w0, w1) * TWO_POW_M53
    u1 = (_bits53(w0, w1) + 1) * TWO_POW_M53
    u2 = _bits53(w2, w3) * TWO_POW_M53
    return np.sqrt(-2 * det_log(u1)) * det_cos_2pi(u2)


# Random123's published known-answer vectors for philox4x32-10: (counter, key, expected).
KAT = [
    ((0, 0, 0, 0), (0, 0), (0x6627E8D5, 0xE169C58D, 0xBC57AC4C, 0x9B00DBD8)),
    ((0xFFFFFFFF,) * 4, (0xFFFFFFFF,) * 2, (0x408F276D, 0x41C83B0E, 0xA20BC7C6, 0x6D5451FD)),
    ((0x243F6A88, 0x85A308D3, 0x13198A2E, 0x03707344), (0xA4093822, 0x299F31D0),
     (0xD16CFE09, 0x94FDCCEB, 0x5001E420, 0x24126EA1)),
]


def check_kat():
    for ctr, key, expected in KAT:
        got = tuple(int(w) for w in philox4x32(*(np.array([c], np.uint64) for c in ctr), *key))
        assert got == expected, f'philox KAT failed: {ctr} {key} -> {got}'


if __name__ == '__main__':
    check_kat()
    print('philox4x32-10 known answers: ok')
    print(repr(draw(7, 3, 'normal', 8).tolist()))
