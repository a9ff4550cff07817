/**
 * The low-rank optimizers family: gradient subspaces by the DCT (S05) or the SVD (GaLore) and Adam with
 * r-dimensional moments in them; sparse spectral training (S26) against LoRA and ReLoRA; with the
 * papers' cases and claims.
 */
import type { CaseDef, ClaimDef } from '@lowrank/core';
import { dctSelectCase } from './dct-adamw.case.ts';
import { dctAdamwClaim } from './dct-adamw.claims.ts';
import { sstClaim } from './sst.claims.ts';

export * from './subspace.ts';
export * from './dct-adamw.ts';
export * from './sst.ts';
export { METHODS, regressionData, trainRegression, type Method } from './dct-adamw.fixtures.ts';
export { SST_METHODS, teacherData, trainFactored, type SstMethod } from './sst.fixtures.ts';

export const cases: readonly CaseDef[] = [dctSelectCase] as unknown as readonly CaseDef[];
export const claims: readonly ClaimDef[] = [dctAdamwClaim, sstClaim] as unknown as readonly ClaimDef[];
