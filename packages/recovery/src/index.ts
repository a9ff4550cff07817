/**
 * The matrix-recovery family: gradient descent for matrix sensing, symmetric and asymmetric, exact
 * and over-parameterized (S30), and the sub-gradient method for robust recovery under outliers (S07),
 * with the papers' claims.
 */
import type { CaseDef, ClaimDef } from '@lowrank/core';
import { overparamRatesClaim } from './sensing-claims.ts';
import { smallInitClaim } from './subgradient-claims.ts';

export * from './sensing.ts';
export * from './subgradient.ts';

export const cases: readonly CaseDef[] = [];
export const claims: readonly ClaimDef[] = [overparamRatesClaim, smallInitClaim] as unknown as readonly ClaimDef[];
