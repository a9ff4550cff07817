/**
 * A measured number as a results file keeps it. JSON has no NaN or ±Infinity, and a blow-up or a NaN
 * is data (a kernel that returned NaN, a step size that diverged), so a non-finite value is written by
 * name, read back as the same number, and printed as NaN or Infinity — never `null`, which read as
 * "missing" and lost which of the three it was.
 */
import { z } from 'zod';

export const Measured = z.union([z.number(), z.enum(['NaN', 'Infinity', '-Infinity'])]);
export type Measured = z.infer<typeof Measured>;

export function toMeasured(v: number): Measured {
  return Number.isFinite(v) ? v : Number.isNaN(v) ? 'NaN' : v > 0 ? 'Infinity' : '-Infinity';
}

export function fromMeasured(v: Measured): number {
  return typeof v === 'number' ? v : Number(v);
}

/** A JSON.stringify replacer that writes non-finite numbers by name (for output no schema reads back). */
export const nonFiniteByName = (_key: string, v: unknown): unknown =>
  typeof v === 'number' && !Number.isFinite(v) ? toMeasured(v) : v;
