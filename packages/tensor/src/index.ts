/**
 * Tensor primitives on any backend: n-mode products, mode Gram/cross products, Tucker reconstruction, truncated
 * HOSVD; continuous-index Tucker (S24's FunBaT-lite) against Tucker on binned indices.
 */
export * from './tucker.ts';
export * from './funbat.ts';
export * from './funbat.fixtures.ts';
export * from './hooi.ts';
export * from './cheb-tucker.ts';
export * from './cheb-tucker.fixtures.ts';

import type { CaseDef, ClaimDef } from '@lowrank/core';
import { chebTuckerClaim } from './cheb-tucker.claims.ts';
import { funbatClaim } from './funbat.claims.ts';
import { chebTuckerCase } from './cheb-tucker.case.ts';
import { hooiCase } from './hooi.case.ts';
import { tuckerCase } from './tucker.case.ts';

export const cases: readonly CaseDef[] = [tuckerCase, hooiCase, chebTuckerCase] as unknown as readonly CaseDef[];
export const claims: readonly ClaimDef[] = [funbatClaim, chebTuckerClaim] as unknown as readonly ClaimDef[];
