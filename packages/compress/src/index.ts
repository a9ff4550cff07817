/**
 * The low-rank compression family: the weight compressions whose error is compensated (per-row
 * quantization, 2:4 pruning), EoRA's eigenspace compensation (S45), Fisher-weighted SVD (S43) and
 * trained rank pruning (S02), PELA's distilled low-rank layers (S04), Maestro's ordered decomposition (S19),
 * LoRD's one-shot decomposition (S18) and AFM's compression of layer outputs (S33), with the papers' claims.
 */
import type { CaseDef, ClaimDef } from '@lowrank/core';
import { eoraCase } from './eora.case.ts';
import { fwsvdCase } from './fwsvd.case.ts';
import { factorizedLayerCase } from './layer.case.ts';
import { afmCase } from './afm.case.ts';
import { eoraOptimalityClaim } from './eora.claims.ts';
import { fwsvdContrastClaim } from './fwsvd.claims.ts';
import { trpClaim } from './trp.claims.ts';
import { maestroClaim } from './maestro.claims.ts';
import { lordClaim } from './lord.claims.ts';
import { afmClaim } from './afm.claims.ts';
import { pelaClaim } from './pela.claims.ts';

export * from './weight-compression.ts';
export * from './low-rank-term.ts';
export * from './layer.ts';
export * from './eora.ts';
export * from './fwsvd.ts';
export * from './trp.ts';
export * from './maestro.ts';
export * from './lord.ts';
export * from './afm.ts';
export * from './ctr.ts';
export * from './pela.ts';

export const cases: readonly CaseDef[] = [
  fwsvdCase,
  eoraCase,
  afmCase,
  factorizedLayerCase,
] as unknown as readonly CaseDef[];
export const claims: readonly ClaimDef[] = [
  trpClaim,
  pelaClaim,
  maestroClaim,
  lordClaim,
  fwsvdContrastClaim,
  eoraOptimalityClaim,
  afmClaim,
] as unknown as readonly ClaimDef[];
