/**
 * The second-order family: M-FAC (S41) and the linear stability of SGD against GD (S27), each with
 * its algorithms, benchmark cases and the papers' claims.
 */
import type { CaseDef, ClaimDef } from '@lowrank/core';
import { mfacIhvpCase } from './cases.ts';
import { mfacExactnessClaim } from './mfac-claims.ts';
import { traceThresholdClaim } from './stability-claims.ts';

export * from './mfac.ts';
export * from './stability.ts';
export { damping, gradients, relativeError, WoodburyReference } from './mfac-claims.ts';

export const cases: readonly CaseDef[] = [mfacIhvpCase as unknown as CaseDef];
export const claims: readonly ClaimDef[] = [traceThresholdClaim, mfacExactnessClaim] as unknown as readonly ClaimDef[];
