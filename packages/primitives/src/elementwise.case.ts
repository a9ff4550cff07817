import {
  componentwiseRatio,
  defineCase,
  fillRandom,
  hostTensor,
  mismatches,
  ops,
  prose,
  streamCost,
  type BinaryOp,
  type ReduceAxis,
  type ReduceOp,
  type UnaryOp,
} from '@lowrank/core';
import { epsFor, get, put } from './io.ts';
import { vectorBench } from './level1.case.ts';

export const unaryCase = defineCase({
  id: 'primitives/unary',
  family: 'primitives',
  title: 'Elementwise unary maps (neg, abs, square, sqrt, exp, log, tanh, relu, reciprocal)',
  primitives: ['unary', 'random'],
  dtypes: ['f16', 'f32', 'f64'],
  verify: {
    golden: 'primitives/unary',
    reads: {
      params: { op: 'string' },
      inputs: ['x'],
      outputs: ['out'],
      conventions: 'op is a name of UNARY_OPS (core/primitives.ts)',
    },
    thresholds: {
      relative: {
        value: 4,
        why: prose`
          musl exp/log/tanh (AssemblyScript NativeMath) are < 2.5 ulp and the golden ≤ 1 ulp; the exactly rounded ops
          are ≤ ½ ulp; 1 ulp ≤ ε|y|
        `,
      },
    },
    async check(be, dtype, entry) {
      const op = entry.params.op as UnaryOp;
      const out = await get(be, await ops.unary(be, op, await put(be, dtype, entry.inputs.x)));
      const expected = entry.outputs.out.data;
      return { relative: componentwiseRatio(out, expected, expected.map(Math.abs), epsFor(be, dtype)) };
    },
  },
  bench: {
    params: (sizes) =>
      (sizes ?? [1 << 20]).flatMap((n) => [
        { n, op: 'exp' },
        { n, op: 'relu' },
      ]),
    cost: ({ n }, dtype) => streamCost(n, dtype, 1, 2),
    setup: (be, dtype, { n, op }) => vectorBench(be, dtype, n, 2, ([x, out]) => ops.unary(be, op as UnaryOp, x, out)),
  },
});

export const binaryCase = defineCase({
  id: 'primitives/binary',
  family: 'primitives',
  title: 'Elementwise binary maps (add, sub, mul, div, max, min)',
  primitives: ['binary', 'random'],
  dtypes: ['f16', 'f32', 'f64'],
  verify: {
    golden: 'primitives/binary',
    reads: {
      params: { op: 'string' },
      inputs: ['x', 'y'],
      outputs: ['out'],
      conventions: 'op is a name of BINARY_OPS (core/primitives.ts)',
    },
    thresholds: { relative: { value: 1, why: 'every op is exactly rounded: |ẑ − z| ≤ u|z| = ε|z|/2' } },
    overrides: [
      {
        metric: 'relative',
        backend: 'webgpu',
        dtype: 'f32',
        value: 2.5,
        why: prose`
          WGSL's accuracy table allows x / y an error of 2.5 ulp (NVIDIA's Vulkan driver divides by an approximate
          reciprocal: 1.07 ε|z| measured on an H100); 1 ulp ≤ ε|z|
        `,
      },
    ],
    async check(be, dtype, entry) {
      const op = entry.params.op as BinaryOp;
      const { x, y } = entry.inputs;
      const out = await get(be, await ops.binary(be, op, await put(be, dtype, x), await put(be, dtype, y)));
      const expected = entry.outputs.out.data;
      return { relative: componentwiseRatio(out, expected, expected.map(Math.abs), epsFor(be, dtype)) };
    },
  },
  bench: {
    params: (sizes) => (sizes ?? [1 << 20]).map((n) => ({ n })),
    cost: ({ n }, dtype) => streamCost(n, dtype, 1, 3),
    setup: (be, dtype, { n }) => vectorBench(be, dtype, n, 3, ([x, y, out]) => ops.binary(be, 'add', x, y, out)),
  },
});

export const reduceCase = defineCase({
  id: 'primitives/reduce',
  family: 'primitives',
  title: 'Row and column reductions (sum, sumsq, max, min, absmax)',
  primitives: ['reduce'],
  dtypes: ['f16', 'f32', 'f64'],
  verify: {
    golden: 'primitives/reduce',
    reads: {
      params: { op: 'string', axis: 'string' },
      inputs: ['x'],
      outputs: ['out'],
      conventions:
        "op is a name of REDUCE_OPS; axis 'rows' reduces each row of x (one value per row), 'cols' each column",
    },
    thresholds: {
      relative: {
        value: 30,
        why: "LAPACK's LIN threshold; a sum of n terms is within γ_{n}·Σ|terms|, extrema are exact",
      },
    },
    async check(be, dtype, entry) {
      const op = entry.params.op as ReduceOp;
      const axis = entry.params.axis as ReduceAxis;
      const x = entry.inputs.x;
      const [rows, cols] = x.shape;
      const out = await get(be, await ops.reduce(be, op, await put(be, dtype, x), axis));
      const [outer, inner] = axis === 'rows' ? [rows, cols] : [cols, rows];
      const scale = new Float64Array(outer);
      for (let o = 0; o < outer; o++) {
        let s = 0;
        for (let i = 0; i < inner; i++) {
          const v = axis === 'rows' ? x.data[o * cols + i] : x.data[i * cols + o];
          s += op === 'sumsq' ? v * v : Math.abs(v);
        }
        scale[o] = (inner + 2) * s;
      }
      return { relative: componentwiseRatio(out, entry.outputs.out.data, scale, epsFor(be, dtype)) };
    },
  },
  bench: {
    params: (sizes) =>
      (sizes ?? [1024]).flatMap((n) => [
        { n, axis: 'rows' },
        { n, axis: 'cols' },
      ]),
    cost: ({ n }, dtype) => streamCost(n * n, dtype, 1, 1),
    async setup(be, dtype, { n, axis }) {
      const x = await be.upload(hostTensor(dtype, [n, n], fillRandom({ seed: 4, stream: 0 }, 'normal', dtype, n * n)));
      return {
        run: async () => be.dispose(await ops.reduce(be, 'sum', x, axis as ReduceAxis)),
        dispose: () => be.dispose(x),
      };
    },
  },
});

export const transposeCase = defineCase({
  id: 'primitives/transpose',
  family: 'primitives',
  title: 'Out-of-place transpose',
  primitives: ['transpose'],
  dtypes: ['f16', 'f32', 'f64'],
  verify: {
    golden: 'primitives/transpose',
    reads: { params: {}, inputs: ['x'], outputs: ['out'], conventions: 'x is [rows, cols]; out its transpose' },
    thresholds: { mismatches: { value: 0, why: 'a transpose copies values: every element must match bit for bit' } },
    async check(be, dtype, entry) {
      const out = await ops.transpose(be, await put(be, dtype, entry.inputs.x));
      if (out.shape[0] !== entry.outputs.out.shape[0]) return { mismatches: Infinity };
      return { mismatches: mismatches(await get(be, out), entry.outputs.out.data) };
    },
  },
  bench: {
    params: (sizes) => (sizes ?? [1024]).map((n) => ({ n })),
    cost: ({ n }, dtype) => streamCost(n * n, dtype, 0, 2),
    async setup(be, dtype, { n }) {
      const x = await be.upload(hostTensor(dtype, [n, n], fillRandom({ seed: 5, stream: 0 }, 'normal', dtype, n * n)));
      return { run: async () => be.dispose(await ops.transpose(be, x)), dispose: () => be.dispose(x) };
    },
  },
});
