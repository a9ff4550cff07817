/**
 * Change points in a benchmark's history, as asv does it (asv/step_detect.py, after Friedrich et al.
 * 2008): fit a piecewise-constant function to the series by minimizing the L1 error plus a penalty γ
 * per segment (the Potts functional), by exact dynamic programming. γ scales with the series' own
 * noise, σ̂ = 1.4826·median|yᵢ₊₁ − yᵢ|/√2, as γ = 4·σ̂·ln(n) (a BIC-like growth with n), so a run-to-run
 * wobble never makes a step but a lasting shift of a few σ̂ does. A level must span at least two runs:
 * one outlying run is noise, not a step (a regression in the newest run shows once the next confirms it).
 */
import { median } from '@lowrank/core';

export interface Step {
  /** Index of the first point of the new level. */
  at: number;
  before: number;
  after: number;
}

/** Σ|y − median| over y[i..j] (inclusive). */
function l1Cost(y: readonly number[], i: number, j: number): number {
  const seg = y.slice(i, j + 1);
  const m = median(seg);
  return seg.reduce((s, v) => s + Math.abs(v - m), 0);
}

export function noiseScale(y: readonly number[]): number {
  if (y.length < 2) return 0;
  const diffs = y.slice(1).map((v, i) => Math.abs(v - y[i]));
  return (1.4826 * median(diffs)) / Math.SQRT2;
}

/** The levels and steps of the best piecewise-constant fit (O(n³), fine for histories of a few hundred runs). */
export function detectSteps(y: readonly number[], gamma?: number): Step[] {
  const n = y.length;
  const minLength = 2;
  if (n < 2 * minLength) return [];
  const g = gamma ?? 4 * Math.max(noiseScale(y), 1e-12 * Math.abs(median(y))) * Math.log(n);
  const best = new Array<number>(n + 1).fill(Infinity);
  const from = new Array<number>(n + 1).fill(0);
  best[0] = 0;
  for (let j = 1; j <= n; j++) {
    for (let i = 0; i <= j - minLength; i++) {
      if (best[i] === Infinity) continue;
      const c = best[i] + l1Cost(y, i, j - 1) + g;
      if (c < best[j]) {
        best[j] = c;
        from[j] = i;
      }
    }
  }
  const starts: number[] = [];
  for (let j = n; j > 0; j = from[j]) starts.unshift(from[j]);
  const levels = starts.map((s, k) => median(y.slice(s, k + 1 < starts.length ? starts[k + 1] : n)));
  return starts.slice(1).map((at, k) => ({ at, before: levels[k], after: levels[k + 1] }));
}
