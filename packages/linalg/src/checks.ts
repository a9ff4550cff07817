import { ArgumentError } from '@lowrank/core';

/** A count (rank, size, iterations) must be an integer ≥ `min` (1: positive, 0: non-negative). */
export function checkCount(name: string, value: number, min: 0 | 1): void {
  if (!Number.isSafeInteger(value) || value < min)
    throw new ArgumentError(
      `${name} must be a ${min === 1 ? 'positive' : 'non-negative'} integer, got ${String(value)}`,
    );
}

/** A target rank must be a positive integer (one above min(m, n) is clamped by the methods). */
export function checkRank(k: number): void {
  checkCount('k', k, 1);
}
