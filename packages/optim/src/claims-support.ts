/** What the optim family's claims share: the equal-tuning-budget learning-rate choice and the "trained" check. */
import { forAll, measuredWhere, type ClaimPredicate } from '@lowrank/core';

/**
 * Each method's learning rate: the one of `grid` with the lowest final loss on the first seed, the same
 * grid for every method (an equal tuning budget).
 */
export async function chooseLearningRates<M extends string>(
  methods: readonly M[],
  grid: readonly number[],
  finalLoss: (method: M, lr: number) => Promise<number>,
  step: (what: string) => Promise<void>,
): Promise<Map<M, number>> {
  const chosen = new Map<M, number>();
  for (const method of methods) {
    await step(`${method}: learning rate`);
    let best = { lr: grid[0], loss: Infinity };
    for (const lr of grid) {
      const loss = await finalLoss(method, lr);
      if (loss < best.loss) best = { lr, loss };
    }
    chosen.set(method, best.lr);
  }
  return chosen;
}

/** The mechanism check of both claims, over every quantity `<method>: final over initial loss, worst`. */
export const EVERY_METHOD_TRAINED: ClaimPredicate = {
  name: 'every method trained',
  kind: 'mechanism',
  rule: 'final over initial training loss < 1 for every method and seed',
  holds: (m) =>
    forAll(
      measuredWhere(m, (k) => k.endsWith('final over initial loss, worst')),
      ([, v]) => v < 1,
      'methods',
    ),
};
