/**
 * The suite every family test file runs on each planned test backend (`@lowrank/harness/vitest`, kept
 * out of the main entry so that nothing outside tests imports vitest): open the backend once, run every
 * claim's reduced experiment and every golden, then the family's own tests with the open backend. Each
 * run is recorded (`recordPrimitives`): a claim calls exactly the primitives it declares, a case's
 * verification and benchmark none it does not.
 */
import type { Backend, CaseDef, ClaimDef, DType } from '@lowrank/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { benchCases, type BenchRecord } from './bench.ts';
import {
  claimTests,
  firstSkip,
  goldenTests,
  planTestBackends,
  recordPrimitives,
  type PlannedBackend,
} from './testing.ts';

export interface FamilySuite {
  readonly family: string;
  readonly claims?: readonly ClaimDef[];
  readonly cases?: readonly CaseDef[];
  readonly goldenRoot: string;
  /** Run every benchmark once at these sizes (a smoke test: status ok, and the accuracy below the bound where one is given). */
  readonly bench?: {
    readonly sizes: readonly number[];
    readonly timeMs?: number;
    readonly accuracyBelow?: Partial<Record<DType, number>>;
  };
  /** More tests, declared with `it` inside the backend's describe block; `backend()` is open while they run. */
  readonly extra?: (tb: PlannedBackend, backend: () => Backend) => void;
}

export async function familySuite(s: FamilySuite): Promise<void> {
  const plan = await planTestBackends();
  describe.each(plan)(`${s.family} on $label`, (tb) => {
    let be: Backend;
    beforeAll(async () => {
      if (tb.absent === null) be = await tb.open();
    });
    afterAll(async () => {
      await be?.close();
    });

    for (const t of [...claimTests(s.claims ?? [], tb), ...goldenTests(s.cases ?? [], tb, s.goldenRoot)]) {
      it.skipIf(t.skip)(
        t.title,
        async () => {
          const { actual, declared, measured } = await t.run(be);
          expect(actual, measured).toEqual(declared);
        },
        120_000,
      );
    }
    for (const dtype of (s.bench ? ['f64', 'f32'] : []) as DType[]) {
      const benched = (s.cases ?? []).filter((c) => c.bench !== undefined && c.dtypes.includes(dtype));
      const why =
        benched.length === 0
          ? `no ${s.family} benchmark declares ${dtype}`
          : firstSkip(
              tb,
              benched.flatMap((c) => c.primitives),
              dtype,
            );
      const bound = s.bench!.accuracyBelow?.[dtype];
      it.skipIf(why !== undefined)(
        `every ${s.family} benchmark runs${bound === undefined ? '' : ` with accuracy below ${bound}`} (${dtype})${why ? ` (skipped: ${why})` : ''}`,
        async () => {
          const records: BenchRecord[] = [];
          for (const c of benched) {
            const { called } = await recordPrimitives(be, () =>
              benchCases({
                cases: [c],
                backends: [be],
                dtypes: [dtype],
                sizes: s.bench!.sizes,
                timeMs: s.bench!.timeMs ?? 5,
                warmupMs: 1,
                into: records,
              }),
            );
            expect(
              called.filter((p) => !c.primitives.includes(p)),
              `${c.id}: primitives its benchmark calls but does not declare`,
            ).toEqual([]);
          }
          const label = (r: BenchRecord) => `${r.case} ${JSON.stringify(r.params)}`;
          expect(records.map((r) => `${label(r)}: ${r.status}`)).toEqual(records.map((r) => `${label(r)}: ok`));
          if (bound !== undefined) for (const r of records) expect(r.accuracy?.value, label(r)).toBeLessThan(bound);
        },
        120_000,
      );
    }
    s.extra?.(tb, () => be);
  });
}
