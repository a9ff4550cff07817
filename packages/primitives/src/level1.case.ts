import {
  componentwiseRatio,
  defineCase,
  ops,
  streamCost,
  type Backend,
  type BenchInstance,
  type DeviceTensor,
  type DType,
} from '@lowrank/core';
import { epsFor, get, num, put } from './io.ts';

const DEFAULT_LENGTHS = [1 << 16, 1 << 20];

/**
 * A benchmark over `count` random vectors of length n (inputs and preallocated outputs), timing `op` on
 * them. The vectors are drawn on the backend (`random`, bit-identical to the host's stream): the
 * peaks' 2²³-element AXPY spent 2 s a dtype filling them in JavaScript.
 */
export async function vectorBench(
  be: Backend,
  dtype: DType,
  n: number,
  count: number,
  op: (v: DeviceTensor[]) => Promise<unknown>,
): Promise<BenchInstance> {
  const vs: DeviceTensor[] = [];
  for (let s = 0; s < count; s++) vs.push(await ops.random(be, dtype, [n], { dist: 'normal', seed: 3, stream: s }));
  return { run: () => op(vs), dispose: () => vs.forEach((t) => be.dispose(t)) };
}

const params = (sizes?: readonly number[]) => (sizes ?? DEFAULT_LENGTHS).map((n) => ({ n }));

function sumAbsProducts(x: ArrayLike<number>, y: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += Math.abs(x[i] * y[i]);
  return s;
}

export const dotCase = defineCase({
  id: 'primitives/dot',
  family: 'primitives',
  title: 'Dot product xᵀy',
  primitives: ['dot', 'random'],
  dtypes: ['f16', 'f32', 'f64'],
  verify: {
    golden: 'primitives/dot',
    reads: {
      params: {},
      inputs: ['x', 'y'],
      outputs: ['value'],
      conventions: 'value is a 1-element array: the correctly rounded sum (math.fsum)',
    },
    thresholds: {
      relative: { value: 30, why: "LAPACK's LIN threshold; |d̂ − d| ≤ γ_{n+2}·Σ|x_i y_i| gives a ratio ≤ 1" },
    },
    async check(be, dtype, entry) {
      const { x, y } = entry.inputs;
      const d = await ops.dot(be, await put(be, dtype, x), await put(be, dtype, y));
      const scale = (x.data.length + 2) * sumAbsProducts(x.data, y.data);
      return { relative: componentwiseRatio([d], entry.outputs.value.data, scale, epsFor(be, dtype)) };
    },
  },
  bench: {
    params,
    cost: ({ n }, dtype) => streamCost(n, dtype, 2, 2),
    setup: (be, dtype, { n }) => vectorBench(be, dtype, n, 2, ([x, y]) => ops.dot(be, x, y)),
  },
});

export const axpyCase = defineCase({
  id: 'primitives/axpy',
  family: 'primitives',
  title: 'AXPY, y ← α·x + y',
  primitives: ['axpy', 'random'],
  dtypes: ['f16', 'f32', 'f64'],
  verify: {
    golden: 'primitives/axpy',
    reads: { params: { alpha: 'number' }, inputs: ['x', 'y'], outputs: ['y'], conventions: 'y ← α·x + y' },
    thresholds: {
      componentwise: {
        value: 4,
        why: 'two roundings per element: |ŷ − y| ≤ 2u(|αx| + |y|) = ε(|αx| + |y|), plus the golden’s own rounding',
      },
    },
    async check(be, dtype, entry) {
      const alpha = num(entry.params, 'alpha');
      const { x, y } = entry.inputs;
      const out = await get(be, await ops.axpy(be, alpha, await put(be, dtype, x), await put(be, dtype, y)));
      const scale = x.data.map((v, i) => Math.abs(alpha * v) + Math.abs(y.data[i]));
      return { componentwise: componentwiseRatio(out, entry.outputs.y.data, scale, epsFor(be, dtype)) };
    },
  },
  bench: {
    params,
    cost: ({ n }, dtype) => streamCost(n, dtype, 2, 3),
    setup: (be, dtype, { n }) => vectorBench(be, dtype, n, 2, ([x, y]) => ops.axpy(be, 1e-9, x, y)),
  },
});

export const scalCase = defineCase({
  id: 'primitives/scal',
  family: 'primitives',
  title: 'SCAL, x ← α·x',
  primitives: ['scal', 'random'],
  dtypes: ['f16', 'f32', 'f64'],
  verify: {
    golden: 'primitives/scal',
    reads: { params: { alpha: 'number' }, inputs: ['x'], outputs: ['x'], conventions: 'x ← α·x' },
    thresholds: {
      componentwise: { value: 1, why: 'one exactly rounded product per element: |x̂ − x| ≤ u|αx| = ε|αx|/2' },
    },
    async check(be, dtype, entry) {
      const alpha = num(entry.params, 'alpha');
      const { x } = entry.inputs;
      const out = await get(be, await ops.scal(be, alpha, await put(be, dtype, x)));
      return {
        componentwise: componentwiseRatio(
          out,
          entry.outputs.x.data,
          x.data.map((v) => Math.abs(alpha * v)),
          epsFor(be, dtype),
        ),
      };
    },
  },
  bench: {
    params,
    cost: ({ n }, dtype) => streamCost(n, dtype, 1, 2),
    setup: (be, dtype, { n }) => vectorBench(be, dtype, n, 1, ([x]) => ops.scal(be, 1, x)),
  },
});

export const nrm2Case = defineCase({
  id: 'primitives/nrm2',
  family: 'primitives',
  title: 'Euclidean norm ‖x‖₂, safe from overflow and underflow',
  primitives: ['nrm2', 'random'],
  dtypes: ['f16', 'f32', 'f64'],
  verify: {
    golden: 'primitives/nrm2',
    reads: { params: {}, inputs: ['x'], outputs: ['value'], conventions: 'value is a 1-element array ‖x‖₂' },
    thresholds: {
      relative: {
        value: 30,
        why: "LAPACK's LIN threshold on |‖x‖̂ − ‖x‖| / ((n+2)·ε·‖x‖); a scaled sum of squares is within (n/2 + 2)u",
      },
    },
    async check(be, dtype, entry) {
      const { x } = entry.inputs;
      const v = await ops.nrm2(be, await put(be, dtype, x));
      const expected = entry.outputs.value.data[0];
      return { relative: componentwiseRatio([v], [expected], (x.data.length + 2) * expected, epsFor(be, dtype)) };
    },
  },
  bench: {
    params,
    cost: ({ n }, dtype) => streamCost(n, dtype, 2, 1),
    setup: (be, dtype, { n }) => vectorBench(be, dtype, n, 1, ([x]) => ops.nrm2(be, x)),
  },
});
