import type { CaseDef } from '@lowrank/core';
import { choleskyCase, luCase, trsmCase } from './cases.ts';

export * from './factor.ts';
export { frobenius, matmul, permuteRows, unpackLu } from './host.ts';

/** The family's verification and benchmark cases. */
export const cases: readonly CaseDef[] = [choleskyCase, luCase, trsmCase] as unknown as CaseDef[];
