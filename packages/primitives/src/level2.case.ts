import { componentwiseRatio, defineCase, fillRandom, gemmErrorScale, gemvCost, hostTensor, ops } from '@lowrank/core';
import { epsFor, get, put } from './io.ts';

interface GemvShape {
  m: number;
  n: number;
  trans: boolean;
  alpha: number;
  beta: number;
}

export const gemvCase = defineCase({
  id: 'primitives/gemv',
  family: 'primitives',
  title: 'GEMV, y ← α·op(A)·x + β·y',
  primitives: ['gemv'],
  dtypes: ['f16', 'f32', 'f64'],
  verify: {
    golden: 'primitives/gemv',
    reads: {
      params: { m: 'integer', n: 'integer', trans: 'boolean', alpha: 'number', beta: 'number' },
      inputs: ['a', 'x', 'y?'],
      outputs: ['y'],
      conventions: 'y ← α·op(A)·x + β·y with A row-major m×n; y absent means zeros',
    },
    thresholds: {
      componentwise: {
        value: 30,
        why: "LAPACK's LIN threshold; |ŷ − y| ≤ γ_{len+2}(|α||op(A)||x| + |β||y|) gives a ratio ≤ 1",
      },
    },
    async check(be, dtype, entry) {
      const p = entry.params as unknown as GemvShape;
      const { a, x, y: y0 } = entry.inputs;
      const y = y0 === undefined ? undefined : await put(be, dtype, y0);
      const out = await get(be, await ops.gemv(be, await put(be, dtype, a), await put(be, dtype, x), { ...p, y }));
      // y = op(A)·x is a GEMM with one column: the same rounding bound applies.
      const [rows, inner] = p.trans ? [p.n, p.m] : [p.m, p.n];
      const scale = gemmErrorScale(a.data, x.data, y0?.data ?? null, {
        ...p,
        m: rows,
        n: 1,
        k: inner,
        transA: p.trans,
        transB: false,
      });
      return { componentwise: componentwiseRatio(out, entry.outputs.y.data, scale, epsFor(be, dtype)) };
    },
  },
  bench: {
    params: (sizes) =>
      (sizes ?? [512, 2048]).flatMap((n) => [
        { n, trans: false },
        { n, trans: true },
      ]),
    cost: ({ n }, dtype) => gemvCost(n, n, dtype),
    async setup(be, dtype, { n, trans }) {
      const a = await be.upload(hostTensor(dtype, [n, n], fillRandom({ seed: 2, stream: 0 }, 'normal', dtype, n * n)));
      const x = await be.upload(hostTensor(dtype, [n], fillRandom({ seed: 2, stream: 1 }, 'normal', dtype, n)));
      const y = be.zeros(dtype, [n]);
      return { run: () => ops.gemv(be, a, x, { trans, y }), dispose: () => [a, x, y].forEach((t) => be.dispose(t)) };
    },
  },
});
