import type { CaseDef } from '@lowrank/core';
import { cases as linalg } from '@lowrank/linalg';
import { cases as primitives } from '@lowrank/primitives';

/** Every family's cases. A new family package adds its `cases` here. */
export const ALL_CASES: readonly CaseDef[] = [...primitives, ...linalg];

export const FAMILIES: readonly string[] = [...new Set(ALL_CASES.map((c) => c.family))];
