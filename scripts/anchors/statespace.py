"""numpy/scipy as a timing server for the state-space primitives' anchors (optional), the protocol of lapack.py.

benchmarks/src/statespace-anchors.ts interleaves these slices with ours. One thread (OPENBLAS_NUM_THREADS=1 before
numpy loads), the OpenBLAS kernel chosen by OPENBLAS_CORETYPE as lapack.py's. Cases, on the inputs our benchmarks
use (same sizes and distributions; the PRNG streams differ, which none of these algorithms' times depend on):
- 'geev N': scipy.linalg.eig of a Gaussian N×N (LAPACK dgeev: balancing, Hessenberg, QR, eigenvectors);
- 'expm N': scipy.linalg.expm of a Gaussian N×N scaled to ‖A‖₁ = 10 (Al-Mohy–Higham scaling and squaring);
- 'fft N×B': numpy.fft.fft over the last axis of B complex rows of length N (pocketfft, not BLAS);
- 'dct2 N×B': scipy.fft.dct(type=2, norm='ortho') of B rows of length N (pocketfft);
- 'kalman T×B': Kalman filter with Joseph update, log-likelihood and RTS smoother for B sequences of T steps of the
  Matérn-3/2 model our benchmark uses (m = 2, scalar observations), written in numpy vectorized over the batch and
  looping over time: the anchor a Python user has without a compiled filter (none ships with numpy/scipy).
"""
import os

os.environ['OPENBLAS_NUM_THREADS'] = '1'
import numpy as np  # noqa: E402
import scipy.fft  # noqa: E402
import scipy.linalg as sla  # noqa: E402
from server import serve  # noqa: E402


def matern32(steps, batch, rng):
    ell, dt = 0.3, 0.01
    lam = np.sqrt(3) / ell
    e = np.exp(-lam * dt)
    a1 = np.array([[e * (1 + lam * dt), e * dt], [-e * lam * lam * dt, e * (1 - lam * dt)]])
    pinf = np.diag([1.0, lam * lam])
    a = np.repeat(a1[None], steps, 0)
    q = np.repeat((pinf - a1 @ pinf @ a1.T)[None], steps, 0)
    a[0], q[0] = np.eye(2), 0
    return a, q, rng.standard_normal((batch, steps)), np.full((batch, steps), 25.0), pinf


def kalman(a, q, y, w, pinf):
    """Filter (Joseph form), log-likelihood and RTS smoother; h = e₁; batch vectorized, time looped."""
    batch, steps = y.shape
    m = np.zeros((batch, 2))
    p = np.repeat(pinf[None], batch, 0)
    mf, pf, mp, pp = (np.empty((steps, batch, 2)), np.empty((steps, batch, 2, 2)),
                      np.empty((steps, batch, 2)), np.empty((steps, batch, 2, 2)))
    ll = np.zeros(batch)
    for t in range(steps):
        m = m @ a[t].T
        p = a[t] @ p @ a[t].T + q[t]
        mp[t], pp[t] = m, p
        s = p[:, 0, 0] + 1 / w[:, t]
        k = p[:, :, 0] / s[:, None]
        r = y[:, t] - m[:, 0]
        m = m + k * r[:, None]
        ikh = np.repeat(np.eye(2)[None], batch, 0)
        ikh[:, :, 0] -= k
        p = ikh @ p @ ikh.transpose(0, 2, 1) + (k[:, :, None] * k[:, None, :]) / w[:, t, None, None]
        ll -= 0.5 * (np.log(2 * np.pi * s) + r * r / s)
        mf[t], pf[t] = m, p
    ms, ps = mf[-1].copy(), pf[-1].copy()
    for t in range(steps - 2, -1, -1):
        g = pf[t] @ a[t + 1].T @ np.linalg.inv(pp[t + 1])
        ms = mf[t] + np.einsum('bij,bj->bi', g, ms - mp[t + 1])
        ps = pf[t] + g @ (ps - pp[t + 1]) @ g.transpose(0, 2, 1)
    return ms, ps, ll


def build(label, rng):
    kind, size = label.split(' ')
    if kind in ('geev', 'expm'):
        n = int(size)
        x = rng.standard_normal((n, n))
        if kind == 'geev':
            return lambda: sla.eig(x)
        x *= 10 / np.abs(x).sum(0).max()
        return lambda: sla.expm(x)
    n, b = (int(v) for v in size.split('x'))
    if kind == 'fft':
        z = rng.standard_normal((b, n)) + 1j * rng.standard_normal((b, n))
        return lambda: np.fft.fft(z, axis=-1)
    if kind == 'dct2':
        x = rng.standard_normal((b, n))
        return lambda: scipy.fft.dct(x, type=2, norm='ortho', axis=-1)
    if kind == 'kalman':
        model = matern32(n, b, rng)
        return lambda: kalman(*model)
    raise KeyError(label)


rng = np.random.default_rng(1)
serve(lambda label: build(label, rng), 'geev N, expm N, fft NxB, dct2 NxB, kalman TxB')
