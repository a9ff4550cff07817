import {
  computeEps,
  dctCost,
  defineCase,
  getF64,
  ops,
  prose,
  putAs,
  scaledRatio,
  streamCost,
  svdCost,
  type CostModel,
  type DType,
} from '@lowrank/core';
import { dctScores, dctSubspace, rotation, svdSubspace } from './subspace.ts';

/** Rank of the projector benchmarks: S05's r = 32. */
const BENCH_RANK = 32;

/**
 * The scores' error bound's factor: each entry of S = G·Q is within ~log₂n·ε‖row‖ (the FFT's bound,
 * primitives/dct) or nε (the dense product), and a column's norm sums m of them (γ_m).
 */
function growth(m: number, n: number): number {
  const transform = (n & (n - 1)) === 0 ? Math.max(1, Math.log2(n)) : n;
  return m + 2 * transform;
}

/**
 * How much of the golden's best score total our selection misses, in units of ε·γ·Σ scores: 0 when the
 * sets agree; a swap between two columns whose scores differ by rounding costs only that difference.
 */
function selectionDeficit(
  indices: ArrayLike<number>,
  want: ArrayLike<number>,
  scores: ArrayLike<number>,
  eps: number,
  gamma: number,
): number {
  let best = 0,
    ours = 0,
    total = 0;
  for (let i = 0; i < want.length; i++) best += scores[want[i]];
  for (let i = 0; i < indices.length; i++) ours += scores[indices[i]];
  for (let k = 0; k < scores.length; k++) total += scores[k];
  return scaledRatio(Math.max(0, best - ours), eps * gamma * total);
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Infinity;
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]));
  return worst;
}

/** The projector step (subspace.ts) of one n×n gradient, by the DCT or the SVD. */
function projectorCost(n: number, method: string, dtype: DType): CostModel {
  if (method === 'svd') return svdCost(n, n, dtype);
  const scores = streamCost(2 * n * n, dtype, 1, 1);
  return { flops: dctCost(n, n, dtype).flops + scores.flops, bytes: dctCost(n, n, dtype).bytes + scores.bytes };
}

export const dctSelectCase = defineCase({
  id: 'optim/dct-select',
  family: 'optim',
  paper: 'S05',
  title:
    "S05's subspace selection: DCT column scores, top-r and the moment rotation; the projector step against the SVD",
  primitives: ['dct', 'gemm', 'unary', 'reduce', 'svd', 'syev', 'qr', 'nrm2', 'scal', 'random'],
  dtypes: ['f32', 'f64'],
  verify: {
    golden: 'optim/dct-select',
    reads: {
      params: { r: 'integer', norm: 'string' },
      inputs: ['g', 'next?'],
      outputs: ['scores?', 'indices', 'rotation?'],
      conventions: prose`
        g is m×n with m ≥ n; scores of the columns of S = dct(g) along rows, ℓ1 ('l1') or squared ℓ2 ('l2');
        indices the r largest (ties to the lower index); rotation = Q_Iᵀ·Q_J for the ℓ1 selections I of g and J of next
      `,
    },
    thresholds: {
      scores: {
        value: 30,
        why: "LAPACK's LIN threshold on max_k |ŝ_k − s_k| / (ε·γ·max s), γ = m + 2·log₂n (2n for the dense product)",
      },
      selection: {
        value: 30,
        why: 'the golden scores our selection misses over ε·γ·Σ scores: only near-ties within rounding may swap',
      },
      rotation: {
        value: 30,
        why: "max |R̂ − R| / (n·ε): R's entries are dot products of n host-built DCT columns (each within an ulp)",
      },
    },
    async check(be, dtype, entry): Promise<Record<string, number>> {
      const g = await putAs(be, dtype, entry.inputs.g);
      const [m, n] = g.shape;
      const r = entry.params.r as number;
      const eps = computeEps(be, dtype);
      if (entry.inputs.next !== undefined) {
        const first = await dctSubspace(be, g, r, 'l1');
        const next = await dctSubspace(be, await putAs(be, dtype, entry.inputs.next), r, 'l1');
        const rot = await getF64(be, await rotation(be, first, next));
        return {
          selection: Array.from(first.indices!).every((k, i) => k === entry.outputs.indices.data[i]) ? 0 : Infinity,
          rotation: scaledRatio(maxAbsDiff(rot, entry.outputs.rotation!.data), n * eps),
        };
      }
      const want = entry.outputs.scores!.data;
      const got = await dctScores(be, g, entry.params.norm as 'l1' | 'l2');
      const gamma = growth(m, n);
      const chosen = (await dctSubspace(be, g, r, entry.params.norm as 'l1' | 'l2')).indices!;
      const largest = Array.from(want).reduce((a, v) => Math.max(a, Math.abs(v)), 0);
      return {
        scores: scaledRatio(maxAbsDiff(got, want), eps * gamma * largest),
        selection: selectionDeficit(chosen, entry.outputs.indices.data, want, eps, gamma),
      };
    },
  },
  bench: {
    params: (sizes) =>
      (sizes ?? [256, 512, 1024]).flatMap((n) => [
        { n, method: 'dct' },
        { n, method: 'svd' },
      ]),
    cost: ({ n, method }, dtype) => projectorCost(n, method, dtype),
    async setup(be, dtype, { n, method }) {
      const g = await ops.random(be, dtype, [n, n], { dist: 'normal', seed: 12, stream: 0 });
      const select = () => (method === 'svd' ? svdSubspace(be, g, BENCH_RANK) : dctSubspace(be, g, BENCH_RANK));
      return {
        run: async () => be.dispose((await select()).basis),
        dispose: () => be.dispose(g),
      };
    },
  },
});
