/**
 * The second-order family: M-FAC (S41), the linear stability of SGD against GD (S27) and the Hessian
 * spectrum of a small MLP (S39, on @lowrank/mlp's curvature products), each with
 * its algorithms, benchmark cases and the papers' claims.
 */
import type { CaseDef, ClaimDef } from '@lowrank/core';
import { mfacIhvpCase } from './mfac.case.ts';
import { mfacExactnessClaim } from './mfac.claims.ts';
import { traceThresholdClaim } from './stability.claims.ts';
import { hessianOutliersClaim } from './hessian-spectrum.claims.ts';

export * from './mfac.ts';
export * from './stability.ts';
export * from './hessian-spectrum.ts';
export { damping, gradients, relativeError, WoodburyReference } from './mfac.fixtures.ts';

export const cases: readonly CaseDef[] = [mfacIhvpCase as unknown as CaseDef];
export const claims: readonly ClaimDef[] = [
  traceThresholdClaim,
  mfacExactnessClaim,
  hessianOutliersClaim,
] as unknown as readonly ClaimDef[];
