/** Reverse-mode autodiff for small MLPs on any backend, and the Adam optimizer; shared by the families that train networks. */
export * from './mlp.ts';
export * from './adam.ts';
export * from './data.ts';

import type { CaseDef } from '@lowrank/core';
import { curvatureCase } from './mlp.case.ts';

export const cases: readonly CaseDef[] = [curvatureCase] as unknown as readonly CaseDef[];
