"""The primitives/fft golden: numpy.fft (pocketfft, an independent implementation) on [batch, n] rows.

Lengths are powers of two from 1 to 4096 (the primitive's domain) with awkward batch counts; hard rows
are zero, constant (all energy in one bin), an impulse, the alternating Nyquist signal, a graded row
(2^-60j/n, f32-representable) and data scaled near the f32 and f64 range ends; the inverse follows numpy's 1/n convention.
"""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..'))

import numpy as np

import lowrank_rng
from golden_store import GoldenCase, generated

SCRIPT = 'scripts/golden/primitives/fft.py'
SHAPES = [(1, 1), (3, 2), (17, 4), (5, 8), (4, 64), (2, 1024), (1, 4096), (0, 8)]


def hard_rows(n):
    j = np.arange(n)
    return np.stack([np.zeros(n), np.full(n, 3.0), (j == 0) * 1.0, (-1.0) ** j, 2.0 ** np.floor(-60 * j / n)])


def add(g, name, re, im, inverse, re_recipe=None, im_recipe=None, dtypes=('f32', 'f64')):
    out = (np.fft.ifft if inverse else np.fft.fft)(re + 1j * im, axis=-1) if re.size else re + 0j
    g.add(name, {'inverse': inverse}, {'re': (re, re_recipe), 'im': (im, im_recipe)},
          {'outRe': out.real.copy(), 'outIm': out.imag.copy()}, dtypes)


def fft_case(root):
    g = GoldenCase(root, 'primitives', 'fft', 'complex FFT of each row (numpy.fft, pocketfft), forward and inverse', SCRIPT)
    for i, (b, n) in enumerate(SHAPES):
        re, rr = generated((b, n), seed=1000 + i, stream=0)
        im, ri = generated((b, n), seed=1000 + i, stream=1)
        for inverse in (False, True):
            add(g, f'{b}x{n}{"-inverse" if inverse else ""}', re, im, inverse, rr, ri)
    for n in (8, 256):
        rows = hard_rows(n)
        add(g, f'hard-{n}', rows, np.zeros_like(rows), False)
        add(g, f'hard-{n}-inverse', rows, rows[::-1].copy(), True)
    # Near the ends of each range: the transform is linear, so a scaled input must give a scaled output.
    for j, (scale, dtypes) in enumerate([(1e30, ('f32', 'f64')), (1e-30, ('f32', 'f64')), (1e300, ('f64',)), (1e-300, ('f64',))]):
        rnd = 'f32' if 'f32' in dtypes else 'f64'
        re, rr = generated((3, 256), seed=1050 + j, stream=0, scale=scale, round_to=rnd)
        im, ri = generated((3, 256), seed=1050 + j, stream=1, scale=scale, round_to=rnd)
        add(g, f'scaled-{scale:g}', re, im, False, rr, ri, dtypes)
    g.write()


if __name__ == '__main__':
    lowrank_rng.check_kat()
    root = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', '..', 'golden')
    fft_case(root)
