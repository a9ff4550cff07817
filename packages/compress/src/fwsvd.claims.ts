import {
  defineClaim,
  perSeed,
  seedAxis,
  fillRandom,
  hostTensor,
  median,
  ops,
  prose,
  type Backend,
} from '@lowrank/core';
import { diffNorm } from '@lowrank/linalg';
import { fisherRowImportance, fisherWeightedSvd, forward } from './fwsvd.ts';
import { reconstructHost, svdTerms } from './low-rank-term.ts';
import { heterogeneousTeacher } from './fwsvd.fixtures.ts';

/** Mean squared distance between two devices' outputs (samples×outputs), per sample. */
async function outputMse(
  be: Backend,
  a: Awaited<ReturnType<typeof forward>>,
  b: Awaited<ReturnType<typeof forward>>,
): Promise<number> {
  const d = await ops.binary(be, 'sub', a, b);
  const norm = await ops.nrm2(be, d);
  const v = norm ** 2 / a.shape[0];
  be.dispose(d);
  return v;
}

/** S43 (H8): Fisher-weighted SVD reconstructs W worse than plain SVD yet keeps the task better. */
export const fwsvdContrastClaim = defineClaim({
  id: 'compress/fwsvd/task-vs-reconstruction',
  paper: 'S43',
  family: 'compress',
  title: 'Fisher-weighted SVD has a larger reconstruction error than SVD (Eckart–Young) but a smaller task error',
  statement: prose`
    "The factorized matrices from our approach do not result in smaller reconstruction errors", yet task accuracy stays
    much closer to the original model than with SVD; FWSVD can remove a further 9–30% of the parameters of compact models (abstract and §3).
  `,
  paperNumbers: [
    {
      quantity: 'GLUE / token classification (not reproducible here)',
      value: 'accuracy much closer to the uncompressed model than SVD at equal rank',
    },
    {
      quantity: 'planning check (128×64 layer, r = 8, 10 seeds)',
      value: 'reconstruction FW ≥ SVD 10/10; task MSE FW < SVD 10/10 (e.g. 1.76 vs 2.71)',
    },
  ],
  primitives: ['gemm', 'nrm2', 'unary', 'binary', 'reduce', 'random', 'svd', 'syev'],
  dtypes: ['f64', 'f32'],
  experiment: {
    full: {
      inputs: 64,
      hidden: 128,
      outputs: 10,
      samples: 2000,
      noise: 0.5,
      ranks: [4, 8, 16],
      taskRank: 8,
      seeds: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
    },
    standard: {
      inputs: 64,
      hidden: 128,
      outputs: 10,
      samples: 2000,
      noise: 0.5,
      ranks: [4, 8, 16],
      taskRank: 8,
      seeds: [0, 1, 2],
    },
    reduced: {
      inputs: 16,
      hidden: 32,
      outputs: 4,
      samples: 400,
      noise: 0.5,
      ranks: [2, 4],
      taskRank: 4,
      seeds: [0, 1, 2],
    },
  },
  predicates: [
    {
      name: 'SVD reconstructs W at least as well',
      kind: 'identity',
      rule: '‖W₁ − Ŵ_FW‖_F ≥ ‖W₁ − Ŵ_SVD‖_F·(1 − 1e-12) for every rank and seed (Eckart–Young)',
      holds: (m) => m['runs with recon FW ≥ SVD (fraction)'] === 1,
    },
    {
      name: 'FWSVD keeps the task better',
      kind: 'mechanism',
      rule: 'output MSE to the uncompressed model on fresh inputs at r = 8: FW < SVD in ≥ 90% of seeds',
      holds: (m) => m['seeds with task FW < SVD at the task rank (fraction)'] >= 0.9,
    },
  ],
  bands: {
    'runs with recon FW ≥ SVD (fraction)': [0.952, 1.05],
    'seeds with task FW < SVD at the task rank (fraction)': [0.952, 1.05],
  },
  plot(m, e) {
    const at = (what: string) => perSeed(m, e.seeds, (s) => `seed ${s}: task MSE ${what} at the task rank`);
    return {
      title: `Task error of the compressed network at rank ${e.taskRank}, per seed`,
      x: seedAxis(e.seeds),
      y: { name: 'output MSE against the teacher', log: true },
      series: [
        { name: 'Fisher-weighted SVD', style: 'points', points: at('FW') },
        { name: 'plain SVD', style: 'points', points: at('SVD') },
      ],
    };
  },
  async run(be, dtype, e, ctx) {
    const measured: Record<string, number> = {};
    let reconWins = 0,
      reconRuns = 0,
      taskWins = 0;
    const taskFw: number[] = [],
      taskSvd: number[] = [];
    for (const seed of e.seeds) {
      await ctx.step(`seed ${seed}`);
      const release = be.track();
      try {
        const net = heterogeneousTeacher(e.inputs, e.hidden, e.outputs, seed);
        const x = await ops.random(be, dtype, [e.samples, e.inputs], { dist: 'normal', seed, stream: 93 });
        const noise = fillRandom({ seed, stream: 94 }, 'normal', 'f64', e.samples * e.outputs);
        const clean = (await be.download(await forward(be, dtype, net, net.w1, x))).data;
        const targets = Float64Array.from(clean, (v, i) => v + e.noise * noise[i]);
        const importance = await fisherRowImportance(be, dtype, net, x, targets);
        const fw = await fisherWeightedSvd(be, dtype, net.w1, e.hidden, e.inputs, importance, e.ranks);
        const plain = await svdTerms(be, await be.upload(hostTensor(dtype, [e.hidden, e.inputs], net.w1)), e.ranks);
        const fresh = await ops.random(be, dtype, [e.samples, e.inputs], { dist: 'normal', seed, stream: 95 });
        const reference = await forward(be, dtype, net, net.w1, fresh);
        for (let t = 0; t < e.ranks.length; t++) {
          const r = e.ranks[t];
          const [wFw, wSvd] = [reconstructHost(fw.terms[t]), reconstructHost(plain[t])];
          const [reconFw, reconSvd] = [diffNorm(net.w1, wFw), diffNorm(net.w1, wSvd)];
          reconRuns++;
          if (reconFw >= reconSvd * (1 - 1e-12)) reconWins++;
          if (r === e.taskRank) {
            const mseFw = await outputMse(be, await forward(be, dtype, net, wFw, fresh), reference);
            const mseSvd = await outputMse(be, await forward(be, dtype, net, wSvd, fresh), reference);
            taskFw.push(mseFw);
            taskSvd.push(mseSvd);
            if (mseFw < mseSvd) taskWins++;
            measured[`seed ${seed}: task MSE FW at the task rank`] = mseFw;
            measured[`seed ${seed}: task MSE SVD at the task rank`] = mseSvd;
            if (seed === e.seeds[0]) {
              measured[`seed ${seed} r=${r}: recon FW / SVD`] = reconFw / reconSvd;
              measured[`seed ${seed} r=${r}: task MSE FW`] = mseFw;
              measured[`seed ${seed} r=${r}: task MSE SVD`] = mseSvd;
            }
          }
        }
      } finally {
        release();
      }
    }
    measured['runs with recon FW ≥ SVD (fraction)'] = reconWins / reconRuns;
    measured['seeds with task FW < SVD at the task rank (fraction)'] = taskWins / e.seeds.length;
    measured['task MSE FW, median'] = median(taskFw);
    measured['task MSE SVD, median'] = median(taskSvd);
    return { measured, seeds: e.seeds };
  },
});
