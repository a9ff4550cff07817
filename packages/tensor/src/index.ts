/** Tensor primitives on any backend: n-mode products, mode Gram/cross products, Tucker reconstruction, truncated HOSVD. */
export * from './tucker.ts';

import type { CaseDef } from '@lowrank/core';
import { tuckerCase } from './tucker.case.ts';

export const cases: readonly CaseDef[] = [tuckerCase] as unknown as readonly CaseDef[];
