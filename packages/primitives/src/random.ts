import { castTensor, defineCase, mismatches, ops, streamCost, wrapTensor, type Distribution } from '@lowrank/core';
import { get } from './io.ts';

export const randomCase = defineCase({
  id: 'primitives/random',
  family: 'primitives',
  title: 'Counter-based random streams (Philox4x32-10; uniform and Box–Muller normal)',
  primitives: ['random'],
  dtypes: ['f32', 'f64'],
  verify: {
    golden: 'primitives/random',
    thresholds: { mismatches: { value: 0, why: 'the stream is defined bit for bit: TypeScript, WASM and numpy draw identical values (f32 = the f64 draw rounded)' } },
    async check(be, dtype, entry) {
      const p = entry.params as { dist: Distribution; n: number; seed: number; stream: number; offset: number };
      const out = await get(be, await ops.random(be, dtype, [p.n], p));
      const expected = castTensor(wrapTensor([p.n], entry.outputs.out.data), dtype).data;
      return { mismatches: mismatches(out, Float64Array.from(expected)) };
    },
  },
  bench: {
    params: (sizes) => (sizes ?? [1 << 20]).map((n) => ({ n })),
    cost: ({ n }, dtype) => streamCost(n, dtype, 0, 1),
    async setup(be, dtype, { n }) {
      return { run: async () => be.dispose(await ops.random(be, dtype, [n], { dist: 'normal', seed: 1 })), dispose: () => {} };
    },
  },
});
