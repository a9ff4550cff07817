import { ArgumentError } from '@lowrank/core';

/** A target rank must be a positive integer (one above min(m, n) is clamped by the methods). */
export function checkRank(k: number, what = 'k'): void {
  if (!Number.isSafeInteger(k) || k < 1) throw new ArgumentError(`${what} must be a positive integer, got ${String(k)}`);
}
