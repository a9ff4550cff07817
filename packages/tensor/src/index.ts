/**
 * Tensor primitives on any backend: n-mode products, mode Gram/cross products, Tucker reconstruction, truncated
 * HOSVD; continuous-index Tucker (S24's FunBaT-lite) against Tucker on binned indices.
 */
export * from './tucker.ts';
export * from './funbat.ts';
export * from './funbat.fixtures.ts';

import type { CaseDef, ClaimDef } from '@lowrank/core';
import { funbatClaim } from './funbat.claims.ts';
import { tuckerCase } from './tucker.case.ts';

export const cases: readonly CaseDef[] = [tuckerCase] as unknown as readonly CaseDef[];
export const claims: readonly ClaimDef[] = [funbatClaim] as unknown as readonly ClaimDef[];
