/**
 * The solvers family: iterative methods and bilevel optimization. The penalty reformulation of bilevel
 * problems and its first-order method (S12); greedy block coordinate descent — rules and updates on least
 * squares, forest blocks by message passing, the ℓ₁ active set (S28 (a), (b), (c)); SOR's relaxation learned
 * across systems (S37); Halpern with variance reduction (S17); AdaSketch-Newton (S38); ADMM over noisy links without the dual
 * variable (S32). Each with its case
 * and claim.
 */
import type { CaseDef, ClaimDef } from '@lowrank/core';
import { admmFlCase } from './admm-fl.case.ts';
import { admmFlClaim } from './admm-fl.claims.ts';
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

export * from './admm-fl.ts';
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
  admmFlCase,
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
  admmFlClaim,
] as unknown as readonly ClaimDef[];
