/** The solvers family on every backend: S12's closed forms against exact rational goldens, and their identities. */
import { createRefBackend } from '@lowrank/backend-ref';
import { fillRandom, poisson2d } from '@lowrank/core';
import { familySuite } from '@lowrank/harness/vitest';
import { wlsClients } from './admm-fl.fixtures.ts';
import { sphereSubspaceProblem } from './eal-sketch.fixtures.ts';
import { labelPropagationLattice, localBlocks } from './forest-bcd.fixtures.ts';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  cases,
  claims,
  hyperGradient,
  LeastSquaresBcd,
  TsallisInf,
  SorSystem,
  ChebCb,
  chebyshevFeatures,
  PenaltyMethod,
  QuadraticBilevel,
  LinearFiniteSum,
  NonnegativeL1Bcd,
  nonnegativeQp,
  ForestBcd,
  forestSolve,
  greedyForest,
  redBlackBlocks,
  treePartitionBlocks,
  KktSketchSolver,
  adaSketchNewton,
  meritGradient,
  meritValue,
  newtonSystem,
  halpern,
  vrHalpern,
  FederatedWls,
  scheduleRound,
  ADMM_VARIANTS,
  type LogcoshBilevelData,
  type QuadraticBilevelData,
} from './index.ts';

const GOLDEN = fileURLToPath(new URL('../../../golden', import.meta.url));

describe('the penalty reformulation on a quadratic bilevel problem (reference backend)', () => {
  const be = createRefBackend();
  const d = 6,
    p = 4;
  const g = fillRandom({ seed: 8, stream: 0 }, 'normal', 'f64', d * d);
  const q = new Float64Array(d * d);
  for (let i = 0; i < d; i++)
    for (let j = 0; j < d; j++) {
      for (let k = 0; k < d; k++) q[i * d + j] += (g[i * d + k] * g[j * d + k]) / d;
      if (i === j) q[i * d + j] += 1;
    }
  const data: QuadraticBilevelData = {
    d,
    p,
    a: Float64Array.from(fillRandom({ seed: 8, stream: 1 }, 'normal', 'f64', d)),
    q,
    b: Float64Array.from(fillRandom({ seed: 8, stream: 2 }, 'normal', 'f64', d * p)),
    rho: 0.3,
  };
  const x = Float64Array.from(fillRandom({ seed: 8, stream: 3 }, 'normal', 'f64', p));

  it('ψ_σ ≤ F, both O(σ)-close with ∇ψ_σ → ∇F, and ∇ψ_σ is the derivative of ψ_σ', async () => {
    const problem = await QuadraticBilevel.create(be, 'f64', data);
    const hyper = await problem.hyper(x);
    const gaps: number[] = [],
      gradGaps: number[] = [];
    for (const sigma of [1e-2, 1e-3, 1e-4]) {
      const pen = await problem.penalty(x, sigma);
      expect(pen.value).toBeLessThanOrEqual(hyper.value);
      gaps.push(hyper.value - pen.value);
      gradGaps.push(Math.hypot(...pen.gradient.map((g, i) => g - hyper.gradient[i])));
    }
    // O(σ): ten times smaller per decade, in value and in gradient.
    for (const series of [gaps, gradGaps])
      for (const k of [0, 1]) {
        expect(series[k] / series[k + 1]).toBeGreaterThan(9);
        expect(series[k] / series[k + 1]).toBeLessThan(11);
      }
    const h = 1e-6,
      sigma = 0.05;
    const grad = (await problem.penalty(x, sigma)).gradient;
    for (let j = 0; j < p; j++) {
      const along = async (t: number) =>
        (
          await problem.penalty(
            x.map((v, i) => (i === j ? v + t : v)),
            sigma,
          )
        ).value;
      expect(grad[j]).toBeCloseTo(((await along(h)) - (await along(-h))) / (2 * h), 7);
    }
    problem.dispose();
  });

  it('names a bad σ, ρ or shape', async () => {
    const problem = await QuadraticBilevel.create(be, 'f64', data);
    await expect(problem.penalty(x, 0)).rejects.toThrow(/σ must be finite and > 0, got 0/);
    await expect(problem.penalty(x, NaN)).rejects.toThrow(/σ must be finite/);
    await expect(problem.hyper([1, 2])).rejects.toThrow(/x has 2 values, the upper level 4/);
    await expect(QuadraticBilevel.create(be, 'f64', { ...data, rho: -1 })).rejects.toThrow(/ρ must be finite and ≥ 0/);
    await expect(QuadraticBilevel.create(be, 'f64', { ...data, p: 5 })).rejects.toThrow(/a, Q, B must be 6, 6×6, 6×5/);
  });
});

describe('the first-order penalty method on a log cosh bilevel problem (reference backend)', () => {
  const be = createRefBackend();
  const d = 5,
    p = 3;
  const q = new Float64Array(d * d);
  for (let i = 0; i < d; i++) q[i * d + i] = 1 + i;
  const data: LogcoshBilevelData = {
    d,
    p,
    q,
    a: Float64Array.from(fillRandom({ seed: 9, stream: 1 }, 'normal', 'f64', d)),
    b: Float64Array.from(fillRandom({ seed: 9, stream: 2 }, 'normal', 'f64', d * p)),
    rho: 0.5,
    beta: 1,
    gamma: 1,
  };
  const x = Float64Array.from(fillRandom({ seed: 9, stream: 3 }, 'normal', 'f64', p));
  const options = { inner: 400, step: 0.1, lipschitzG: d + 1, lipschitzF: 1 };

  it("the referee's ∇F is the derivative of F = f(x, y*(x))", () => {
    const { gradient } = hyperGradient(data, x);
    const h = 1e-6;
    for (let j = 0; j < p; j++) {
      const along = (t: number) =>
        hyperGradient(
          data,
          x.map((v, i) => (i === j ? v + t : v)),
        ).value;
      expect(gradient[j]).toBeCloseTo((along(h) - along(-h)) / (2 * h), 7);
    }
  });

  it("the method's first-order direction converges to ∇F at O(σ), from gradients alone", async () => {
    const gaps: number[] = [];
    const exact = hyperGradient(data, x).gradient;
    for (const sigma of [1e-1, 1e-2, 1e-3]) {
      const method = await PenaltyMethod.create(be, 'f64', data, [x, x.map((v) => -v)], { ...options, sigma });
      const dir = (await be.download(await method.direction())).data;
      gaps.push(Math.hypot(...exact.map((g, j) => g - dir[j * 2])));
      method.dispose();
    }
    for (const k of [0, 1]) {
      expect(gaps[k] / gaps[k + 1]).toBeGreaterThan(8);
      expect(gaps[k] / gaps[k + 1]).toBeLessThan(12);
    }
  });

  it('counts 3T + 3 evaluations per outer step and names bad options', async () => {
    const method = await PenaltyMethod.create(be, 'f64', data, [x], { ...options, inner: 4, sigma: 1e-2 });
    await method.step();
    await method.step();
    expect(method.evaluations).toBe(2 * 15);
    method.dispose();
    const create = (o: object, starts: ArrayLike<number>[] = [x]) =>
      PenaltyMethod.create(be, 'f64', data, starts, { ...options, sigma: 1e-2, ...o });
    await expect(create({ sigma: 0 })).rejects.toThrow(/σ must be finite and > 0, got 0/);
    await expect(create({ inner: 0.5 })).rejects.toThrow(/inner steps must be an integer ≥ 1/);
    await expect(create({ step: NaN })).rejects.toThrow(/α must be finite and > 0/);
    await expect(create({}, [])).rejects.toThrow(/at least one starting point/);
    await expect(create({}, [[1, 2]])).rejects.toThrow(/starting point 0 has 2 values, the upper level 3/);
    expect(() => hyperGradient({ ...data, gamma: -1 }, x)).toThrow(/γ must be finite and ≥ 0/);
  });
});

describe('greedy block coordinate descent (reference backend)', () => {
  const be = createRefBackend();
  const n = 12,
    d = 6;
  const a = Float64Array.from(fillRandom({ seed: 10, stream: 0 }, 'normal', 'f64', n * d));
  const b = Float64Array.from(fillRandom({ seed: 10, stream: 1 }, 'normal', 'f64', n));

  it('a matrix update minimizes f over its block exactly, and its gain is ½·g_bᵀH_b⁻¹g_b', async () => {
    const bcd = await LeastSquaresBcd.create(be, 'f64', a, b, n, d, 3);
    const s = await bcd.step('gsq', 'matrix');
    const after = await bcd.objective();
    expect(s.objective - after.value).toBeCloseTo(s.guaranteed, 12);
    const blk = bcd.blocks[s.block];
    for (let i = 0; i < blk.size; i++) expect(Math.abs(after.gradient[blk.start + i])).toBeLessThan(1e-12);
    bcd.dispose();
  });

  it('names a block size that does not divide d, and a wrong x', async () => {
    await expect(LeastSquaresBcd.create(be, 'f64', a, b, n, d, 4)).rejects.toThrow(
      /block size must be an integer ≥ 1 dividing d = 6, got 4/,
    );
    await expect(LeastSquaresBcd.create(be, 'f64', a, b, n + 1, d, 3)).rejects.toThrow(/A must be 13×6 and b 13/);
    const bcd = await LeastSquaresBcd.create(be, 'f64', a, b, n, d, 3);
    expect(() => (bcd.x = [1, 2])).toThrow(/x has 2 values, the problem 6/);
    bcd.dispose();
  });
});

describe('Halpern iterations on a linear finite sum (reference backend)', () => {
  const be = createRefBackend();
  const n = 9,
    d = 4;
  const a = Float64Array.from(fillRandom({ seed: 17, stream: 0 }, 'normal', 'f64', n * d));
  const b = Float64Array.from(fillRandom({ seed: 17, stream: 1 }, 'normal', 'f64', n));
  const u = [0.5, -1, 2, 0.25],
    v = [1, 0, -0.5, 3];

  it('a batch of every index is the full difference, and calls are counted per component', async () => {
    const op = await LinearFiniteSum.create(be, 'f64', a, b, n, d, 2);
    const fu = await op.full(u),
      fv = await op.full(v);
    expect(op.calls).toBe(2 * n);
    const diff = await op.batchDifference(
      Array.from({ length: n }, (_, i) => i),
      u,
      v,
    );
    expect(op.calls).toBe(4 * n);
    diff.forEach((x, j) => expect(x).toBeCloseTo(fu[j] - fv[j], 12));
    // A repeated index counts (and weighs) twice: sampling is with replacement.
    const twice = await op.batchDifference([3, 3], u, v),
      once = await op.batchDifference([3], u, v);
    twice.forEach((x, j) => expect(x).toBeCloseTo(once[j], 14));
    op.dispose();
  });

  it('with p = 1 the variance-reduced iteration is the deterministic one, and both reach the tolerance', async () => {
    const op = await LinearFiniteSum.create(be, 'f64', a, b, n, d, 1);
    const lf = await op.operatorLipschitz();
    const det = await halpern(op, { eta: 1 / lf, tolerance: 1e-3, maxCalls: 1e7 });
    const vr = await vrHalpern(op, { eta: 1 / lf, tolerance: 1e-3, maxCalls: 1e7, p: 1, seed: 3 });
    expect(det.converged).toBe(true);
    expect(vr.residuals).toEqual(det.residuals);
    expect(vr.calls).toBe(det.calls);
    const r0 = det.residuals[0].norm;
    // The last-iterate guarantee: ‖F(u_k)‖ ≤ 2‖u₀ − u*‖/(η(k + 1)) ≤ 2·L_F‖u₀ − u*‖/(k + 1), read here as a decay.
    expect(det.residuals[det.residuals.length - 1].norm).toBeLessThanOrEqual(1e-3 * r0);
    const cut = await halpern(op, { eta: 1 / lf, tolerance: 1e-3, maxCalls: 1e7, maxIterations: 5 });
    expect(cut).toMatchObject({ converged: false, iterations: 5, calls: 6 * n });
    op.dispose();
  });

  it('names bad shapes and options', async () => {
    await expect(LinearFiniteSum.create(be, 'f64', a, b, n, d + 1, 1)).rejects.toThrow(/A must be 9×5 and b 9/);
    await expect(LinearFiniteSum.create(be, 'f64', a, b, n, d, 0)).rejects.toThrow(/constant L must be finite and > 0/);
    const op = await LinearFiniteSum.create(be, 'f64', a, b, n, d, 1);
    const ok = { eta: 1, tolerance: 1e-2, maxCalls: 1e6 };
    await expect(halpern(op, { ...ok, eta: -1 })).rejects.toThrow(/η must be finite and > 0/);
    await expect(halpern(op, { ...ok, tolerance: 1 })).rejects.toThrow(/tolerance must lie in \(0, 1\)/);
    await expect(halpern(op, { ...ok, maxCalls: 3 })).rejects.toThrow(/budget must cover one full evaluation/);
    await expect(halpern(op, { ...ok, u0: [1] })).rejects.toThrow(/u₀ has 1 values, the operator 4/);
    await expect(halpern(op, { ...ok, u0: [1, NaN, 0, 0] })).rejects.toThrow(/u₀ must be finite/);
    await expect(vrHalpern(op, { ...ok, seed: 0, batch: 0 })).rejects.toThrow(/batch size must be an integer ≥ 1/);
    await expect(vrHalpern(op, { ...ok, seed: 0, p: 0 })).rejects.toThrow(/probability must lie in \(0, 1\]/);
    await expect(op.batchDifference([], u, v)).rejects.toThrow(/at least one index/);
    await expect(op.batchDifference([n], u, v)).rejects.toThrow(/sparse pattern/);
    op.dispose();
  });
});

describe('AdaSketch-Newton (reference backend)', () => {
  const be = createRefBackend();
  const p = sphereSubspaceProblem(8, 2, 5);
  const x = Float64Array.from(fillRandom({ seed: 5, stream: 7 }, 'normal', 'f64', 8));
  const lambda = Float64Array.of(-2, 0.5, 0.25);

  it('the merit gradient is the derivative of the merit (central differences)', () => {
    const g = meritGradient(p, x, lambda, 2, 0.05);
    const z = [...x, ...lambda];
    z.forEach((v, i) => {
      const h = 1e-6 * Math.max(1, Math.abs(v));
      const at = (d: number) => {
        const w = Float64Array.from(z);
        w[i] += d;
        return meritValue(p, w.subarray(0, 8), w.subarray(8), 2, 0.05);
      };
      expect(g[i]).toBeCloseTo((at(h) - at(-h)) / (2 * h), 4);
    });
  });

  it('a sketch of every row is one exact projection; the solver names a bad block', async () => {
    const sys = await newtonSystem(be, 'f64', p, x, lambda);
    expect(sys.shift).toBeGreaterThan(0); // λ₀ = −2 makes ∇²ₓL indefinite on the null space of J
    const N = sys.rhs.length;
    const s = await KktSketchSolver.create(be, 'f64', sys.k, sys.rhs, N, 1);
    await s.step();
    expect(s.residual).toBeLessThan(1e-12 * Math.hypot(...sys.rhs) * 1e3);
    s.dispose();
    await expect(KktSketchSolver.create(be, 'f64', sys.k, sys.rhs, N + 1, 1)).rejects.toThrow(
      /sketch block must be an integer in \[1, 11\]/,
    );
  });

  it('converges from a random start and names a start of the wrong size and dependent constraints', async () => {
    const run = await adaSketchNewton(be, 'f64', p, x, new Float64Array(3), {
      accuracy: { kind: 'relative', theta: () => 0.1 },
      solver: 'sketch',
      block: 4,
      seed: 2,
    });
    expect(run.converged).toBe(true);
    expect(run.kkt[run.kkt.length - 1]).toBeLessThanOrEqual(1e-8);
    const opts = { accuracy: { kind: 'code' } as const, solver: 'exact' as const, seed: 0 };
    await expect(adaSketchNewton(be, 'f64', p, [1, 2], [0, 0, 0], opts)).rejects.toThrow(/x with 8 and λ with 3/);
    // At x = 0 the sphere's gradient 2x vanishes: λ_min(JJᵀ) = 0, outside the method's domain.
    await expect(adaSketchNewton(be, 'f64', p, new Float64Array(8), [0, 0, 0], opts)).rejects.toThrow(/LICQ/);
  });
});

describe('forest blocks by message passing (reference backend)', () => {
  const lp = labelPropagationLattice(6, 5, 4, 9);
  const n = lp.b.length;

  it('partitions the lattice into two forests and two independent sets, and solves a forest exactly', () => {
    for (const blocks of [treePartitionBlocks(6, 5), redBlackBlocks(6, 5)]) {
      const all = [...blocks[0], ...blocks[1]].sort((p, q) => p - q);
      expect(all).toEqual(Array.from({ length: 30 }, (_, i) => i));
    }
    for (const blk of localBlocks(treePartitionBlocks(6, 5), lp.unlabelled)) {
      const r = Array.from(blk, (_, k) => Math.sin(k + 1));
      const x = forestSolve(lp.matrix, blk, r);
      // A_bb·x = r, read from the pattern.
      const pos = new Map(Array.from(blk, (g, k) => [g, k] as const));
      const ax = new Float64Array(blk.length);
      const { pattern, vals } = lp.matrix;
      for (let e = 0; e < pattern.nnz; e++) {
        const i = pos.get(pattern.rows[e]),
          j = pos.get(pattern.cols[e]);
        if (i !== undefined && j !== undefined) ax[i] += vals[e] * x[j];
      }
      ax.forEach((v, k) => expect(v).toBeCloseTo(r[k], 9));
    }
  });

  it('a greedy forest is acyclic, and a block with a cycle is named', () => {
    const order = Array.from({ length: n }, (_, i) => i);
    const blk = greedyForest(lp.matrix, order);
    expect(blk.length).toBeGreaterThan(n / 2);
    expect(() => forestSolve(lp.matrix, blk, new Float64Array(blk.length))).not.toThrow();
    expect(() => forestSolve(lp.matrix, order, new Float64Array(n))).toThrow(/has a cycle through node/);
    expect(() => forestSolve(lp.matrix, [0], [1, 2])).toThrow(/1 block nodes but 2 right-hand sides/);
  });

  it('a block update minimizes f over its block', async () => {
    const bcd = await ForestBcd.create(createRefBackend(), 'f64', lp.matrix, lp.b);
    const blk = await bcd.step('tree-partition', localBlocks(treePartitionBlocks(6, 5), lp.unlabelled));
    const g = await bcd.gradient();
    for (const i of blk) expect(Math.abs(g[i])).toBeLessThan(1e-9 * Math.max(...Array.from(lp.b, Math.abs)));
    bcd.dispose();
  });
});

describe('non-negative ℓ₁ least squares (reference backend)', () => {
  it('the active-set QP meets the KKT conditions, and names a bad shape', () => {
    const k = 6;
    const m = Float64Array.from(fillRandom({ seed: 28, stream: 0 }, 'normal', 'f64', 9 * k));
    const h = new Float64Array(k * k);
    for (let i = 0; i < k; i++)
      for (let j = 0; j < k; j++) for (let r = 0; r < 9; r++) h[i * k + j] += m[r * k + i] * m[r * k + j];
    const q = Float64Array.from(fillRandom({ seed: 28, stream: 1 }, 'normal', 'f64', k));
    const x = nonnegativeQp(h, q, k);
    for (let i = 0; i < k; i++) {
      let g = q[i];
      for (let j = 0; j < k; j++) g += h[i * k + j] * x[j];
      expect(x[i]).toBeGreaterThanOrEqual(0);
      if (x[i] > 0) expect(Math.abs(g)).toBeLessThan(1e-12);
      else expect(g).toBeGreaterThan(-1e-12);
    }
    expect(() => nonnegativeQp(h, q, k + 1)).toThrow(/H must be 7×7 and q 7/);
  });

  it('names a bad λ, a zero column and a bad block size', async () => {
    const be = createRefBackend();
    const a = Float64Array.of(1, 0, 2, 0),
      b = Float64Array.of(1, 1);
    await expect(NonnegativeL1Bcd.create(be, 'f64', a, b, 2, 2, 0)).rejects.toThrow(/λ must be finite and > 0/);
    await expect(NonnegativeL1Bcd.create(be, 'f64', a, b, 2, 2, 1)).rejects.toThrow(/column 1 of A is zero/);
    const ok = await NonnegativeL1Bcd.create(be, 'f64', Float64Array.of(1, 1, 2, 0), b, 2, 2, 0.1);
    await expect(ok.step('exact', 3)).rejects.toThrow(/block size must be an integer in \[1, 2\]/);
    ok.dispose();
  });
});

describe('SOR iteration counts (reference backend)', () => {
  it('counts like one sweep at a time, and names a bad right-hand side, tolerance or cap', async () => {
    const be = createRefBackend();
    const system = await SorSystem.create(be, 'f64', poisson2d(4, 0.3));
    const b = Float64Array.from(fillRandom({ seed: 12, stream: 0 }, 'normal', 'f64', 16));
    // The chunked count equals the count with a residual check after every sweep.
    expect(await system.iterations(b, 1.3, 1e-10)).toBe(await system.iterations(b, 1.3, 1e-10, 10000, 1));
    expect(await system.iterations(b, 1.3, 1e-10, 3)).toBe(3);
    await expect(
      system.iterations(
        b.map((v, i) => (i === 5 ? Number.NaN : v)),
        1.3,
        1e-8,
      ),
    ).rejects.toThrow(/b\[5\] is NaN/);
    await expect(system.iterations(b.subarray(0, 4), 1.3, 1e-8)).rejects.toThrow(/b has 4 values, the system 16/);
    await expect(system.iterations(b, 1.3, 0)).rejects.toThrow(/tolerance must lie in \(0, 1\)/);
    await expect(system.iterations(new Float64Array(16), 1.3, 1e-8)).rejects.toThrow(/right-hand side is zero/);
    await expect(system.iterations(b, 2, 1e-8)).rejects.toThrow(/ω must lie in \(0, 2\)/);
    system.dispose();
  });
});

describe("ChebCB (the authors' rules)", () => {
  it('uses Chebyshev features and learns which arm is best for which context', () => {
    expect(Array.from(chebyshevFeatures(0.5, 4))).toEqual([1, 0.5, -0.5, -1]);
    const learner = new ChebCb([1, 2], 3, 0, 1, { seed: 5, stream: 0 });
    expect(() => learner.update(3)).toThrow(/update before predict/);
    // Arm 0 costs 10 below c = 0.5 and 100 above it; arm 1 the reverse.
    const cost = (arm: number, c: number) => (c < 0.5 === (arm === 0) ? 10 : 100);
    let late = 0;
    for (let t = 0; t < 600; t++) {
      const c = ((t * 0.618034) % 1) * 0.98 + 0.01;
      const arm = learner.predict(c);
      learner.update(cost(arm, c));
      if (t >= 400) late += cost(arm, c);
    }
    expect(late / 200).toBeLessThan(25);
    expect(() => new ChebCb([1], 3, 1, 1, { seed: 1, stream: 0 })).toThrow(/b > a/);
    expect(() => learner.predict(Number.NaN)).toThrow(/context must be finite/);
    learner.predict(0.5);
    expect(() => learner.update(Infinity)).toThrow(/cost must be finite/);
  });
});

describe("Tsallis-INF (the authors' rules)", () => {
  it('its distribution sums to one and moves away from an arm that keeps costing more', () => {
    const learner = new TsallisInf([1, 1.5, 1.9], { seed: 4, stream: 0 });
    expect(() => learner.update(10)).toThrow(/update before predict/);
    const first = learner.probabilities();
    expect(first.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    for (let t = 0; t < 300; t++) learner.update([400, 100, 50][learner.predict()]);
    const p = learner.probabilities();
    expect(p.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 9);
    expect(p[2]).toBeGreaterThan(0.8);
    expect(p[0]).toBeLessThan(0.05);
  });
});

describe('federated WLS by ADMM over noisy links (reference backend)', () => {
  const be = createRefBackend();
  const data = wlsClients(6, 5, 3, 11);

  it('w* solves the summed normal equations, and without noise every variant reaches it', async () => {
    const problem = await FederatedWls.create(be, 'f64', data, 1);
    const d = 3;
    const sumA = new Float64Array(d * d),
      sumB = new Float64Array(d);
    for (let r = 0; r < 6 * 5; r++)
      for (let i = 0; i < d; i++) {
        sumB[i] += data.x[r * d + i] * data.phi[r] * data.y[r];
        for (let j = 0; j < d; j++) sumA[i * d + j] += data.x[r * d + i] * data.phi[r] * data.x[r * d + j];
      }
    for (let i = 0; i < d; i++) {
      let s = -sumB[i];
      for (let j = 0; j < d; j++) s += sumA[i * d + j] * problem.wls[j];
      expect(Math.abs(s)).toBeLessThan(1e-12 * Math.hypot(...sumB));
    }
    const runs = await problem.simulate({ rounds: 400, scheduled: 2, sigma2: 0, seed: 5, variants: ADMM_VARIANTS });
    for (const r of runs) expect(r.msd[399]).toBeLessThan(1e-24);
  });

  it('with noise, eliminating the dual is lagged ADMM draw for draw, and ADMM with two downlinks differs', async () => {
    const problem = await FederatedWls.create(be, 'f64', data, 0.7);
    const [admm, lagged, eliminated] = await problem.simulate({
      rounds: 60,
      scheduled: 3,
      sigma2: 1e-2,
      seed: 8,
      variants: ['admm', 'lagged', 'eliminated'],
    });
    eliminated.models.forEach((z, i) => expect(z).toBeCloseTo(lagged.models[i], 12));
    const gap = Math.max(...admm.models.map((z, i) => Math.abs(z - lagged.models[i])));
    expect(gap).toBeGreaterThan(1e-3);
    // The noise reaches the model: the MSD does not fall below the uplink floor's order.
    expect(Math.min(...eliminated.msd.subarray(30))).toBeGreaterThan(1e-6);
  });

  it('schedules S distinct clients a round from the seed alone', () => {
    const a = scheduleRound(10, 4, 3, 7);
    expect(new Set(a).size).toBe(4);
    a.forEach((k) => expect(k >= 0 && k < 10).toBe(true));
    expect(scheduleRound(10, 4, 3, 7)).toEqual(a);
    expect(
      scheduleRound(10, 10, 3, 7)
        .slice()
        .sort((x, y) => x - y),
    ).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('names bad data and options', async () => {
    await expect(FederatedWls.create(be, 'f64', { ...data, d: 4 }, 1)).rejects.toThrow(/X must hold 6·5·4 values/);
    await expect(FederatedWls.create(be, 'f64', { ...data, clients: 0 }, 1)).rejects.toThrow(
      /clients must be an integer ≥ 1/,
    );
    const bad = Float64Array.from(data.phi);
    bad[3] = 0;
    await expect(FederatedWls.create(be, 'f64', { ...data, phi: bad }, 1)).rejects.toThrow(/weights Φ must be > 0/);
    const nan = Float64Array.from(data.y);
    nan[0] = NaN;
    await expect(FederatedWls.create(be, 'f64', { ...data, y: nan }, 1)).rejects.toThrow(/y has a non-finite value/);
    await expect(FederatedWls.create(be, 'f64', data, 0)).rejects.toThrow(/penalty ρ must be finite and > 0/);
    const problem = await FederatedWls.create(be, 'f64', data, 1);
    const ok = { rounds: 5, scheduled: 2, sigma2: 0, seed: 0, variants: ADMM_VARIANTS };
    await expect(problem.simulate({ ...ok, scheduled: 7 })).rejects.toThrow(/integer in \[1, 6\]/);
    await expect(problem.simulate({ ...ok, sigma2: -1 })).rejects.toThrow(/noise variance must be finite and ≥ 0/);
    await expect(problem.simulate({ ...ok, rounds: 0 })).rejects.toThrow(/rounds must be an integer ≥ 1/);
    await expect(problem.simulate({ ...ok, variants: ['admm', 'admm'] })).rejects.toThrow(/each ADMM variant once/);
    await expect(problem.simulate({ ...ok, variants: ['fedavg' as never] })).rejects.toThrow(
      /unknown ADMM variant 'fedavg'/,
    );
  });
});

await familySuite({ family: 'solvers', claims, cases, goldenRoot: GOLDEN, bench: { sizes: [8] } });
