import {
  castTensor,
  defineCase,
  EPSILON,
  mismatches,
  ops,
  prose,
  streamCost,
  wrapTensor,
  type Distribution,
} from '@lowrank/core';
import { get } from './io.ts';

/**
 * The stream is defined bit for bit (packages/core/src/rng): the CPU backends and numpy draw identical
 * values, f32 being the f64 draw rounded. Uniform draws need integer arithmetic only, so every
 * backend must match exactly. Normal draws need log and cos in f64; WGSL has no f64, so the WebGPU
 * backend computes Box–Muller in f32 from the same words (then rounds to f16 for f16 tensors), and its
 * error is declared below.
 */
export const randomCase = defineCase({
  id: 'primitives/random',
  family: 'primitives',
  title: 'Counter-based random streams (Philox4x32-10; uniform and Box–Muller normal)',
  primitives: ['random'],
  dtypes: ['f16', 'f32', 'f64'],
  verify: {
    golden: 'primitives/random',
    reads: {
      params: { n: 'integer', seed: 'integer', stream: 'integer', offset: 'integer', dist: 'string' },
      inputs: [],
      outputs: ['out'],
      conventions: prose`
          dist 'uniform' or 'normal'; out[i] is draw(seed, stream, offset + i) of the project's Philox4x32-10
          (scripts/golden/lowrank_rng.py)
        `,
    },
    thresholds: {
      uniform: {
        value: 0,
        why: prose`
          uniform draws are integer arithmetic then one rounding: bit-identical on every backend (count of mismatches)
        `,
      },
      normal: {
        value: 0,
        why: prose`
          normal draws use log/cos made of + − × ÷ in f64: bit-identical on CPU backends (max |ẑ − z| / (ε·max(1,
          |z|)))
        `,
      },
    },
    overrides: [
      {
        metric: 'normal',
        backend: 'webgpu',
        dtype: 'f32',
        value: 32,
        why: prose`
          f32 Box–Muller: u2 rounded to f32 moves z by up to 2π·√(2·53·ln 2)·2^-25 ≈ 13.5 ε; f32 log/cos and the last
          roundings add a few ε more
        `,
      },
      {
        metric: 'normal',
        backend: 'webgpu',
        dtype: 'f16',
        value: 1,
        why: prose`
          the f32 draw (within 32 ε_f32 ≈ 2^-18 of the f64 one) rounded to f16: near an f16 rounding boundary the two
          round apart, by one f16 ulp ≤ ε_f16·max(1, |z|)
        `,
      },
    ],
    async check(be, dtype, entry): Promise<Record<string, number>> {
      const p = entry.params as { dist: Distribution; n: number; seed: number; stream: number; offset: number };
      const out = await get(be, await ops.random(be, dtype, [p.n], p));
      const expected = Float64Array.from(castTensor(wrapTensor([p.n], entry.outputs.out.data), dtype).data);
      if (p.dist === 'uniform') return { uniform: mismatches(out, expected) };
      let worst = 0;
      for (let i = 0; i < p.n; i++) {
        if (Object.is(out[i], expected[i])) continue;
        worst = Math.max(worst, Math.abs(out[i] - expected[i]) / (EPSILON[dtype] * Math.max(1, Math.abs(expected[i]))));
      }
      return { normal: Number.isNaN(worst) ? Infinity : worst };
    },
  },
  bench: {
    params: (sizes) => (sizes ?? [1 << 20]).map((n) => ({ n })),
    cost: ({ n }, dtype) => streamCost(n, dtype, 0, 1),
    async setup(be, dtype, { n }) {
      return {
        run: async () => be.dispose(await ops.random(be, dtype, [n], { dist: 'normal', seed: 1 })),
        dispose: () => {},
      };
    },
  },
});
