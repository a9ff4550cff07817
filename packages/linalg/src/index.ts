import type { CaseDef } from '@lowrank/core';
import { choleskyCase, choleskyQr2Case, leastSquaresCase, luCase, qrCase, trsmCase, tsqrCase } from './factor.case.ts';
import { randomizedSvdCase, svdCase, truncatedSvdCase } from './svd.case.ts';
import { eighCases, lanczosCase } from './eig.case.ts';
import { geevCase } from './general-eig.case.ts';
import { expmCase } from './expm.case.ts';

export * from './factor.ts';
export * from './svd.ts';
export * from './eig.ts';
export * from './expm.ts';
export * from './general-eig.ts';
export { diagonalMatrix, diffNorm, firstColumns, frobenius, matmul, permuteRows, unpackLu } from './host.ts';

/** The family's verification and benchmark cases. */
export const cases: readonly CaseDef[] = [
  choleskyCase,
  luCase,
  trsmCase,
  qrCase,
  choleskyQr2Case,
  tsqrCase,
  leastSquaresCase,
  svdCase,
  truncatedSvdCase,
  randomizedSvdCase,
  ...eighCases,
  lanczosCase,
  expmCase,
  geevCase,
] as unknown as CaseDef[];
export * from './random-matrices.ts';
export * from './tsqr.ts';
