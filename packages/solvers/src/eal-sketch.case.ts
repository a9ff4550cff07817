import { computeEps, defineCase, prose, scaledRatio } from '@lowrank/core';
import { diffNorm, frobenius } from '@lowrank/linalg';
import { logistic, sphereSubspace, sphereSubspaceProblem } from './eal-sketch.fixtures.ts';
import {
  KktSketchSolver,
  exactDirection,
  meritGradient,
  meritValue,
  newtonSystem,
  type EqualityProblem,
} from './eal-sketch.ts';

/** Host arithmetic (f64) reads its own ε whatever the backend computes in. */
const HOST_EPS = 2 ** -52;

export const ealSketchCase = defineCase({
  id: 'solvers/eal-sketch',
  family: 'solvers',
  paper: 'S38',
  title: "S38's exact augmented Lagrangian, its gradient, and the modified Newton–KKT direction (LU and sketched)",
  primitives: ['spmm', 'gemm', 'gemv', 'syev', 'lu', 'trsm'],
  dtypes: ['f32', 'f64'],
  verify: {
    golden: 'solvers/eal-sketch',
    reads: {
      params: { problem: 'string', eta1: 'number', eta2: 'number', cond: 'number', normK: 'number' },
      inputs: ['x', 'lambda', 'b?', 'a?', 'y?'],
      outputs: ['merit', 'meritGradient', 'shift', 'direction'],
      conventions: prose`
        problem 'sphere': f = Σ(x_i − 1)² + Σx_i⁴/4, c = [‖x‖² − 4; Bx] (input b, rows × n); 'logistic':
        f = (1/N)Σ log(1 + exp(−y_i a_iᵀw)), c = [1ᵀw − 1; ‖w‖² − 2] (inputs a, y). merit = f + λᵀc + (η₁/2)‖c‖² +
        (η₂/2)‖∇ₓL‖² and meritGradient = [∇ₓ; ∇_λ] of it at (x, λ); shift = t of B = ∇²ₓL + t·I; direction solves
        [B Jᵀ; J 0]·d = −[∇ₓL; c]; cond = κ₂(K), normK = ‖K‖₂
      `,
    },
    thresholds: {
      merit: {
        value: 30,
        why: 'host f64: |L̂ − L| / (N·ε·S), S the sum of the magnitudes of the merit’s four terms (a sum of N-term products)',
      },
      gradient: {
        value: 30,
        why: prose`
          host f64: ‖ĝ − g‖ / (N·ε·(‖∇ₓL‖(1 + η₂‖∇²ₓL‖_F) + η₁‖J‖_F‖c‖ + ‖c‖ + η₂‖J‖_F‖∇ₓL‖)), each term a
          product of N-term sums
        `,
      },
      shift: {
        value: 30,
        why: '|t̂ − t| / (N·ε·t), t = ξ_B + ‖∇²ₓL‖_F when the reduced Hessian is indefinite (0 = 0 otherwise)',
      },
      direction: {
        value: 30,
        why: prose`
          ‖d̂ − d‖ / (N·ε·κ₂(K)·‖d‖) for the LU solve (backward stable, Higham Thm 9.5) and for the sketched solve
          run to its rounding floor 4Nε(‖K‖_F‖z‖ + ‖b‖), whose forward error is at most κ₂(K)/‖K‖₂ times that
        `,
      },
    },
    async check(be, dtype, entry) {
      const eps = computeEps(be, dtype);
      const x = Float64Array.from(entry.inputs.x.data),
        lambda = Float64Array.from(entry.inputs.lambda.data);
      const { eta1, eta2, cond } = entry.params as Record<string, number>;
      const p: EqualityProblem =
        entry.params.problem === 'sphere'
          ? sphereSubspace(entry.inputs.b.data, entry.inputs.b.shape[0], x.length)
          : logistic(entry.inputs.a.data, entry.inputs.y.data, x.length, entry.inputs.a.shape[0]);
      const N = p.n + p.m;
      const o = entry.outputs;
      const sys = await newtonSystem(be, dtype, p, x, lambda);
      const gl = frobenius(sys.rhs.subarray(0, p.n)),
        c = frobenius(sys.rhs.subarray(p.n));
      const jac = frobenius(p.jacobian(x));
      const hl = frobenius(p.hessian(x).map((v, i) => v + p.constraintHessian(x, lambda)[i]));
      const value = meritValue(p, x, lambda, eta1, eta2);
      const size = Math.abs(p.value(x)) + Math.abs(lambda.reduce((s, l, i) => s + l * sys.rhs[p.n + i], 0));
      const merit = scaledRatio(
        Math.abs(value - o.merit.data[0]),
        N * HOST_EPS * (size + (eta1 / 2) * c * c + (eta2 / 2) * gl * gl),
      );
      const gradient = scaledRatio(
        diffNorm(meritGradient(p, x, lambda, eta1, eta2), o.meritGradient.data),
        N * HOST_EPS * (gl * (1 + eta2 * hl) + eta1 * jac * c + c + eta2 * jac * gl),
      );
      const t = o.shift.data[0];
      const shift = t === 0 ? (sys.shift === 0 ? 0 : Infinity) : scaledRatio(Math.abs(sys.shift - t), N * eps * t);
      const d = o.direction.data;
      const unit = N * eps * cond * frobenius(d);
      const lu = await exactDirection(be, dtype, sys.k, sys.rhs);
      const solver = await KktSketchSolver.create(be, dtype, sys.k, sys.rhs, Math.ceil(N / 2), 38);
      try {
        await solver.until(0, 20000);
        const direction = Math.max(scaledRatio(diffNorm(lu, d), unit), scaledRatio(diffNorm(solver.z, d), 8 * unit));
        return { merit, gradient, shift, direction };
      } finally {
        solver.dispose();
      }
    },
  },
  bench: {
    // One sketch step on the catalogue's KKT system (N = 56, block 10) and one LU solve of it.
    params: (sizes) => (sizes ?? [50]).map((n) => ({ n, rows: 5 })),
    cost: ({ n, rows }, dtype) => {
      const N = n + rows + 1;
      return { flops: 2 * N * N + 200 * N + (2 / 3) * N ** 3, bytes: 2 * N * N * (dtype === 'f64' ? 8 : 4) };
    },
    async setup(be, dtype, { n, rows }) {
      const p = sphereSubspaceProblem(n, rows, 38);
      const x = new Float64Array(n).fill(0.3),
        lambda = new Float64Array(rows + 1).fill(0.1);
      const sys = await newtonSystem(be, dtype, p, x, lambda);
      const solver = await KktSketchSolver.create(be, dtype, sys.k, sys.rhs, 10, 1);
      return {
        run: async () => {
          await solver.step();
          await exactDirection(be, dtype, sys.k, sys.rhs);
        },
        dispose: () => solver.dispose(),
      };
    },
  },
});
