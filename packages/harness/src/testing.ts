import { createRefBackend, REF_SUPPORT } from '@lowrank/backend-ref';
import { createWasmBackend, WASM_SUPPORT } from '@lowrank/backend-wasm';
import { createWebGpuBackend, probeWebGpu, webgpuSupport } from '@lowrank/backend-webgpu';
import type { Backend, CaseDef, ClaimDef, DType, KernelSupport, PrimitiveName } from '@lowrank/core';
import { checkBands, formatMeasured, plotProblems, runClaims, type BandCheck } from './claims.ts';
import { verifyCases } from './verify.ts';

/**
 * The backends the cross-backend test suite runs on. What each must pass is its own capability table
 * (the package's exported `KernelSupport`, the value the backend serves): a (primitive, dtype) pair the
 * table lacks is reported as skipped with the backend's own reason, and every pair it has must pass.
 */
export interface TestBackend {
  label: string;
  /** Null when the backend can run here, else why not (the suite skips it visibly, and fails in CI). */
  unavailable(): Promise<string | null>;
  open(): Promise<Backend>;
  /** Whether NaN and ±Inf are guaranteed to propagate (WGSL lets implementations assume they never occur). */
  ieeeSpecials: boolean;
  /** The backend's kernels here, before it is opened (WebGPU's f16 depends on the adapter). */
  support(): Promise<KernelSupport>;
  /**
   * Why the claims' reduced experiments do not run here, when they run on the other backends only. They run on
   * WASM (one thread, f64 and f32) and WebGPU (f32), the family code being the same on every backend; ref and
   * the second WASM thread made up about 40% of the claim tests' time (ref's TypeScript kernels ~225 s, the
   * second thread competing with the other test fork ~130 s, of 1234 s in one clean-clone run) while checking
   * nothing the others do not: their kernels pass the same goldens and hard-matrix sweep.
   */
  claimsElsewhere?: string;
}

export const TEST_BACKENDS: readonly TestBackend[] = [
  {
    label: 'ref',
    unavailable: async () => null,
    open: async () => createRefBackend(),
    ieeeSpecials: true,
    support: async () => REF_SUPPORT,
    claimsElsewhere:
      "claims run on wasm and webgpu: ref is the goldens' f64 oracle, and wasm f64 runs the same family code",
  },
  {
    label: 'wasm (1 thread)',
    unavailable: async () => null,
    open: () => createWasmBackend({ threads: 1 }),
    ieeeSpecials: true,
    support: async () => WASM_SUPPORT,
  },
  {
    label: 'wasm (2 threads)',
    unavailable: async () => null,
    open: () => createWasmBackend({ threads: 2 }),
    ieeeSpecials: true,
    support: async () => WASM_SUPPORT,
    claimsElsewhere:
      'claims run on wasm (1 thread): the two-thread kernels pass the same goldens and sweep as one thread',
  },
  {
    label: 'webgpu',
    unavailable: async () => {
      const r = await probeWebGpu();
      return r.ok ? null : (r.reason ?? 'unavailable');
    },
    open: () => createWebGpuBackend(),
    ieeeSpecials: false,
    support: async () => webgpuSupport(await webgpuHasF16()),
  },
];

/** A test backend with its availability settled, so suites can be collected with visible skips. */
export interface PlannedBackend {
  label: string;
  /** Null when the backend runs here, else why not. */
  absent: string | null;
  ieeeSpecials: boolean;
  open(): Promise<Backend>;
  /** Why (primitive, dtype) is not tested on this backend here, or undefined when it must pass. */
  skip(primitive: PrimitiveName, dtype: DType): string | undefined;
  /** The capability table the plan was read from (null when the backend is absent). */
  support: KernelSupport | null;
  /** TestBackend.claimsElsewhere. */
  claimsElsewhere?: string;
}

/**
 * Settles availability (and adapter features: f16 needs shader-f16) before collection. In CI every
 * backend must be available; suites assert that through `absent`.
 */
export async function planTestBackends(): Promise<PlannedBackend[]> {
  return Promise.all(
    TEST_BACKENDS.map(async (tb) => {
      const absent = await tb.unavailable();
      const support = absent === null ? await tb.support() : null;
      return {
        label: tb.label,
        absent,
        ieeeSpecials: tb.ieeeSpecials,
        open: tb.open,
        support,
        claimsElsewhere: tb.claimsElsewhere,
        skip: (primitive: PrimitiveName, dtype: DType) => {
          if (support === null) return `unavailable: ${absent}`;
          return support.capabilities[primitive]?.includes(dtype)
            ? undefined
            : support.noKernelReason(primitive, dtype);
        },
      };
    }),
  );
}

async function webgpuHasF16(): Promise<boolean> {
  const r = await probeWebGpu();
  return (
    r.ok &&
    String(r.details?.features ?? '')
      .split(' ')
      .includes('shader-f16')
  );
}

declare const Deno: unknown;

/**
 * Claims loop over thousands of small steps, one GPU submit each. Under Deno's wgpu a submit costs
 * several times what it costs through Dawn in Node, and a long run of them has crashed the vitest
 * worker: there they are run by `lowrank claims --backend webgpu` instead, which completes.
 */
function runtimeSkip(tb: PlannedBackend): string | undefined {
  return tb.label === 'webgpu' && typeof Deno !== 'undefined'
    ? "Deno's wgpu: thousands of small submits crash the test worker; run lowrank claims --backend webgpu"
    : undefined;
}

/** A test a family file hands to `it`: the runner compares `actual` with `declared` and shows `measured` on failure. */
export interface FamilyTest<A = unknown> {
  title: string;
  skip: boolean;
  run(be: Backend): Promise<{ actual: A; declared: A; measured: string }>;
}

export type ClaimTest = FamilyTest<BandCheck & { primitives: PrimitiveName[] }>;

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
 * Runs `run` with `be`'s kernel table behind a recording proxy and returns the primitives it called,
 * sorted. The backend object itself is kept (its tensors stay owned by it, as the ops front door
 * checks); only its `kernels` property is swapped for the run and restored after.
 */
export async function recordPrimitives<T>(
  be: Backend,
  run: () => Promise<T>,
): Promise<{ result: T; called: PrimitiveName[] }> {
  const table = be.kernels;
  const called = new Set<PrimitiveName>();
  const proxy = new Proxy(table, {
    get(t, p, receiver) {
      if (typeof p === 'string' && p in t) called.add(p as PrimitiveName);
      return Reflect.get(t, p, receiver) as unknown;
    },
  });
  const swap = (value: object) => Object.defineProperty(be, 'kernels', { value, configurable: true, writable: true });
  swap(proxy);
  try {
    return { result: await run(), called: [...called].sort() };
  } finally {
    swap(table);
  }
}

/** What a case or claim declares it calls, as `recordPrimitives` reports calls: distinct, sorted. */
const declaredPrimitives = (ps: readonly PrimitiveName[]) => [...new Set(ps)].sort();

/**
 * The golden tests every family runs on a test backend: each verified case in each dtype passes every
 * entry of its golden (and has at least one entry there), calling no primitive it does not declare.
 */
export function goldenTests(
  cases: readonly CaseDef[],
  tb: PlannedBackend,
  goldenRoot: string,
  dtypes: readonly DType[] = ['f64', 'f32'],
): FamilyTest<{ entries: boolean; failing: string[]; undeclared: PrimitiveName[] }>[] {
  return cases
    .filter((c) => c.verify !== undefined)
    .flatMap((c) =>
      dtypes.map((dtype) => {
        const why = c.dtypes.includes(dtype) ? firstSkip(tb, c.primitives, dtype) : `the case declares no ${dtype}`;
        return {
          title: `${c.id} passes every golden entry (${c.verify!.golden}) (${dtype})${why ? ` (skipped: ${why})` : ''}`,
          skip: why !== undefined,
          async run(be: Backend) {
            const { result: records, called } = await recordPrimitives(be, () =>
              verifyCases({ cases: [c], backends: [be], goldenRoot, dtypes: [dtype] }),
            );
            const failing = records
              .filter((r) => r.status !== 'pass')
              .map((r) => `${r.entry}: ${r.status} ${r.message ?? JSON.stringify(r.metrics)}`);
            // Verification is one of a case's two paths (its benchmark may call more), so calls are checked
            // against the declaration, not the declaration against the calls.
            const undeclared = called.filter((p) => !c.primitives.includes(p));
            return {
              actual: { entries: records.length > 0, failing, undeclared },
              declared: { entries: true, failing: [], undeclared: [] },
              measured: `${records.length} entries`,
            };
          },
        };
      }),
    );
}

/**
 * The tests every family runs for its claims on a test backend: each claim's reduced experiment in
 * each of its dtypes runs, every quantity its predicates read lies in the claim's declared band, its
 * plot reads only measured quantities and draws each series, and it calls exactly the primitives it declares (the full experiment runs the same code at larger sizes). The verdict is not asserted: it is what the
 * measurement gives (the full run's is in docs/claims-full.json).
 */
export function claimTests(
  claims: readonly ClaimDef[],
  tb: PlannedBackend,
  dtypes: readonly DType[] = ['f64', 'f32'],
): ClaimTest[] {
  return claims.flatMap((claim) =>
    dtypes.map((dtype) => {
      const why = claim.dtypes.includes(dtype)
        ? (firstSkip(tb, claim.primitives, dtype) ?? runtimeSkip(tb) ?? tb.claimsElsewhere)
        : `the claim declares no ${dtype}`;
      return {
        title: `${claim.paper} ${claim.id} ${dtype}: reduced experiment's quantities lie in their bands, its plot draws measured ones${why ? ` (skipped: ${why})` : ''}`,
        skip: why !== undefined,
        async run(be: Backend) {
          const {
            result: [r],
            called,
          } = await recordPrimitives(be, () =>
            runClaims({ claims: [claim], backends: [be], dtypes: [dtype], mode: 'reduced' }),
          );
          return {
            actual: { ...checkBands(claim, r), plot: plotProblems(claim, r), primitives: called },
            declared: { unbanded: [], outside: [], plot: [], primitives: declaredPrimitives(claim.primitives) },
            measured: `${r.status}: ${formatMeasured(r)}`,
          };
        },
      };
    }),
  );
}
