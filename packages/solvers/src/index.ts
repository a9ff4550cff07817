/**
 * The solvers family: iterative methods and bilevel optimization. So far the penalty reformulation of
 * bilevel problems (S12): its closed forms on quadratic instances with their case and the O(σ) claim,
 * and the first-order penalty method on a non-quadratic instance with its claim.
 */
import type { CaseDef, ClaimDef } from '@lowrank/core';
import { penaltyBilevelCase } from './penalty-bilevel.case.ts';
import { penaltyBilevelClaim } from './penalty-bilevel.claims.ts';
import { penaltyMethodClaim } from './penalty-method.claims.ts';

export * from './penalty-bilevel.ts';
export * from './penalty-method.ts';

export const cases: readonly CaseDef[] = [penaltyBilevelCase] as unknown as readonly CaseDef[];
export const claims: readonly ClaimDef[] = [penaltyBilevelClaim, penaltyMethodClaim] as unknown as readonly ClaimDef[];
