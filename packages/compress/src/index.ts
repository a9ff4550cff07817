/**
 * The low-rank compression family: the weight compressions whose error is compensated (per-row
 * quantization, 2:4 pruning) and EoRA's eigenspace compensation (S45), with the papers' claims.
 */
import type { CaseDef, ClaimDef } from '@lowrank/core';
import { eoraCase } from './cases.ts';
import { eoraOptimalityClaim } from './eora-claims.ts';

export * from './weight-compression.ts';
export * from './eora.ts';
export * from './synthetic.ts';

export const cases: readonly CaseDef[] = [eoraCase] as unknown as readonly CaseDef[];
export const claims: readonly ClaimDef[] = [eoraOptimalityClaim] as unknown as readonly ClaimDef[];
