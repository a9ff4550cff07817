/**
 * The state-space family: Matérn Gaussian processes as linear SDEs with their exact discretization, smoothed by
 * the Kalman primitive and checked against the dense posterior (the latent functions of S24, FunBaT).
 */
import type { CaseDef, ClaimDef } from '@lowrank/core';
import { maternGpCase } from './matern-gp.case.ts';
import { maternGpClaim } from './matern-gp.claims.ts';

export * from './matern-gp.ts';
export * from './matern.ts';

export const cases: readonly CaseDef[] = [maternGpCase] as unknown as readonly CaseDef[];
export const claims: readonly ClaimDef[] = [maternGpClaim] as unknown as readonly ClaimDef[];
