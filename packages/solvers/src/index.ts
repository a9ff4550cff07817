/**
 * The solvers family: iterative methods and bilevel optimization. So far the penalty reformulation of
 * bilevel problems (S12) with its closed forms on quadratic instances, their case and the O(σ) claim.
 */
import type { CaseDef, ClaimDef } from '@lowrank/core';
import { penaltyBilevelCase } from './penalty-bilevel.case.ts';
import { penaltyBilevelClaim } from './penalty-bilevel.claims.ts';

export * from './penalty-bilevel.ts';

export const cases: readonly CaseDef[] = [penaltyBilevelCase] as unknown as readonly CaseDef[];
export const claims: readonly ClaimDef[] = [penaltyBilevelClaim] as unknown as readonly ClaimDef[];
