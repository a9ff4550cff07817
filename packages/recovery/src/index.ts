/**
 * The matrix-recovery family: gradient descent for matrix sensing, symmetric and asymmetric, exact
 * and over-parameterized (S30), the sub-gradient method for robust recovery under outliers (S07) and
 * alternating minimization for matrix completion, exact and robust (S03),
 * with the papers' claims.
 */
import type { CaseDef, ClaimDef } from '@lowrank/core';
import { overparamRatesClaim } from './sensing.claims.ts';
import { smallInitClaim } from './subgradient.claims.ts';
import { robustAltMinClaim } from './altmin.claims.ts';
import { altMinStepCase } from './altmin.case.ts';

export * from './sensing.ts';
export * from './subgradient.ts';
export * from './altmin.ts';

export const cases: readonly CaseDef[] = [altMinStepCase] as unknown as readonly CaseDef[];
export const claims: readonly ClaimDef[] = [
  overparamRatesClaim,
  smallInitClaim,
  robustAltMinClaim,
] as unknown as readonly ClaimDef[];
