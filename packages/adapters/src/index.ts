/**
 * The adapters family: LoRA (layer forward/backward with α/r scaling and dropout), ALLoRA (S01) and
 * DoRA layers, SVFit (S44) and LoLDU (S22) parameterizations, FLoRA's Tucker adapter for N-D weights
 * (S21), LoRA on attention and its complexity threshold (S11), and the teacher–student fine-tuning loop
 * they share, with the papers' claims.
 */
export * from './task.ts';
export * from './adapter.ts';
export * from './lora.ts';
export * from './allora.ts';
export * from './dora.ts';
export * from './svfit.ts';
export * from './loldu.ts';

import type { CaseDef, ClaimDef } from '@lowrank/core';
import { alloraLayerCase } from './allora.case.ts';
import { doraLayerCase } from './dora.case.ts';
import { loraLayerCase } from './lora.case.ts';
import { alloraClaim } from './allora.claims.ts';
import { lolduClaim } from './loldu.claims.ts';
import { svfitClaim } from './svfit.claims.ts';
import { floraClaim } from './flora.claims.ts';
import { loraNoLowRankClaim, loraPolynomialClaim } from './attention-lora.claims.ts';

export const cases: readonly CaseDef[] = [
  loraLayerCase,
  alloraLayerCase,
  doraLayerCase,
] as unknown as readonly CaseDef[];
export const claims: readonly ClaimDef[] = [
  alloraClaim,
  lolduClaim,
  svfitClaim,
  floraClaim,
  loraPolynomialClaim,
  loraNoLowRankClaim,
] as unknown as readonly ClaimDef[];
export * from './flora.ts';
export * from './attention-lora.ts';
