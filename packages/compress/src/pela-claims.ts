import { defineClaim, fillRandom, type Backend, type DType } from '@lowrank/core';
import { matrixWithSpectrum } from '@lowrank/linalg';
import { gatherBatch, initialParameters, layerOffsets, Mlp } from '@lowrank/mlp';
import { featureDistill, lowRankParameters, pelaInit } from './pela.ts';

/** The teacher 64-256-256-10: hidden weights with singular values c/i (c = 12 and 20, for unit-scale tanh inputs), a random output layer. */
async function powerLawTeacher(be: Backend, dtype: DType, widths: number[], seed: number): Promise<Float64Array> {
  const theta = initialParameters(widths, seed), offsets = layerOffsets(widths);
  for (const [l, c] of [[0, 12], [1, 20]] as const) {
    const [m, n] = [widths[l], widths[l + 1]];
    const w = await matrixWithSpectrum(be, dtype, m, n, Array.from({ length: m }, (_, i) => c / (i + 1)), seed * 10 + l);
    theta.set((await be.download(w)).data, offsets[l]);
    be.dispose(w);
  }
  return theta;
}

/** S04: SVD initialization at half the parameters plus distillation keeps the model's predictions. */
export const pelaClaim = defineClaim({
  id: 'compress/pela/distilled-low-rank',
  paper: 'S04',
  family: 'compress',
  title: 'PELA: low-rank layers at ρ = 1/2 from the SVD, then distillation (task + features): top-1 agreement drops ≤ 1 pt',
  statement: 'PELA initializes low-rank layers from the SVD and trains them briefly with feature distillation (and a weight-perturbation '
    + 'regularizer), giving "often a merely ~0.6 point decrease in performance while reducing the original parameter size by 1/3 to 2/3" (abstract).',
  paperNumbers: [
    { quantity: 'accuracy loss at 1/3–2/3 of the parameters', value: '~0.6 point' },
    { quantity: 'pass rule (plan)', value: '(b) SVD + feature distillation and (c) + weight perturbation: top-1 agreement drop ≤ 1.0 pt, and (a) SVD alone drops ≥ 2× (c), in ≥ 4/5 seeds; (c) is not implemented (its regularizer could not be confirmed), so the second rule is reported, (b) standing in for (c), not judged' },
  ],
  primitives: ['gemm', 'unary', 'binary', 'reduce', 'svd', 'syev', 'qr', 'random'],
  dtypes: ['f64', 'f32'],
  experiment: {
    full: { d: 64, hidden: 256, classes: 10, ratio: 0.5, unlabeled: 2000, test: 5000, steps: 250, batch: 256, lr: 1e-3, featureWeight: 10, seeds: [0, 1, 2, 3, 4] },
    standard: { d: 64, hidden: 256, classes: 10, ratio: 0.5, unlabeled: 2000, test: 5000, steps: 250, batch: 256, lr: 1e-3, featureWeight: 10, seeds: [0] },
    reduced: { d: 64, hidden: 64, classes: 10, ratio: 0.5, unlabeled: 1000, test: 1000, steps: 300, batch: 64, lr: 3e-3, featureWeight: 10, seeds: [0, 1] },
  },
  predicates: [
    {
      name: 'distilled low-rank model keeps the predictions',
      kind: 'empirical',
      rule: 'top-1 agreement with the original drops ≤ 1.0 point after SVD init + distillation (variant (b)), in ≥ 4 of 5 seeds',
      holds: (m) => m['seeds with distilled drop ≤ 1 pt (fraction)'] >= 0.8,
    },
  ],
  expected: 'not reproduced',
  expectedFailing: ['distilled low-rank model keeps the predictions'],
  calibration: 'Full run (WASM f64, 2 threads, 51 s): ranks 25 (64×256) and 64 (256×256) at ρ = 1/2; top-1 agreement with the original '
    + 'on 5000 test inputs: SVD only 0.79–0.87, after 250 Adam steps (batch 256 of 2000 unlabeled inputs, lr 1e-3) on L_task + 10·Σ‖h − h_orig‖²/N '
    + '0.90–0.94 (300 steps: +0.000–0.004, 60–66 s), a drop of 6–10 points, not ≤ 1. Distillation removes half or more of the SVD-only loss in 4/5 seeds (reported: the '
    + 'plan compares with (c)). Tried: feature loss only, 400 steps (0.90–0.94, 57 s); λ_fd = 1 (0.88–0.93, 80 s); lr 3e-3, batch '
    + '128 (0.88–0.94). Teachers with c/i spectra and a random output layer have many near-tied logits, so small feature errors flip '
    + 'predictions; the weight-perturbation regularizer (c) is not implemented, its form unconfirmed.',
  async run(be, dtype, e, ctx) {
    const measured: Record<string, number> = {};
    const widths = [e.d, e.hidden, e.hidden, e.classes], compressed = [0, 1];
    let keep = 0, halves = 0;
    for (const seed of e.seeds) {
      await ctx.step(`seed ${seed}`);
      const teacher = await powerLawTeacher(be, dtype, widths, seed);
      // Test inputs labelled by the teacher's own argmax, so accuracy is top-1 agreement with it.
      const testX = fillRandom({ seed, stream: 220 }, 'normal', 'f64', e.test * e.d) as Float64Array;
      const test = await Mlp.create(be, dtype, widths, testX, new Int32Array(e.test));
      await test.setParameters(teacher);
      const labels = await test.predict();
      test.dispose();
      const judge = await Mlp.create(be, dtype, widths, testX, labels);
      const unlabeled = fillRandom({ seed, stream: 221 }, 'normal', 'f64', e.unlabeled * e.d) as Float64Array;
      const pool = { x: unlabeled, labels: new Int32Array(e.unlabeled) }; // unlabeled: distillation needs no labels
      const draws = fillRandom({ seed, stream: 222 }, 'uniform', 'f64', e.steps * e.batch);
      const teacherNet = await Mlp.create(be, dtype, widths, unlabeled.subarray(0, e.batch * e.d), new Int32Array(e.batch));
      const student = await Mlp.create(be, dtype, widths, unlabeled.subarray(0, e.batch * e.d), new Int32Array(e.batch));
      try {
        await teacherNet.setParameters(teacher);
        const agreement = async (theta: Float64Array) => { await judge.setParameters(theta); return judge.accuracy(); };
        const factors = await pelaInit(be, dtype, teacher, widths, compressed, e.ratio);
        const svdOnly = await agreement(await lowRankParameters(be, dtype, teacher, widths, factors));
        await featureDistill(be, dtype, student, teacher, factors, e.steps, e.lr, e.featureWeight, async (s) => {
          const picks = Array.from(draws.subarray(s * e.batch, (s + 1) * e.batch), (u) => Math.floor(u * e.unlabeled));
          const { x, labels } = gatherBatch(pool, e.d, picks);
          await teacherNet.setBatch(x, labels);
          return { x, labels: await teacherNet.predict(), features: [await teacherNet.layerInput(1), await teacherNet.layerInput(2)] };
        });
        const distilled = await agreement(await lowRankParameters(be, dtype, teacher, widths, factors));
        const [dropSvd, dropFd] = [1 - svdOnly, 1 - distilled];
        if (dropFd <= 0.01) keep++;
        if (dropSvd >= 2 * dropFd) halves++;
        measured[`seed ${seed}: agreement SVD only`] = svdOnly;
        measured[`seed ${seed}: agreement SVD + distillation`] = distilled;
        if (seed === e.seeds[0]) factors.terms.forEach((t, i) => { measured[`rank of layer ${compressed[i]}`] = t.r; });
      } finally {
        for (const n of [judge, teacherNet, student]) n.dispose();
      }
    }
    measured['seeds with distilled drop ≤ 1 pt (fraction)'] = keep / e.seeds.length;
    measured['seeds with SVD-only drop ≥ 2× distilled (fraction; reported)'] = halves / e.seeds.length;
    return { measured, seeds: e.seeds };
  },
});
