import { choleskyCost, computeEps, defineCase, fillRandom, prose, scaledRatio } from '@lowrank/core';
import { diffNorm, frobenius } from '@lowrank/linalg';
import { QuadraticBilevel, type QuadraticBilevelData } from './penalty-bilevel.ts';

/** A benchmark instance: Q = GGᵀ/d + I (well conditioned), B and a Gaussian. */
function benchProblem(d: number): QuadraticBilevelData {
  const g = fillRandom({ seed: 31, stream: 0 }, 'normal', 'f64', d * d);
  const q = new Float64Array(d * d);
  for (let i = 0; i < d; i++)
    for (let j = 0; j < d; j++) {
      let s = 0;
      for (let k = 0; k < d; k++) s += g[i * d + k] * g[j * d + k];
      q[i * d + j] = s / d + (i === j ? 1 : 0);
    }
  const b = Float64Array.from(fillRandom({ seed: 31, stream: 1 }, 'normal', 'f64', d * d));
  return { d, p: d, a: Float64Array.from(fillRandom({ seed: 31, stream: 2 }, 'normal', 'f64', d)), q, b, rho: 0.5 };
}

export const penaltyBilevelCase = defineCase({
  id: 'solvers/penalty-bilevel',
  family: 'solvers',
  paper: 'S12',
  title: "S12's hyper-objective F and penalty ψ_σ with their gradients on quadratic bilevel problems",
  primitives: ['gemm', 'axpy', 'scal', 'nrm2', 'dot', 'cholesky', 'trsm'],
  dtypes: ['f32', 'f64'],
  verify: {
    golden: 'solvers/penalty-bilevel',
    reads: {
      params: { sigma: 'number', rho: 'number', cond: 'number' },
      inputs: ['a', 'q', 'b', 'x'],
      outputs: ['hyperValue', 'hyperGradient', 'penaltyValue', 'penaltyGradient'],
      conventions: prose`
        f = ½‖y − a‖² + (ρ/2)‖x‖², g = ½yᵀQy − yᵀBx; a d×1, Q d×d SPD, B d×p, x p×1; cond = κ₂(Q); the outputs are
        exact (rational arithmetic) rounded to f64
      `,
    },
    thresholds: {
      value: {
        value: 30,
        why: "LAPACK's LIN threshold on |v̂ − v| / ((d + κ)·ε·|v|): Cholesky solves are backward stable, forward error κ·ε",
      },
      gradient: {
        value: 30,
        why: prose`
          LAPACK's LIN threshold on ‖ĝ − g‖ / ((d + κ)·ε·(ρ‖x‖ + ‖g − ρx‖)): the two terms of ∇ = ρx − Bᵀw are summed
          after a solve with forward error κ·ε
        `,
      },
    },
    async check(be, dtype, entry) {
      const [d, p] = entry.inputs.b.shape;
      const { sigma, rho, cond } = entry.params as { sigma: number; rho: number; cond: number };
      const problem = await QuadraticBilevel.create(be, dtype, {
        d,
        p,
        a: Float64Array.from(entry.inputs.a.data),
        q: Float64Array.from(entry.inputs.q.data),
        b: Float64Array.from(entry.inputs.b.data),
        rho,
      });
      const x = entry.inputs.x.data;
      const eps = computeEps(be, dtype) * (d + cond);
      const o = entry.outputs;
      const gradScale = (g: ArrayLike<number>) =>
        rho * frobenius(x) +
        diffNorm(
          g,
          Array.from(x, (v) => rho * v),
        );
      const hyper = await problem.hyper(x);
      const pen = await problem.penalty(x, sigma);
      problem.dispose();
      return {
        value: Math.max(
          scaledRatio(Math.abs(hyper.value - o.hyperValue.data[0]), eps * Math.abs(o.hyperValue.data[0])),
          scaledRatio(Math.abs(pen.value - o.penaltyValue.data[0]), eps * Math.abs(o.penaltyValue.data[0])),
        ),
        gradient: Math.max(
          scaledRatio(diffNorm(hyper.gradient, o.hyperGradient.data), eps * gradScale(o.hyperGradient.data)),
          scaledRatio(diffNorm(pen.gradient, o.penaltyGradient.data), eps * gradScale(o.penaltyGradient.data)),
        ),
      };
    },
  },
  bench: {
    params: (sizes) => (sizes ?? [20, 200]).map((d) => ({ d })),
    // Two Cholesky factorizations (Q and σI + Q) dominate: d³/3 each.
    cost: ({ d }, dtype) => ({ flops: 2 * choleskyCost(d, dtype).flops + 8 * d * d, bytes: 8 * d * d * 3 }),
    async setup(be, dtype, { d }) {
      const problem = await QuadraticBilevel.create(be, dtype, benchProblem(d));
      const x = new Float64Array(d).fill(0.1);
      return { run: () => problem.penalty(x, 1e-3), dispose: () => problem.dispose() };
    },
  },
});
