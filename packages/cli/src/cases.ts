import type { CaseDef, ClaimDef } from '@lowrank/core';
import { PEAK_SIZES, type PeakKernels } from '@lowrank/harness';
import { claims as adapters, cases as adapterCases } from '@lowrank/adapters';
import { claims as compress, cases as compressCases } from '@lowrank/compress';
import { cases as linalg } from '@lowrank/linalg';
import { cases as primitives } from '@lowrank/primitives';
import { claims as recovery, cases as recoveryCases } from '@lowrank/recovery';
import { cases as mlpCases } from '@lowrank/mlp';
import { claims as secondOrder, cases as secondOrderCases } from '@lowrank/second-order';
import { claims as tensor, cases as tensorCases } from '@lowrank/tensor';
import { claims as optim, cases as optimCases } from '@lowrank/optim';
import { claims as solvers, cases as solversCases } from '@lowrank/solvers';
import { claims as ssm, cases as ssmCases } from '@lowrank/ssm';

/** Every family's cases. A new family package adds its `cases` here. */
export const ALL_CASES: readonly CaseDef[] = [
  ...primitives,
  ...linalg,
  ...recoveryCases,
  ...mlpCases,
  ...secondOrderCases,
  ...compressCases,
  ...adapterCases,
  ...tensorCases,
  ...optimCases,
  ...solversCases,
  ...ssmCases,
];

const byId = (id: string) => ALL_CASES.find((c) => c.id === id)!;

/** The kernels a timed run measures the roof with (harness/peaks.ts): GEMM for compute, AXPY for bandwidth. */
export const PEAK_KERNELS: PeakKernels = {
  compute: { case: byId('primitives/gemm'), n: PEAK_SIZES.compute },
  stream: { case: byId('primitives/axpy'), n: PEAK_SIZES.stream },
};

/** Every family's claims. A new family package adds its `claims` here. */
export const ALL_CLAIMS: readonly ClaimDef[] = [
  ...recovery,
  ...secondOrder,
  ...compress,
  ...adapters,
  ...optim,
  ...solvers,
  ...ssm,
  ...tensor,
];

export const FAMILIES: readonly string[] = [...new Set([...ALL_CASES, ...ALL_CLAIMS].map((c) => c.family))];

/** The papers the code implements: those with a claim or a case. */
export const PAPERS: readonly string[] = [
  ...new Set([
    ...ALL_CLAIMS.map((c) => c.paper),
    ...ALL_CASES.flatMap((c) => (c.paper === undefined ? [] : [c.paper])),
  ]),
].sort();
