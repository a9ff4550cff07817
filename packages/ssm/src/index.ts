/**
 * The state-space family: Matérn Gaussian processes as linear SDEs with their exact discretization, smoothed by
 * the Kalman primitive and checked against the dense posterior (the latent functions of S24, FunBaT); HiPPO-LegS and
 * perturb-then-diagonalize with the transfer functions and Fourier-mode outputs that judge it (S06, S4-PTD).
 */
import type { CaseDef, ClaimDef } from '@lowrank/core';
import { maternGpCase } from './matern-gp.case.ts';
import { maternGpClaim } from './matern-gp.claims.ts';
import { s4PtdCase } from './s4-ptd.case.ts';
import { s4PtdClaim } from './s4-ptd.claims.ts';

export * from './matern-gp.ts';
export * from './matern.ts';
export * from './hippo.ts';
export * from './s4-ptd.ts';

export const cases: readonly CaseDef[] = [maternGpCase, s4PtdCase] as unknown as readonly CaseDef[];
export const claims: readonly ClaimDef[] = [maternGpClaim, s4PtdClaim] as unknown as readonly ClaimDef[];
