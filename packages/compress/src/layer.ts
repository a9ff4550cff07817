/**
 * Truncated-SVD compression of a dense layer y = x·W (W m×n) into y = (x·B)·A with B (m×r), A (r×n):
 * r(m + n) parameters instead of mn, so it saves memory and flops only below the break-even rank
 * mn/(m + n). The rank comes from an energy fraction (TRP's rule, S02) or a parameter budget.
 */
import { ArgumentError, type Backend, type DeviceTensor } from '@lowrank/core';
import { hostSvd, rankForEnergy } from '@lowrank/linalg';
import { termsFromSvd, type LowRankTerm } from './low-rank-term.ts';

/** The largest rank whose factors fit in `fraction` of the dense layer's m·n parameters (at least 1). */
export function rankForBudget(m: number, n: number, fraction: number): number {
  if (!(fraction > 0 && fraction <= 1))
    throw new ArgumentError(`rankForBudget: fraction must be in (0, 1], got ${fraction}`);
  return Math.max(1, Math.min(m, n, Math.floor((fraction * m * n) / (m + n))));
}

export type RankChoice = { energy: number } | { budget: number };

export interface CompressedLayer {
  readonly term: LowRankTerm;
  /** Σ_{i≤r} σ_i² / Σ σ_i²: the share of ‖W‖_F² kept. */
  readonly energyKept: number;
  readonly parameters: number;
}

/** Compresses W (m×n, on the backend) by its truncated SVD at the chosen rank. */
export async function compressLayer(be: Backend, w: DeviceTensor, choice: RankChoice): Promise<CompressedLayer> {
  const [m, n] = w.shape;
  const f = await hostSvd(be, w);
  const r = 'energy' in choice ? rankForEnergy(f.s, choice.energy) : rankForBudget(m, n, choice.budget);
  const total = f.s.reduce((a, v) => a + v * v, 0);
  const kept = f.s.slice(0, r).reduce((a, v) => a + v * v, 0);
  return {
    term: termsFromSvd(f.u, f.s, f.v, m, n, [r])[0],
    energyKept: total > 0 ? kept / total : 1,
    parameters: r * (m + n),
  };
}
