import {
  bandFor,
  claimVerdict,
  inBand,
  notRunReason,
  VacuousPredicateError,
  type Backend,
  type Band,
  type ClaimContext,
  type ClaimDef,
  type ClaimPlot,
  type DType,
  InterruptedError,
} from '@lowrank/core';
import { z } from 'zod';
import { fromMeasured, Measured, toMeasured } from './measured.ts';
import { yieldToEventLoop, type Progress } from './progress.ts';
import { missingPrimitives, stopped } from './verify.ts';

const PlotAxis = z.object({
  name: z.string(),
  log: z.boolean().optional(),
  categories: z.array(z.string()).optional(),
});

/** A claim's plot (core claim-plot.ts) as evaluated on the run's measurement; non-finite values by name. */
export const PlotRecord = z.object({
  title: z.string(),
  x: PlotAxis,
  y: PlotAxis,
  series: z.array(
    z.object({
      name: z.string(),
      points: z.array(z.tuple([Measured, Measured])),
      style: z.enum(['line', 'points', 'reference']).optional(),
    }),
  ),
  marks: z.array(z.object({ axis: z.enum(['x', 'y']), at: Measured, label: z.string() })).optional(),
});
export type PlotRecord = z.infer<typeof PlotRecord>;

function plotRecord(p: ClaimPlot): PlotRecord {
  return {
    ...p,
    x: { ...p.x, categories: p.x.categories && [...p.x.categories] },
    y: { ...p.y, categories: p.y.categories && [...p.y.categories] },
    series: p.series.map((s) => ({ ...s, points: s.points.map(([x, y]) => [toMeasured(x), toMeasured(y)]) })),
    marks: p.marks?.map((m) => ({ ...m, at: toMeasured(m.at) })),
  };
}

export const ClaimRecord = z.object({
  claim: z.string(),
  paper: z.string(),
  family: z.string(),
  title: z.string(),
  statement: z.string(),
  backend: z.string(),
  backendDescription: z.string(),
  dtype: z.enum(['f16', 'f32', 'f64']),
  threads: z.number().int(),
  /** 'full': the paper's experiment as declared; 'standard': the main job's (seconds); 'reduced': what `npm test` runs on every backend. */
  mode: z.enum(['full', 'standard', 'reduced']),
  /** 'reproduced' needs empirical predicates that hold; with only identity/mechanism ones holding, 'mechanism verified'. */
  status: z.enum(['reproduced', 'mechanism verified', 'not reproduced', 'unsupported', 'error']),
  /** Files before schema version 5: the verdict the claim declared (claims now declare bands of their quantities instead). */
  expected: z.enum(['reproduced', 'mechanism verified', 'not reproduced']).optional(),
  experiment: z.record(z.string(), z.unknown()),
  paperNumbers: z.array(z.object({ quantity: z.string(), value: z.string() })),
  measured: z.record(z.string(), Measured),
  /** Each predicate's outcome and evidence kind (absent in files from before schema version 4). */
  predicates: z.array(
    z.object({
      name: z.string(),
      rule: z.string(),
      kind: z.enum(['identity', 'mechanism', 'empirical']).optional(),
      holds: z.boolean(),
    }),
  ),
  calibration: z.string().optional(),
  /** The claim's central relation on this run's numbers (absent before schema version 6). */
  plot: PlotRecord.optional(),
  seeds: z.array(z.number()),
  durationMs: z.number(),
  message: z.string().optional(),
});
export type ClaimRecord = z.infer<typeof ClaimRecord>;

export type ClaimMode = ClaimRecord['mode'];

export interface ClaimRunOptions {
  claims: readonly ClaimDef[];
  backends: readonly Backend[];
  /** Default: each claim's first dtype that the backend supports. */
  dtypes?: readonly DType[];
  mode?: ClaimMode;
  progress?: Progress;
  into?: ClaimRecord[];
  signal?: AbortSignal;
}

/**
 * Runs each claim's experiment on each backend and dtype and decides it by its predicates. A claim
 * whose predicates do not all hold is 'not reproduced' (a result, with the numbers); a backend without
 * a needed kernel gives 'unsupported'; an exception gives 'error' with the message.
 */
export async function runClaims(o: ClaimRunOptions): Promise<ClaimRecord[]> {
  const mode = o.mode ?? 'full';
  // Without --dtype: the claim's first dtype this backend has every kernel for (f32 on WebGPU for an f64-first claim).
  const defaultDType = (c: ClaimDef, be: Backend) =>
    c.dtypes.find((d) => missingPrimitives(c, be, d).length === 0) ?? c.dtypes[0];
  const units = o.claims.flatMap((c) =>
    o.backends.flatMap((be) =>
      (o.dtypes === undefined ? [defaultDType(c, be)] : c.dtypes.filter((d) => o.dtypes!.includes(d))).map((dtype) => ({
        c,
        be,
        dtype,
      })),
    ),
  );
  const records = o.into ?? [];
  o.progress?.start(units.length, `claims (${mode})`);
  for (const { c, be, dtype } of units) {
    if (stopped(o.signal)) break;
    o.progress?.item(`${c.paper} ${c.id} ${be.name} ${dtype}`);
    const experiment = c.experiment[mode];
    const base = {
      claim: c.id,
      paper: c.paper,
      family: c.family,
      title: c.title,
      statement: c.statement,
      backend: be.name,
      backendDescription: be.info.description,
      dtype,
      threads: Number(be.info.details.threads ?? 1),
      mode,
      experiment,
      paperNumbers: [...c.paperNumbers],
      calibration: c.calibration,
      measured: {},
      predicates: [],
      seeds: [],
    };
    const notRun = notRunReason(be, c.primitives, dtype);
    if (notRun !== undefined) {
      records.push({ ...base, status: 'unsupported', durationMs: 0, message: notRun });
      continue;
    }
    const t0 = performance.now();
    const release = be.track();
    try {
      const ctx: ClaimContext = {
        async step(what) {
          o.progress?.step(what);
          await yieldToEventLoop();
        },
      };
      const outcome = await c.run(be, dtype, experiment, ctx);
      const predicates = c.predicates.map((p) => {
        try {
          return { name: p.name, rule: p.rule, kind: p.kind, holds: p.holds(outcome.measured) };
        } catch (e) {
          throw e instanceof VacuousPredicateError
            ? new VacuousPredicateError(`predicate '${p.name}': ${e.message}`)
            : e;
        }
      });
      const status = claimVerdict(predicates);
      records.push({
        ...base,
        status,
        predicates,
        seeds: [...outcome.seeds],
        durationMs: performance.now() - t0,
        measured: Object.fromEntries(Object.entries(outcome.measured).map(([k, v]) => [k, toMeasured(v)])),
        plot: plotRecord(c.plot(outcome.measured, experiment)),
      });
    } catch (e) {
      if (e instanceof InterruptedError) break; // stopped by a signal: the item is dropped, the run saved
      const message = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
      records.push({ ...base, status: 'error', durationMs: performance.now() - t0, message });
      o.progress?.note(`ERROR claim ${c.id} ${be.name} ${dtype}: ${message}`);
    } finally {
      release();
    }
  }
  o.progress?.finish();
  return records;
}

/** `name = value` pairs with 3 significant digits, for tables and logs. */
export function formatMeasured(r: Pick<ClaimRecord, 'measured'>): string {
  return Object.entries(r.measured)
    .map(([k, v]) => `${k} = ${typeof v === 'number' ? Number(v.toPrecision(3)).toString() : v}`)
    .join(', ');
}

/** The paper's numbers as one line. */
export function formatPaperNumbers(r: Pick<ClaimRecord, 'paperNumbers'>): string {
  return r.paperNumbers.map((p) => `${p.quantity}: ${p.value}`).join('; ');
}

/** A run against its claim's bands (see ClaimDef.bands): what a test expects empty. */
export interface BandCheck {
  /** The run ended in an error or could not run: its message. */
  error?: string;
  /** Quantities a predicate reads that have no band. */
  unbanded: string[];
  /** Bands the run misses: `quantity = value ∉ [lo, hi]`, or not measured at all. */
  outside: string[];
}

/** The keys `use` reads from `measured` (through a recording proxy), present or not. */
function keysRead(
  measured: Readonly<Record<string, number>>,
  use: (m: Readonly<Record<string, number>>) => void,
): Set<string> {
  const read = new Set<string>();
  use(new Proxy(measured, { get: (t, k) => (typeof k === 'string' && read.add(k), Reflect.get(t, k)) }));
  return read;
}

/** The quantities a claim's predicates read (by key) when they decide on `measured`. */
export function quantitiesRead(
  c: Pick<ClaimDef, 'predicates'>,
  measured: Readonly<Record<string, number>>,
): Set<string> {
  return keysRead(measured, (m) => c.predicates.forEach((p) => p.holds(m)));
}

/** The measured values of a record as numbers (non-finite ones back from their names). */
export function measuredValues(r: Pick<ClaimRecord, 'measured'>): Record<string, number> {
  return Object.fromEntries(Object.entries(r.measured).map(([k, v]) => [k, fromMeasured(v)]));
}

/**
 * What is wrong with a run's plot: a quantity the claim's plot reads that the run did not measure (a
 * misspelt key draws nothing, silently), or a series with no finite point. Empty when the plot is sound.
 */
export function plotProblems(c: Pick<ClaimDef, 'plot'>, r: ClaimRecord): string[] {
  if (r.status === 'error' || r.status === 'unsupported') return [];
  const measured = measuredValues(r);
  const missing = [...keysRead(measured, (m) => c.plot(m, r.experiment as never))].filter(
    (k) => !Object.hasOwn(measured, k),
  );
  const empty = (r.plot?.series ?? [])
    .filter((s) => !s.points.some(([x, y]) => Number.isFinite(fromMeasured(x)) && Number.isFinite(fromMeasured(y))))
    .map((s) => `series '${s.name}' has no finite point`);
  return [...missing.map((k) => `the plot reads '${k}', which the run did not measure`), ...empty];
}

export function checkBands(c: ClaimDef, r: ClaimRecord): BandCheck {
  if (r.status === 'error' || r.status === 'unsupported')
    return { error: r.message ?? r.status, unbanded: [], outside: [] };
  const measured = measuredValues(r),
    read = quantitiesRead(c, measured);
  const bands = Object.entries(c.bands).map(([k, b]) => [k, bandFor(b, r.dtype)] as const);
  const unbanded = [...read].filter((k) => !bands.some(([q, b]) => q === k && b !== undefined));
  const outside = bands
    .filter((e): e is readonly [string, Band] => e[1] !== undefined)
    .filter(([k, b]) => !Object.hasOwn(measured, k) || !inBand(measured[k], b))
    .map(
      ([k, b]) =>
        `${k} = ${Object.hasOwn(measured, k) ? measured[k] : 'not measured'} ∉ ${b === 'timed' ? 'finite (timed)' : `[${b[0]}, ${b[1]}]`}`,
    );
  return { unbanded, outside };
}
