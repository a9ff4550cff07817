import { createRefBackend } from '@lowrank/backend-ref';
import { createWasmBackend } from '@lowrank/backend-wasm';
import { createWebGpuBackend, probeWebGpu } from '@lowrank/backend-webgpu';
import type { Backend, CaseDef, ClaimDef, DType, PrimitiveName } from '@lowrank/core';
import { checkBands, formatMeasured, runClaims, type BandCheck } from './claims.ts';
import { verifyCases } from './verify.ts';

/**
 * The backends the cross-backend test suite runs on, each with an explicit, visible skip list
 * (tfjs TEST_FILTERS style): a (primitive, dtype) pair listed here is reported as skipped with its
 * reason, and every pair not listed must pass.
 */
export interface TestBackend {
  label: string;
  /** Null when the backend can run here, else why not (the suite skips it visibly, and fails in CI). */
  unavailable(): Promise<string | null>;
  open(): Promise<Backend>;
  /** Whether NaN and ±Inf are guaranteed to propagate (WGSL lets implementations assume they never occur). */
  ieeeSpecials: boolean;
  skips: ReadonlyArray<{ primitive: PrimitiveName | '*'; dtype: DType; why: string }>;
}

const WASM_NO_F16 = { primitive: '*', dtype: 'f16', why: 'f16 on wasm: WebAssembly has no f16 arithmetic' } as const;

export const TEST_BACKENDS: readonly TestBackend[] = [
  {
    label: 'ref',
    unavailable: async () => null,
    open: async () => createRefBackend(),
    ieeeSpecials: true,
    skips: [
      { primitive: '*', dtype: 'f32', why: 'f32 on ref: the reference backend is the f64 oracle, by design' },
      { primitive: '*', dtype: 'f16', why: 'f16 on ref: the reference backend is the f64 oracle, by design' },
    ],
  },
  { label: 'wasm (1 thread)', unavailable: async () => null, open: () => createWasmBackend({ threads: 1 }), ieeeSpecials: true, skips: [WASM_NO_F16] },
  { label: 'wasm (2 threads)', unavailable: async () => null, open: () => createWasmBackend({ threads: 2 }), ieeeSpecials: true, skips: [WASM_NO_F16] },
  {
    label: 'webgpu',
    unavailable: async () => {
      const r = await probeWebGpu();
      return r.ok ? null : r.reason ?? 'unavailable';
    },
    open: () => createWebGpuBackend(),
    ieeeSpecials: false,
    skips: [
      { primitive: '*', dtype: 'f64', why: 'f64 on webgpu: WGSL has no f64' },
      ...(['cholesky', 'trsm', 'lu', 'qr', 'svd'] as const).map((primitive) => ({ primitive, dtype: 'f16' as const, why: `f16 ${primitive} on webgpu: factorizations are f32 only (stored in f16 the backward error is ~n·2^-11)` })),
    ],
  },
];

export function skipReason(tb: TestBackend, primitive: PrimitiveName, dtype: DType): string | undefined {
  return tb.skips.find((s) => (s.primitive === '*' || s.primitive === primitive) && s.dtype === dtype)?.why;
}

/** A test backend with its availability settled, so suites can be collected with visible skips. */
export interface PlannedBackend {
  label: string;
  /** Null when the backend runs here, else why not. */
  absent: string | null;
  ieeeSpecials: boolean;
  open(): Promise<Backend>;
  /** Why (primitive, dtype) is not tested on this backend here, or undefined when it must pass. */
  skip(primitive: PrimitiveName, dtype: DType): string | undefined;
}

/**
 * Settles availability (and adapter features: f16 needs shader-f16) before collection. In CI every
 * backend must be available; suites assert that through `absent`.
 */
export async function planTestBackends(): Promise<PlannedBackend[]> {
  return Promise.all(TEST_BACKENDS.map(async (tb) => {
    const absent = await tb.unavailable();
    const noF16 = tb.label === 'webgpu' && absent === null && !(await webgpuHasF16());
    return {
      label: tb.label, absent, ieeeSpecials: tb.ieeeSpecials, open: tb.open,
      skip: (primitive: PrimitiveName, dtype: DType) => {
        if (absent !== null) return `unavailable: ${absent}`;
        if (noF16 && dtype === 'f16') return 'f16 on webgpu: needs shader-f16, which this adapter lacks';
        return skipReason(tb, primitive, dtype);
      },
    };
  }));
}

async function webgpuHasF16(): Promise<boolean> {
  const r = await probeWebGpu();
  return r.ok && String(r.details?.features ?? '').split(' ').includes('shader-f16');
}

declare const Deno: unknown;

/**
 * Claims loop over thousands of small steps, one GPU submit each. Under Deno's wgpu a submit costs
 * about 0.5 ms (S30's reduced form takes 190 s on lavapipe, against 34 s through Dawn in Node), and a
 * long run of them crashed the vitest worker (Deno segfault in libc, 2026-11-26): there they are run
 * by `lowrank claims --backend webgpu` instead, which completes.
 */
function runtimeSkip(tb: PlannedBackend): string | undefined {
  return tb.label === 'webgpu' && typeof Deno !== 'undefined' ? "Deno's wgpu: thousands of small submits crash the test worker; run lowrank claims --backend webgpu" : undefined;
}

/** A test a family file hands to `it`: the runner compares `actual` with `declared` and shows `measured` on failure. */
export interface FamilyTest<A = unknown> {
  title: string;
  skip: boolean;
  run(be: Backend): Promise<{ actual: A; declared: A; measured: string }>;
}

export type ClaimTest = FamilyTest<BandCheck>;

/**
 * Turns the WASM heap's guard mode on for the backends this test file opens (each file runs in its own
 * process): 64 pattern bytes after every allocation, checked after every kernel call, so an overrun
 * fails the call with the kernel's name. The conformance suites (primitives, linalg, the hard-matrix
 * sweep) call it; the families' claim tests, thousands of small calls each, run without it.
 */
export function guardWasmMemory(): void {
  const env = (globalThis as { process?: { env: Record<string, string | undefined> } }).process?.env;
  if (env !== undefined) env.LOWRANK_WASM_GUARD = '1';
}

/** A test's title with its skip reason, which the test run's summary counts by reason. */
export function skipTitle(title: string, why: string | undefined): string {
  return why === undefined ? title : `${title} (skipped: ${why})`;
}

/** Why something calling these primitives in `dtype` is not tested on this backend: the first primitive's skip reason, or undefined. */
export function firstSkip(tb: PlannedBackend, primitives: readonly PrimitiveName[], dtype: DType): string | undefined {
  return primitives.map((p) => tb.skip(p, dtype)).find((w) => w !== undefined);
}

/**
 * The golden tests every family runs on a test backend: each verified case in each dtype passes every
 * entry of its golden (and has at least one entry there).
 */
export function goldenTests(cases: readonly CaseDef[], tb: PlannedBackend, goldenRoot: string, dtypes: readonly DType[] = ['f64', 'f32']): FamilyTest<{ entries: boolean; failing: string[] }>[] {
  return cases.filter((c) => c.verify !== undefined).flatMap((c) => dtypes.map((dtype) => {
    const why = c.dtypes.includes(dtype) ? firstSkip(tb, c.primitives, dtype) : `the case declares no ${dtype}`;
    return {
      title: `${c.id} passes every golden entry (${c.verify!.golden}) (${dtype})${why ? ` (skipped: ${why})` : ''}`,
      skip: why !== undefined,
      async run(be: Backend) {
        const records = await verifyCases({ cases: [c], backends: [be], goldenRoot, dtypes: [dtype] });
        const failing = records.filter((r) => r.status !== 'pass').map((r) => `${r.entry}: ${r.status} ${r.message ?? JSON.stringify(r.metrics)}`);
        return { actual: { entries: records.length > 0, failing }, declared: { entries: true, failing: [] }, measured: `${records.length} entries` };
      },
    };
  }));
}

/**
 * The tests every family runs for its claims on a test backend: each claim's reduced experiment in
 * each of its dtypes runs, and every quantity its predicates read lies in the claim's declared band.
 * The verdict is not asserted: it is what the measurement gives (the full run's is in docs/claims-full.json).
 */
export function claimTests(claims: readonly ClaimDef[], tb: PlannedBackend, dtypes: readonly DType[] = ['f64', 'f32']): ClaimTest[] {
  return claims.flatMap((claim) => dtypes.map((dtype) => {
    const why = claim.dtypes.includes(dtype) ? firstSkip(tb, claim.primitives, dtype) ?? runtimeSkip(tb) : `the claim declares no ${dtype}`;
    return {
      title: `${claim.paper} ${claim.id} ${dtype}: reduced experiment's quantities lie in their bands${why ? ` (skipped: ${why})` : ''}`,
      skip: why !== undefined,
      async run(be: Backend) {
        const [r] = await runClaims({ claims: [claim], backends: [be], dtypes: [dtype], mode: 'reduced' });
        return { actual: checkBands(claim, r), declared: { unbanded: [], outside: [] }, measured: `${r.status}: ${formatMeasured(r)}` };
      },
    };
  }));
}
