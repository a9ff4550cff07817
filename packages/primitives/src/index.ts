import type { CaseDef } from '@lowrank/core';
import { batchedGemmCase, gemmCase } from './gemm.case.ts';
import { gemvCase } from './level2.case.ts';
import { axpyCase, dotCase, nrm2Case, scalCase } from './level1.case.ts';
import { binaryCase, reduceCase, transposeCase, unaryCase } from './elementwise.case.ts';
import { randomCase } from './random.case.ts';
import { sddmmCase, sorCase, spmmCase } from './sparse.case.ts';
import { dctCase, fftCase } from './transform.case.ts';
import { kalmanCase } from './kalman.case.ts';

/** Every primitive of the Backend interface as a verification + benchmark case. */
export const cases: readonly CaseDef[] = [
  gemmCase,
  batchedGemmCase,
  gemvCase,
  dotCase,
  axpyCase,
  scalCase,
  nrm2Case,
  unaryCase,
  binaryCase,
  reduceCase,
  transposeCase,
  randomCase,
  sddmmCase,
  spmmCase,
  sorCase,
  fftCase,
  dctCase,
  kalmanCase,
] as unknown as CaseDef[];
