import { EPSILON, computeEps, defineCase, prose, scaledRatio } from '@lowrank/core';
import { diffNorm, frobenius } from '@lowrank/linalg';
import { maternSmooth } from './matern-gp.ts';
import { worstRatio } from './ratios.ts';
import { maternProcessNoise, maternSde, maternTransition, type MaternNu } from './matern.ts';

/** κ_F(P) = ‖P‖_F·‖P⁻¹‖_F of a small symmetric positive definite P, by Gauss–Jordan on the host. */
function conditionF(p: Float64Array, m: number): number {
  const a = Float64Array.from(p),
    inv = Float64Array.from({ length: m * m }, (_, i) => (i % (m + 1) === 0 ? 1 : 0));
  for (let c = 0; c < m; c++) {
    const d = a[c * m + c];
    for (let j = 0; j < m; j++) {
      a[c * m + j] /= d;
      inv[c * m + j] /= d;
    }
    for (let r = 0; r < m; r++) {
      if (r === c) continue;
      const f = a[r * m + c];
      for (let j = 0; j < m; j++) {
        a[r * m + j] -= f * a[c * m + j];
        inv[r * m + j] -= f * inv[c * m + j];
      }
    }
  }
  return frobenius(p) * frobenius(inv);
}

export const maternGpCase = defineCase({
  id: 'ssm/matern-gp',
  family: 'ssm',
  paper: 'S24',
  title: 'Matérn GP posterior by Kalman + RTS smoothing of the SDE, and its exact discretization',
  primitives: ['kalman'],
  dtypes: ['f32', 'f64'],
  verify: {
    golden: 'ssm/matern-gp',
    reads: {
      params: { nu: 'number', lengthscale: 'number', variance: 'number', condition: 'number' },
      inputs: ['x', 'y', 'w', 'dts'],
      outputs: ['mean', 'variance', 'logLik', 'transitions', 'processNoise'],
      conventions: prose`
        x (n, unsorted), y and w [batch, n] (w the observation precision, 0 unobserved); mean and variance of f at
        every coordinate and the log marginal likelihood by the dense posterior; transitions and processNoise [k, m, m]
        at the steps dts by Van Loan's expm; condition = κ₂(K_oo + diag(1/w))
      `,
    },
    thresholds: {
      posterior: {
        value: 30,
        why: prose`
          |m̂ − m| / (√n·m·ε·κ·(max|m| + σ)), |v̂ − v| / (√n·m·ε·κ·σ²) and |ℓ̂ − ℓ| / (√n·m·ε·κ·(|ℓ| + n)) with
          κ = κ_F(P∞): the primitive's bound for n steps of m×m updates (primitives/kalman), the prior's covariance
          setting how far a rounding moves a gain; the dense reference in f64 is far inside it (n·ε₆₄·κ(K_oo + Σ),
          recorded as 'condition')
        `,
      },
      discretization: {
        value: 30,
        why: prose`
          ‖Â − A‖_F / (m²·ε·(1 + λΔ)^{m−1}) and ‖Q̂ − Q‖_F / (m²·ε·‖P∞‖_F), in f64 on the host (ε of f64 whatever the
          backend): a degree-(m − 1) polynomial in λΔ times e^{−λΔ}, and integrals bounded by P∞; Van Loan's reference
          is accurate to e^{2λΔ}·ε, below the bound for λΔ ≤ 5
        `,
      },
    },
    async check(be, dtype, entry) {
      const p = entry.params as Record<string, number>;
      const sde = maternSde(p.nu as MaternNu, p.lengthscale, p.variance);
      const { x, y, w, dts } = entry.inputs;
      const [batch, n] = y.shape;
      const eps = computeEps(be, dtype),
        { m } = sde;
      const post = await maternSmooth(be, dtype, sde, x.data, y.data, w.data, batch);
      const o = entry.outputs;
      const unit = Math.sqrt(n) * m * eps * conditionF(sde.pinf, m);
      const meanScale = Math.max(...Array.from(o.mean.data, Math.abs)) + Math.sqrt(p.variance);
      const posterior = Math.max(
        worstRatio(post.mean, o.mean.data, () => unit * meanScale),
        worstRatio(post.variance, o.variance.data, () => unit * p.variance),
        worstRatio(post.logLik, o.logLik.data, (b) => unit * (Math.abs(o.logLik.data[b]) + n)),
      );
      let discretization = 0;
      const e64 = EPSILON.f64,
        pinf = frobenius(sde.pinf);
      for (let k = 0; k < dts.data.length; k++) {
        const dt = dts.data[k],
          at = k * m * m;
        const a = o.transitions.data.slice(at, at + m * m),
          q = o.processNoise.data.slice(at, at + m * m);
        discretization = Math.max(
          discretization,
          scaledRatio(diffNorm(maternTransition(sde, dt), a), m * m * e64 * (1 + sde.lambda * dt) ** (m - 1)),
          scaledRatio(diffNorm(maternProcessNoise(sde, dt), q), m * m * e64 * pinf),
        );
      }
      return { posterior, discretization };
    },
  },
  bench: {
    // Smoothing 8 sequences of n Matérn-3/2 observations (the SDE built on the host, the smoother on the backend).
    params: (sizes) => (sizes ?? [10_000, 100_000]).map((n) => ({ n, batch: 8 })),
    cost: ({ n, batch }, dtype) => ({ flops: batch * n * 100, bytes: batch * n * 8 * (dtype === 'f64' ? 8 : 4) }),
    async setup(be, dtype, { n, batch }) {
      const sde = maternSde(1.5, 0.5, 1);
      const x = Float64Array.from({ length: n }, (_, i) => i * 0.01 + 0.004 * Math.sin(i));
      const y = Float64Array.from({ length: batch * n }, (_, i) => Math.sin(0.013 * i));
      const w = new Float64Array(batch * n).fill(25);
      return {
        run: async () => {
          await maternSmooth(be, dtype, sde, x, y, w, batch);
        },
        dispose: () => {},
      };
    },
  },
});
