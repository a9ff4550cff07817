/**
 * The matrix-recovery family: gradient descent for matrix sensing, symmetric and asymmetric, exact
 * and over-parameterized (S30), with the paper's claims.
 */
import type { CaseDef, ClaimDef } from '@lowrank/core';
import { overparamRatesClaim } from './sensing-claims.ts';

export * from './sensing.ts';

export const cases: readonly CaseDef[] = [];
export const claims: readonly ClaimDef[] = [overparamRatesClaim] as unknown as readonly ClaimDef[];
