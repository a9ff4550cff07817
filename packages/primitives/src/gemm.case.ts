import {
  componentwiseRatio,
  defineCase,
  fillRandom,
  gemmCost,
  gemmErrorScale,
  hostTensor,
  ops,
  prose,
  type BenchInstance,
  type Backend,
  type DType,
} from '@lowrank/core';
import { epsFor, get, put } from './io.ts';

const LIN_THRESHOLD = {
  value: 30,
  why: prose`
    LAPACK's threshold for its linear-equation tests (dtest.in); the rounding bound gives a ratio ≤ 1, and ≤ 2 against
    a golden that carries its own f64 rounding
  `,
};

interface GemmShape {
  m: number;
  n: number;
  k: number;
  transA: boolean;
  transB: boolean;
  alpha: number;
  beta: number;
}

function shapeOf(params: Readonly<Record<string, unknown>>): GemmShape {
  return params as unknown as GemmShape;
}

/**
 * Freivalds-style accuracy probe for a benchmark run: with x of random signs,
 * ‖Ĉx − A(Bx)‖∞ / (ε·(k+2)·‖|A|(|B||x|)‖∞) costs O(n²) instead of a reference GEMM's O(n³).
 */
async function probeRatio(
  be: Backend,
  dtype: DType,
  a: Float64Array,
  b: Float64Array,
  c: Float64Array,
  m: number,
  n: number,
  k: number,
): Promise<number> {
  const x = fillRandom({ seed: 9, stream: 9 }, 'uniform', 'f64', n).map((u) => (u < 0.5 ? -1 : 1));
  const bx = new Float64Array(k),
    bxAbs = new Float64Array(k);
  for (let l = 0; l < k; l++)
    for (let j = 0; j < n; j++) {
      bx[l] += b[l * n + j] * x[j];
      bxAbs[l] += Math.abs(b[l * n + j]);
    }
  let err = 0,
    scale = 0;
  for (let i = 0; i < m; i++) {
    let cx = 0,
      abx = 0,
      bound = 0;
    for (let j = 0; j < n; j++) cx += c[i * n + j] * x[j];
    for (let l = 0; l < k; l++) {
      abx += a[i * k + l] * bx[l];
      bound += Math.abs(a[i * k + l]) * bxAbs[l];
    }
    err = Math.max(err, Math.abs(cx - abx));
    scale = Math.max(scale, bound);
  }
  return err / (epsFor(be, dtype) * (k + 2) * scale);
}

async function squareGemm(be: Backend, dtype: DType, n: number, batch: number): Promise<BenchInstance> {
  const shape = batch === 1 ? [n, n] : [batch, n, n];
  const size = batch * n * n;
  const aHost = hostTensor(dtype, shape, fillRandom({ seed: 1, stream: 0 }, 'normal', 'f32', size));
  const bHost = hostTensor(dtype, shape, fillRandom({ seed: 1, stream: 1 }, 'normal', 'f32', size));
  const a = await be.upload(aHost),
    b = await be.upload(bHost);
  const c = be.zeros(dtype, shape);
  const run = () => (batch === 1 ? ops.gemm(be, a, b, { c }) : ops.batchedGemm(be, a, b, { c }));
  return {
    run,
    readback: () => be.download(c),
    accuracy: async () => ({
      metric: 'probe',
      value: await probeRatio(
        be,
        dtype,
        Float64Array.from(aHost.data).subarray(0, n * n),
        Float64Array.from(bHost.data).subarray(0, n * n),
        (await get(be, c)).subarray(0, n * n),
        n,
        n,
        n,
      ),
    }),
    dispose: () => {
      for (const t of [a, b, c]) be.dispose(t);
    },
  };
}

export const gemmCase = defineCase({
  id: 'primitives/gemm',
  family: 'primitives',
  title: 'GEMM, C ← α·op(A)·op(B) + β·C',
  primitives: ['gemm'],
  dtypes: ['f16', 'f32', 'f64'],
  verify: {
    golden: 'primitives/gemm',
    reads: {
      params: {
        m: 'integer',
        n: 'integer',
        k: 'integer',
        transA: 'boolean',
        transB: 'boolean',
        alpha: 'number',
        beta: 'number',
      },
      inputs: ['a', 'b', 'c?'],
      outputs: ['c'],
      conventions:
        'C ← α·op(A)·op(B) + β·C, row-major; a is stored k×m when transA, b n×k when transB; c absent means zeros',
    },
    thresholds: { componentwise: LIN_THRESHOLD },
    async check(be, dtype, entry) {
      const p = shapeOf(entry.params);
      const { a, b, c: c0 } = entry.inputs;
      const c = c0 === undefined ? undefined : await put(be, dtype, c0);
      const out = await ops.gemm(be, await put(be, dtype, a), await put(be, dtype, b), { ...p, c });
      const scale = gemmErrorScale(a.data, b.data, c0?.data ?? null, p);
      return { componentwise: componentwiseRatio(await get(be, out), entry.outputs.c.data, scale, epsFor(be, dtype)) };
    },
  },
  bench: {
    params: (sizes) => (sizes ?? [256, 512, 1024]).map((n) => ({ n })),
    cost: ({ n }, dtype) => gemmCost(n, n, n, dtype),
    setup: (be, dtype, { n }) => squareGemm(be, dtype, n, 1),
  },
});

export const batchedGemmCase = defineCase({
  id: 'primitives/batchedGemm',
  family: 'primitives',
  title: 'Batched small GEMM over [batch, rows, cols] tensors',
  primitives: ['batchedGemm'],
  dtypes: ['f16', 'f32', 'f64'],
  verify: {
    golden: 'primitives/batchedGemm',
    reads: {
      params: {
        batch: 'integer',
        m: 'integer',
        n: 'integer',
        k: 'integer',
        transA: 'boolean',
        transB: 'boolean',
        alpha: 'number',
        beta: 'number',
      },
      inputs: ['a', 'b'],
      outputs: ['c'],
      conventions: 'one GEMM per leading index of [batch, rows, cols] tensors, each as primitives/gemm with β·C = 0',
    },
    thresholds: { componentwise: LIN_THRESHOLD },
    async check(be, dtype, entry) {
      const p = entry.params as unknown as GemmShape & { batch: number };
      const { a, b } = entry.inputs;
      const { alpha, beta, transA, transB } = p;
      const out = await get(
        be,
        await ops.batchedGemm(be, await put(be, dtype, a), await put(be, dtype, b), { alpha, beta, transA, transB }),
      );
      const scale = new Float64Array(p.batch * p.m * p.n);
      for (let t = 0; t < p.batch; t++) {
        scale.set(gemmErrorScale(a.data, b.data, null, p, t * p.m * p.k, t * p.k * p.n), t * p.m * p.n);
      }
      return { componentwise: componentwiseRatio(out, entry.outputs.c.data, scale, epsFor(be, dtype)) };
    },
  },
  bench: {
    params: (sizes) => (sizes ?? [16, 32, 64]).map((n) => ({ n, batch: 256 })),
    cost: ({ n, batch }, dtype) => gemmCost(n, n, n, dtype, 0, batch),
    setup: (be, dtype, { n, batch }) => squareGemm(be, dtype, n, batch),
  },
});
