import type { CaseDef } from '@lowrank/core';
import { batchedGemmCase, gemmCase } from './gemm.ts';
import { gemvCase } from './level2.ts';
import { axpyCase, dotCase, nrm2Case, scalCase } from './level1.ts';
import { binaryCase, reduceCase, transposeCase, unaryCase } from './elementwise.ts';
import { randomCase } from './random.ts';
import { sddmmCase, spmmCase } from './sparse.ts';

/** Every primitive of the Backend interface as a verification + benchmark case. */
export const cases: readonly CaseDef[] = [
  gemmCase, batchedGemmCase, gemvCase, dotCase, axpyCase, scalCase, nrm2Case,
  unaryCase, binaryCase, reduceCase, transposeCase, randomCase, sddmmCase, spmmCase,
] as unknown as CaseDef[];
