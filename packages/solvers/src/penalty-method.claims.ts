import { defineClaim, fillRandom, median, pointsFrom, prose } from '@lowrank/core';
import { matmul } from '@lowrank/linalg';
import { quadraticInstance } from './penalty-bilevel.fixtures.ts';
import {
  PenaltyMethod,
  evaluationsPerOuterStep,
  hyperGradient,
  type LogcoshBilevelData,
  type PenaltyMethodOptions,
} from './penalty-method.ts';

const traceKey = (sigma: number, evaluations: number) =>
  `σ=${sigma.toPrecision(1)}: median ‖∇F‖ after ${evaluations} evaluations`;
/** Outer steps at which the plot's trace is recorded: about 1.3× apart. */
const TRACE_AT = new Set(Array.from({ length: 40 }, (_, i) => Math.round(1.3 ** i)));
/** λ_min(Q): quadraticInstance's spectrum runs from 1 to κ, and ∇²ᵧᵧg ⪰ Q. */
const MU = 1;
const floorKey = (sigma: number) => `median final ‖∇F‖ at σ=${sigma.toPrecision(1)}`;

/** σ_max(B)² by power iteration on BᵀB (host, f64): the outer step's curvature bound needs it. */
function largestSingularValueSquared(b: Float64Array, d: number, p: number): number {
  let v = new Float64Array(p).fill(1 / Math.sqrt(p));
  let lambda = 0;
  for (let it = 0; it < 200; it++) {
    const w = matmul(b, d, p, matmul(b, d, p, v, p, 1), d, 1, true);
    lambda = Math.hypot(...w);
    v = w.map((x) => x / lambda);
  }
  return lambda;
}

/**
 * The method's constants from the instance, as its theory sets them: L_g = λ_max(Q) + γ and L_f = 1
 * (log cosh″ ≤ 1) for the inner steps, α = 1/(ρ + β + σ_max(B)²/λ_min(Q)) for the outer one (a bound on
 * ∇F's Lipschitz constant near the solution: ρ from the quadratic, β from −log cosh, σ_max(B)²/μ from y*'s
 * sensitivity H⁻¹B with H ⪰ Q).
 */
function constants(data: LogcoshBilevelData, cond: number, sigma: number, inner: number): PenaltyMethodOptions {
  const curvature = data.rho + data.beta + largestSingularValueSquared(data.b, data.d, data.p) / MU;
  return { sigma, inner, step: 1 / curvature, lipschitzG: cond + data.gamma, lipschitzF: 1 };
}

export const penaltyMethodClaim = defineClaim({
  id: 'solvers/penalty-bilevel/first-order',
  paper: 'S12',
  family: 'solvers',
  title: 'The first-order penalty method reaches ε-stationarity of F on a non-quadratic bilevel problem',
  statement: prose`
    With σ = O(ε), a method that calls only gradients of f and g — inner gradient loops for y_σ and y*, an outer
    gradient step on ψ_σ — finds an ε-stationary point of the hyper-objective F (Kwon et al., abstract: O(ε⁻³)
    oracle calls in the deterministic case), without the Hessian solves of implicit differentiation.
  `,
  paperNumbers: [
    {
      quantity: 'oracle complexity',
      value: 'O(ε⁻³) deterministic, O(ε⁻⁷) stochastic (O(ε⁻⁵) single-loop): theory only',
    },
    {
      quantity: 'pass rule (catalogue S12)',
      value: 'with σ = ε = 1e-3 the method reaches ‖∇F(x)‖ ≤ 10ε within 5·10⁴ gradient calls',
    },
  ],
  primitives: ['gemm', 'axpy', 'scal', 'binary', 'unary', 'random', 'qr'],
  dtypes: ['f64', 'f32'],
  experiment: {
    full: { d: 20, p: 20, cond: 10, starts: 8, seeds: [0, 1, 2], epsilon: 1e-3, coarse: 1e-2, inner: 10, budget: 5e4 },
    standard: {
      d: 20,
      p: 20,
      cond: 10,
      starts: 8,
      seeds: [0, 1, 2],
      epsilon: 1e-3,
      coarse: 1e-2,
      inner: 10,
      budget: 5e4,
    },
    reduced: { d: 6, p: 4, cond: 10, starts: 4, seeds: [0], epsilon: 1e-3, coarse: 1e-2, inner: 10, budget: 1e4 },
  },
  predicates: [
    {
      name: 'ε-stationary within the budget',
      kind: 'empirical',
      rule: 'every run (each seed, each start) reaches ‖∇F(x)‖ ≤ 10ε within the budget of gradient evaluations',
      holds: (m) => m['runs'] > 0 && m['runs reaching 10ε'] === m['runs'],
    },
    {
      name: 'the stationarity floor is O(σ)',
      kind: 'identity',
      rule: prose`
        where ∇ψ_σ = 0, ‖∇F‖ = ‖∇ψ_σ − ∇F‖ = O(σ): the median final ‖∇F‖ at σ = 10ε is 5 to 20 times the one at
        σ = ε
      `,
      holds: (m) => m['floor ratio'] >= 5 && m['floor ratio'] <= 20,
    },
  ],
  bands: {
    runs: [3.8, 4.2],
    'runs reaching 10ε': [3.8, 4.2],
    'floor ratio': [7.7, 13.5],
  },
  calibration: prose`
    The catalogue's quadratic instance made non-quadratic on both levels (penalty-method.ts: g gains γ·Σ log cosh y,
    so y* has no closed form; f is Σ log cosh(y − a) plus a double well per upper coordinate, β = 1 > ρ = 0.5, so F
    is not convex), not tuned to the method. Every run starts from 2·N(0, I). The referee is independent of the
    method: y* by Newton's method on the host in f64 and ∇F by the implicit-function theorem, evaluated after every
    outer step and not counted. A gradient evaluation is one ∇f or ∇g at one point (3T + 3 per outer step). The
    update rule is the deterministic form of the authors' F2SA with fixed inner counts (T = 10) and the step sizes
    of its theory (penalty-method.claims.ts): the paper's own schedule was not recoverable offline — the closest
    standard method, named. Regime: σ/μ = 1e-3 with μ = λ_min(Q) = 1 the lower level's strong-convexity modulus
    (∇²ᵧᵧg ⪰ Q); the floor is measured after the whole budget at σ = 10ε and σ = ε.
  `,
  plot(m) {
    return {
      title: 'Distance to stationarity of F against gradient evaluations (first seed, median over starts)',
      x: { name: 'gradient evaluations', log: true },
      y: { name: 'median ‖∇F(x)‖', log: true },
      series: [1e-2, 1e-3].map((sigma) => ({
        name: `σ = ${sigma}`,
        points: pointsFrom(m, new RegExp(`^σ=${sigma.toPrecision(1)}: median ‖∇F‖ after (\\d+) evaluations$`)),
      })),
      marks: [{ axis: 'y', at: 1e-2, label: '10ε (ε = 1e-3)' }],
    };
  },
  async run(be, dtype, e, ctx) {
    const measured: Record<string, number> = {};
    const reachedAt: number[] = [];
    const floors: Record<number, number[]> = { [e.coarse]: [], [e.epsilon]: [] };
    for (const seed of e.seeds) {
      const base = await quadraticInstance(be, dtype, e.d, e.p, e.cond, seed);
      const data: LogcoshBilevelData = { ...base, gamma: 1, beta: 1 };
      const starts = Array.from({ length: e.starts }, (_, k) =>
        Float64Array.from(fillRandom({ seed, stream: 200 + k }, 'normal', 'f64', e.p), (v) => 2 * v),
      );
      for (const sigma of [e.coarse, e.epsilon]) {
        await ctx.step(`seed ${seed}, σ = ${sigma}`);
        const method = await PenaltyMethod.create(be, dtype, data, starts, constants(data, e.cond, sigma, e.inner));
        const steps = Math.floor(e.budget / evaluationsPerOuterStep(e.inner));
        const first = new Array<number>(e.starts).fill(Infinity);
        let norms: number[] = [];
        try {
          for (let k = 1; k <= steps; k++) {
            await method.step();
            norms = (await method.points()).map((x) => Math.hypot(...hyperGradient(data, x).gradient));
            norms.forEach((g, r) => {
              if (first[r] === Infinity && g <= 10 * e.epsilon) first[r] = method.evaluations;
            });
            if (seed === e.seeds[0] && TRACE_AT.has(k)) measured[traceKey(sigma, method.evaluations)] = median(norms);
            if (k % 50 === 0) await ctx.step(`seed ${seed}, σ = ${sigma}: ${k}/${steps} outer steps`);
          }
        } finally {
          method.dispose();
        }
        floors[sigma].push(median(norms));
        if (sigma === e.epsilon) reachedAt.push(...first);
      }
    }
    const reached = reachedAt.filter(Number.isFinite);
    measured['runs'] = reachedAt.length;
    measured['runs reaching 10ε'] = reached.length;
    measured['evaluations to 10ε, median'] = reached.length > 0 ? median(reachedAt) : Infinity;
    measured['evaluations to 10ε, worst'] = Math.max(...reachedAt);
    measured[floorKey(e.coarse)] = median(floors[e.coarse]);
    measured[floorKey(e.epsilon)] = median(floors[e.epsilon]);
    measured['floor ratio'] = measured[floorKey(e.coarse)] / measured[floorKey(e.epsilon)];
    measured['σ/μ (regime)'] = e.epsilon / MU;
    return { measured, seeds: e.seeds };
  },
});
