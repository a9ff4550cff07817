/**
 * The solvers family: iterative methods and bilevel optimization. So far the penalty reformulation of
 * bilevel problems (S12): its closed forms on quadratic instances with their case and the O(σ) claim,
 * and the first-order penalty method on a non-quadratic instance with its claim; greedy block coordinate
 * descent on least squares (S28) with its case and the rule-ordering claim; SOR's relaxation parameter
 * learned across a sequence of systems (S37) with its case and the Tsallis-INF claim.
 */
import type { CaseDef, ClaimDef } from '@lowrank/core';
import { ealSketchCase } from './eal-sketch.case.ts';
import { ealSketchClaim } from './eal-sketch.claims.ts';
import { forestBcdCase } from './forest-bcd.case.ts';
import { forestBcdClaim } from './forest-bcd.claims.ts';
import { l1BcdCase } from './l1-bcd.case.ts';
import { l1BcdClaim } from './l1-bcd.claims.ts';
import { greedyBcdCase } from './greedy-bcd.case.ts';
import { greedyBcdClaim } from './greedy-bcd.claims.ts';
import { penaltyBilevelCase } from './penalty-bilevel.case.ts';
import { penaltyBilevelClaim } from './penalty-bilevel.claims.ts';
import { penaltyMethodClaim } from './penalty-method.claims.ts';
import { sorIterationsCase } from './sor-bandit.case.ts';
import { sorBanditClaim } from './sor-bandit.claims.ts';
import { vrHalpernCase } from './vr-halpern.case.ts';
import { vrHalpernClaim } from './vr-halpern.claims.ts';

export * from './chebcb.ts';
export * from './eal-sketch.ts';
export * from './forest-bcd.ts';
export * from './greedy-bcd.ts';
export * from './l1-bcd.ts';
export * from './penalty-bilevel.ts';
export * from './penalty-method.ts';
export * from './sor-bandit.ts';
export * from './vr-halpern.ts';

export const cases: readonly CaseDef[] = [
  penaltyBilevelCase,
  greedyBcdCase,
  sorIterationsCase,
  vrHalpernCase,
  ealSketchCase,
  forestBcdCase,
  l1BcdCase,
] as unknown as readonly CaseDef[];
export const claims: readonly ClaimDef[] = [
  penaltyBilevelClaim,
  penaltyMethodClaim,
  greedyBcdClaim,
  forestBcdClaim,
  l1BcdClaim,
  sorBanditClaim,
  vrHalpernClaim,
  ealSketchClaim,
] as unknown as readonly ClaimDef[];
