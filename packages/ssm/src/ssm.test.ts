/** The state-space family: Matérn SDEs against their kernels, the smoother against the dense posterior. */
import { createRefBackend } from '@lowrank/backend-ref';
import { fillRandom, hostTensor } from '@lowrank/core';
import { familySuite } from '@lowrank/harness/vitest';
import { expm } from '@lowrank/linalg';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  MATERN_NUS,
  bilinearKernelDense,
  bilinearKernelDiagonal,
  cases,
  claims,
  denseGp,
  diagonalForm,
  fourierModeResponses,
  hippoLegS,
  imaginaryAxisGrid,
  lowerGammaRegularized,
  maternKernel,
  maternModel,
  maternProcessNoise,
  maternSde,
  maternSmooth,
  maternTransition,
  ptdPerturbation,
  spectralNorm,
  supGap,
  transferDense,
  transferDiagonal,
} from './index.ts';

const GOLDEN = fileURLToPath(new URL('../../../golden', import.meta.url));
const be = createRefBackend();

const maxAbs = (x: ArrayLike<number>, y: ArrayLike<number>) => Math.max(...Array.from(x, (v, i) => Math.abs(v - y[i])));

describe('Matérn SDEs', () => {
  it('P∞ solves the Lyapunov equation and e₁ᵀA(Δ)P∞e₁ is the kernel at Δ', () => {
    for (const nu of MATERN_NUS) {
      const sde = maternSde(nu, 0.7, 1.9);
      const { m, f, pinf, qc } = sde;
      for (let i = 0; i < m; i++)
        for (let j = 0; j < m; j++) {
          let s = i === m - 1 && j === m - 1 ? qc : 0;
          for (let k = 0; k < m; k++) s += f[i * m + k] * pinf[k * m + j] + pinf[i * m + k] * f[j * m + k];
          expect(Math.abs(s)).toBeLessThan(1e-12 * qc);
        }
      for (const dt of [0, 0.1, 0.9, 4]) {
        const a = maternTransition(sde, dt);
        let k = 0;
        for (let l = 0; l < m; l++) k += a[l] * pinf[l * m];
        expect(k).toBeCloseTo(maternKernel(sde, dt), 13);
      }
    }
  });

  it('A(Δ) is the backend expm of FΔ, and Q(Δ) = P∞ − A P∞ Aᵀ where that does not cancel', async () => {
    for (const nu of MATERN_NUS) {
      const sde = maternSde(nu, 1.3, 0.8);
      const { m } = sde;
      for (const dt of [0.01, 0.5, 2]) {
        const e = await expm(
          be,
          await be.upload(
            hostTensor(
              'f64',
              [m, m],
              sde.f.map((v) => v * dt),
            ),
          ),
        );
        expect(maxAbs(maternTransition(sde, dt), (await be.download(e.x)).data)).toBeLessThan(1e-13);
        const a = maternTransition(sde, dt);
        const apa = new Float64Array(m * m);
        for (let i = 0; i < m; i++)
          for (let j = 0; j < m; j++)
            for (let k = 0; k < m; k++)
              for (let l = 0; l < m; l++) apa[i * m + j] += a[i * m + k] * sde.pinf[k * m + l] * a[j * m + l];
        const q = maternProcessNoise(sde, dt);
        q.forEach((v, i) => expect(v).toBeCloseTo(sde.pinf[i] - apa[i], 10));
      }
      // Far apart: independent (A = 0, Q = P∞), without 0·∞ when e^{−λΔ} underflows.
      expect(maternTransition(sde, 1e6).every((v) => v === 0)).toBe(true);
      maternProcessNoise(sde, 1e6).forEach((v, i) => expect(v).toBeCloseTo(sde.pinf[i], 12));
    }
  });

  it('Q(Δ) stays positive semidefinite for clustered coordinates, where P∞ − A P∞ Aᵀ cancels', () => {
    const sde = maternSde(2.5, 1, 1);
    for (const dt of [1e-12, 1e-9, 1e-6]) {
      const q = maternProcessNoise(sde, dt);
      // The (m, m) entry is q_c·Δ·(1 − 3λΔ + …); the leading minors are positive.
      expect(q[8] / (sde.qc * dt * (1 - 3 * sde.lambda * dt))).toBeCloseTo(1, 8);
      expect(q[0] * q[4] - q[1] * q[3]).toBeGreaterThanOrEqual(0);
      expect(q[0]).toBeGreaterThan(0);
    }
  });

  it('the regularized incomplete gamma function is continuous where its two forms meet', () => {
    for (const x of [1e-8, 0.3, 2]) expect(lowerGammaRegularized(1, x)).toBeCloseTo(-Math.expm1(-x), 15);
    for (const n of [1, 3, 5]) {
      // Across the switch x = n + 1 the function moves by its density times the gap (< 0.2 × 2e-14).
      const below = lowerGammaRegularized(n, n + 1 - 1e-14),
        above = lowerGammaRegularized(n, n + 1 + 1e-14);
      expect(Math.abs(below - above)).toBeLessThan(1e-14);
    }
    expect(lowerGammaRegularized(2, 0)).toBe(0);
    expect(lowerGammaRegularized(5, 1e-3) / (1e-15 / 120)).toBeCloseTo(1, 2);
  });

  it('names bad parameters and data', async () => {
    expect(() => maternSde(3.5 as never, 1, 1)).toThrow(/ν ∈ \{½, 3\/2, 5\/2\}/);
    expect(() => maternSde(1.5, 0, 1)).toThrow(/lengthscale must be finite and > 0/);
    expect(() => maternModel(maternSde(1.5, 1, 1), [0, NaN])).toThrow(/coordinate 1 is not finite/);
    const sde = maternSde(0.5, 1, 1);
    await expect(maternSmooth(be, 'f64', sde, [0, 1], [1], [1, 1], 1)).rejects.toThrow(/y and w need 1×2 values/);
    await expect(maternSmooth(be, 'f64', sde, [0, 1], [1, 2], [1, -1], 1)).rejects.toThrow(/precisions must be ≥ 0/);
  });
});

describe('GP regression: the state-space smoother against the dense posterior (reference backend)', () => {
  it('agrees at observed and unobserved, unsorted and repeated coordinates, for every ν', async () => {
    const n = 60;
    const x = Float64Array.from(fillRandom({ seed: 31, stream: 0 }, 'uniform', 'f64', n), (u) => 6 * u);
    x[10] = x[11];
    const y = Float64Array.from(
      fillRandom({ seed: 31, stream: 1 }, 'normal', 'f64', n),
      (e, i) => Math.sin(x[i]) + 0.1 * e,
    );
    const w = Float64Array.from({ length: n }, (_, i) => (i % 5 === 0 ? 0 : 50));
    for (const nu of MATERN_NUS) {
      const sde = maternSde(nu, 0.9, 1.4);
      const ss = await maternSmooth(be, 'f64', sde, x, y, w, 1);
      const dense = await denseGp(be, 'f64', sde, x, y, w);
      expect(maxAbs(ss.mean, dense.mean)).toBeLessThan(1e-10);
      expect(maxAbs(ss.variance, dense.variance)).toBeLessThan(1e-10);
      expect(Math.abs(ss.logLik[0] - dense.logLik[0])).toBeLessThan(1e-9 * Math.abs(dense.logLik[0]));
    }
    // With nothing observed, the posterior is the prior.
    const prior = await maternSmooth(be, 'f64', maternSde(1.5, 1, 2), x, y, new Float64Array(n), 1);
    prior.variance.forEach((v) => expect(v).toBeCloseTo(2, 12));
    expect(prior.logLik[0]).toBe(0);
  });
});

describe('HiPPO-LegS and perturb-then-diagonalize (reference backend)', () => {
  it('A = A_N − PPᵀ with A_N normal, and A lower triangular with eigenvalues −1…−N', () => {
    const n = 12,
      h = hippoLegS(n);
    for (let i = 0; i < n; i++)
      for (let k = 0; k < n; k++) {
        expect(h.normal[i * n + k] - h.p[i] * h.p[k]).toBeCloseTo(h.a[i * n + k], 12);
        if (k > i) expect(h.a[i * n + k]).toBe(0);
        // A_N A_Nᵀ = A_Nᵀ A_N
        let l = 0,
          r = 0;
        for (let j = 0; j < n; j++) {
          l += h.normal[i * n + j] * h.normal[k * n + j];
          r += h.normal[j * n + i] * h.normal[j * n + k];
        }
        expect(Math.abs(l - r)).toBeLessThan(1e-12 * n * n);
      }
    expect(Array.from({ length: n }, (_, i) => h.a[i * n + i])).toEqual(Array.from({ length: n }, (_, i) => -(i + 1)));
    expect(() => hippoLegS(0)).toThrow(/positive integer/);
  });

  it("a well-conditioned system's diagonal form has its dense transfer function and kernel", async () => {
    const n = 6,
      h = hippoLegS(n);
    const c = Float64Array.from(fillRandom({ seed: 5, stream: 0 }, 'normal', 'f64', n));
    const w = imaginaryAxisGrid(-1, 3, 20);
    // A_N is normal: its eigenbasis is unitary and the two routes must agree to rounding.
    const d = await diagonalForm(be, 'f64', h.normal, n, h.b, c);
    expect(d.kappa).toBeCloseTo(1, 10);
    const dense = await transferDense(be, 'f64', h.normal, n, h.b, c, w);
    expect(supGap(transferDiagonal(d, w), dense)).toBeLessThan(1e-13);
    const kd = await bilinearKernelDense(be, 'f64', h.normal, n, h.b, c, 0.05, 64);
    expect(maxAbs(bilinearKernelDiagonal(d, 0.05, 64), kd)).toBeLessThan(1e-13);
    await expect(transferDense(be, 'f64', h.normal, n, h.b, c.subarray(1), w)).rejects.toThrow(/B, C of length 6/);
  });

  it('PTD keeps ‖E‖₂ = ε, never raises κ above its best draw, and lands within O(ε) of HiPPO', async () => {
    const n = 10,
      h = hippoLegS(n),
      eps = 1e-2;
    const p = await ptdPerturbation(be, 'f64', h.a, n, { epsilon: eps, candidates: 3, iterations: 5, seed: 1 });
    expect(await spectralNorm(be, 'f64', p.e, n)).toBeCloseTo(eps, 12);
    expect(p.kappa).toBeLessThanOrEqual(p.bestDraw.kappa);
    expect(p.bestDraw.kappa).toBeLessThanOrEqual(p.firstDraw.kappa);
    const c = Float64Array.from({ length: n }, (_, i) => (i % 3) - 1);
    const w = imaginaryAxisGrid(-2, 4, 30);
    const g = await transferDense(be, 'f64', h.a, n, h.b, c, w);
    const d = await diagonalForm(
      be,
      'f64',
      Float64Array.from(h.a, (v, i) => v + p.e[i]),
      n,
      h.b,
      c,
    );
    const gap = supGap(transferDiagonal(d, w), g);
    expect(gap).toBeGreaterThan(0);
    expect(gap).toBeLessThan((2 * Math.log(n) + 4) * eps);
    await expect(
      ptdPerturbation(be, 'f64', h.a, n, { epsilon: 0, candidates: 1, iterations: 0, seed: 0 }),
    ).rejects.toThrow(/ε > 0/);
  });

  it('Fourier-mode responses are the causal convolution, computed directly', async () => {
    const length = 32,
      thetas = [0.3, 2.5];
    const kernel = Float64Array.from({ length }, (_, k) => 0.9 ** k * Math.cos(0.7 * k));
    const [got] = await fourierModeResponses(be, 'f64', [kernel], thetas, length);
    thetas.forEach((t, m) => {
      let peak = 0;
      for (let k = 0; k < length; k++) {
        let y = 0;
        for (let j = 0; j <= k; j++) y += kernel[j] * Math.sin(t * (k - j));
        peak = Math.max(peak, Math.abs(y));
      }
      expect(got[m]).toBeCloseTo(peak, 12);
    });
    await expect(fourierModeResponses(be, 'f64', [kernel.subarray(1)], thetas, length)).rejects.toThrow(/length 32/);
  });
});

await familySuite({ family: 'ssm', claims, cases, goldenRoot: GOLDEN, bench: { sizes: [64] } });
