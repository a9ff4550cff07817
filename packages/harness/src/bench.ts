import {
  median,
  notRunReason,
  type Backend,
  type BenchInstance,
  type BenchSpec,
  type CaseDef,
  type DType,
  InterruptedError,
} from '@lowrank/core';
import { Bench } from 'tinybench';
import { z } from 'zod';
import { Measured, toMeasured } from './measured.ts';
import type { Progress } from './progress.ts';
import { stopped } from './verify.ts';

/** A time: finite and not negative (a negative or NaN time is a corrupt or hostile file). */
const Ms = z.number().nonnegative();

export const BenchStats = z.object({
  samples: z.number().int().positive(),
  medianMs: Ms,
  madMs: Ms,
  meanMs: Ms,
  minMs: Ms,
  maxMs: Ms,
  p75Ms: Ms,
  p99Ms: Ms,
  /** Relative margin of error of the mean (95%), in percent. */
  rme: z.number(),
  /** The latency samples (ms), evenly thinned to at most 200, for comparisons by bootstrap. */
  samplesMs: z.array(Ms).min(1).optional(),
  /** Runs timed together as one sample (each sample above is per run): > 1 for a run near the timer's resolution. */
  batch: z.number().int().positive().optional(),
  /** The smallest step of performance.now() seen here (browsers coarsen it to 5–100 µs). */
  timerResolutionMs: z.number().optional(),
});

export const BenchRecord = z.object({
  case: z.string(),
  paper: z.string().optional(),
  params: z.record(z.string(), z.union([z.number(), z.string(), z.boolean()])),
  /** `n=1024`: the params as a stable, human-readable key. */
  label: z.string(),
  backend: z.string(),
  backendDescription: z.string(),
  dtype: z.enum(['f16', 'f32', 'f64']),
  threads: z.number().int(),
  status: z.enum(['ok', 'unsupported', 'error']),
  /** From the case's cost model; absent (and named in `invalid`) when the model gave no finite value. */
  flops: z.number().optional(),
  bytes: z.number().optional(),
  /** Fields left out because their value was not a finite number, with the value: `flops: NaN`. */
  invalid: z.array(z.string()).optional(),
  stats: BenchStats.optional(),
  gflops: z.number().optional(),
  gbps: z.number().optional(),
  accuracy: z.object({ metric: z.string(), value: Measured }).optional(),
  /**
   * GPU backends, three times kept apart: device time from timestamp queries (when the adapter has
   * them), submit to onSubmittedWorkDone (= stats.medianMs), and end to end with the readback.
   */
  gpu: z
    .object({
      timestampMs: z.number().optional(),
      submitToDoneMs: z.number(),
      endToEndMs: z.number().optional(),
      dispatchesPerRun: z.number(),
    })
    .optional(),
  message: z.string().optional(),
});
export type BenchRecord = z.infer<typeof BenchRecord>;

export interface BenchOptions {
  cases: readonly CaseDef[];
  backends: readonly Backend[];
  dtypes?: readonly DType[];
  sizes?: readonly number[];
  /** Glob over `case-id label`, e.g. 'primitives/gemm*' or '*n=1024*'. */
  filter?: string;
  /** Sampling time per benchmark after warm-up (ms). */
  timeMs?: number;
  /**
   * Busy-wait this fraction of each timed run after it, inside the timed region (0.3: a 30% slower
   * build). Only for measuring the gate's power (`--inject-slowdown`, recorded in the run's argv).
   */
  slowdown?: number;
  warmupMs?: number;
  progress?: Progress;
  /** The progress phase's name ('bench'). */
  phase?: string;
  /** Records are pushed here as they are made, so an interrupted run keeps what it measured. */
  into?: BenchRecord[];
  /** Stops before the next unit of work once aborted (Ctrl-C): what was measured stays. */
  signal?: AbortSignal;
}

const GPU_REPEATS = 5;

/**
 * The smallest nonzero step of performance.now(): about 1e-4 ms in Node and Deno, 0.005 ms in a
 * cross-origin-isolated page, 0.1 ms in others. Measured, because runtimes do not say.
 */
export function timerResolutionMs(): number {
  let best = Infinity;
  for (let i = 0; i < 20; i++) {
    const a = performance.now();
    let b = performance.now();
    while (b === a) b = performance.now();
    best = Math.min(best, b - a);
  }
  return best;
}

/** A sample should span this many timer steps, so rounding to the timer's resolution costs ≤ 1%. */
const STEPS_PER_SAMPLE = 100;
const MAX_BATCH = 1 << 20;
/** Samples a benchmark gets at least, unless they would take more than OVERRUN times its time budget. */
const MIN_SAMPLES = 5,
  OVERRUN = 10;

/**
 * How many runs to time as one sample (as tinybench and mitata do for fast functions): enough that
 * a sample spans STEPS_PER_SAMPLE steps of the timer, from a few timed trial runs.
 */
async function batchSize(run: () => Promise<void>, resolutionMs: number): Promise<{ batch: number; perRunMs: number }> {
  // Grow the trial batch until it spans 10 timer steps (one run, for most kernels at benchmark sizes).
  let batch = 1,
    ms: number;
  for (;;) {
    const t0 = performance.now();
    for (let r = 0; r < batch; r++) await run();
    ms = performance.now() - t0;
    if (ms >= 10 * resolutionMs || batch >= MAX_BATCH) break;
    batch = Math.min(MAX_BATCH, batch * 16);
  }
  const perRun = Math.max(ms / batch, resolutionMs / MAX_BATCH);
  return {
    batch: Math.min(MAX_BATCH, Math.max(1, Math.ceil((STEPS_PER_SAMPLE * resolutionMs) / perRun))),
    perRunMs: perRun,
  };
}

/** At most `max` values, evenly spaced through the (sorted) samples. */
function thin(samples: ArrayLike<number>, max: number): number[] {
  const n = samples.length;
  if (n <= max) return Array.from(samples);
  return Array.from({ length: max }, (_, i) => samples[Math.floor((i * (n - 1)) / (max - 1))]);
}

/** Timestamp-query device time and end-to-end time (run + readback) over a few extra runs. */
async function gpuTimes(
  be: Backend,
  inst: BenchInstance,
  submitToDoneMs: number,
  budgetMs: number,
): Promise<NonNullable<BenchRecord['gpu']>> {
  // As many extra runs as fit the time budget, between 1 and GPU_REPEATS (a software adapter's run can take seconds).
  const repeats = Math.max(1, Math.min(GPU_REPEATS, Math.floor(budgetMs / Math.max(submitToDoneMs, 1e-3))));
  const timer = be.gpuTimer as NonNullable<Backend['gpuTimer']>;
  timer.start();
  for (let i = 0; i < repeats; i++) {
    await inst.run();
    await be.sync();
  }
  const t = timer.stop();
  let endToEndMs: number | undefined;
  if (inst.readback !== undefined) {
    const times: number[] = [];
    for (let i = 0; i < repeats; i++) {
      const t0 = performance.now();
      await inst.run();
      await inst.readback();
      times.push(performance.now() - t0);
    }
    endToEndMs = median(times);
  }
  return {
    timestampMs: timer.available && t.submits > 0 ? t.gpuMs / repeats : undefined,
    submitToDoneMs,
    endToEndMs,
    dispatchesPerRun: t.dispatches / repeats,
  };
}

export function paramsLabel(p: Record<string, unknown>): string {
  return Object.entries(p)
    .map(([k, v]) => `${k}=${String(v)}`)
    .join(',');
}

export function globToRegExp(glob: string): RegExp {
  const body = glob
    .split('')
    .map((ch) => (ch === '*' ? '.*' : ch === '?' ? '.' : ch.replace(/[.+^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^${body}$`);
}

type Params = Record<string, number | string | boolean>;

/** The name of every benchmark these cases define at these sizes: 'case-id params', as --filter matches them. */
export function benchKeys(cases: readonly CaseDef[], sizes?: readonly number[]): string[] {
  return cases.flatMap((c) =>
    c.bench === undefined ? [] : c.bench.params(sizes).map((p) => `${c.id} ${paramsLabel(p)}`),
  );
}

/** One benchmark to time: a case at one parameter set, on one backend, in one dtype. */
interface Unit {
  c: CaseDef;
  spec: BenchSpec<Params>;
  p: Params;
  label: string;
  be: Backend;
  dtype: DType;
}

/** Every (case × params × backend × dtype) the options select, in a stable order. */
function planUnits(o: Pick<BenchOptions, 'cases' | 'backends' | 'dtypes' | 'sizes' | 'filter'>): Unit[] {
  const match = o.filter === undefined ? null : globToRegExp(o.filter);
  const units: Unit[] = [];
  for (const c of o.cases) {
    const spec = c.bench;
    if (spec === undefined) continue;
    for (const p of spec.params(o.sizes)) {
      const label = paramsLabel(p);
      if (match !== null && !match.test(`${c.id} ${label}`) && !match.test(c.id)) continue;
      for (const be of o.backends) {
        for (const dtype of c.dtypes)
          if (o.dtypes === undefined || o.dtypes.includes(dtype)) units.push({ c, spec, p, label, be, dtype });
      }
    }
  }
  return units;
}

const threadsOf = (be: Backend) => Number(be.info.details.threads ?? 1);
const unitKey = (u: Unit) => `${u.c.id} ${u.label} ${u.be.name} ${u.dtype} ${threadsOf(u.be)}t`;

/** The fields of a record that do not depend on the measurement. */
function recordHead({ c, spec, p, label, be, dtype }: Unit) {
  const cost = spec.cost(p, dtype);
  return finiteFields(
    {
      case: c.id,
      paper: c.paper,
      params: p,
      label,
      backend: be.name,
      backendDescription: be.info.description,
      dtype,
      threads: threadsOf(be),
      flops: cost.flops,
      bytes: cost.bytes,
    },
    ['flops', 'bytes'],
  );
}

/**
 * The record with each named numeric field that is not finite (a cost model's 0/0 at n = 0) left out
 * and listed in `invalid`: the record, and the run, are kept rather than refused at the final write.
 */
function finiteFields<R extends object>(r: R, fields: ReadonlyArray<keyof R & string>): R & { invalid?: string[] } {
  const bad = fields.filter((f) => r[f] !== undefined && !Number.isFinite(r[f] as number));
  if (bad.length === 0) return r;
  const before = (r as { invalid?: string[] }).invalid ?? [];
  const out: R & { invalid?: string[] } = { ...r, invalid: [...before, ...bad.map((f) => `${f}: ${String(r[f])}`)] };
  for (const f of bad) delete out[f];
  return out;
}

/** Median, MAD, mean, extremes, percentiles and the 95% relative margin of error of latency samples (ms). */
export function summarize(samplesMs: readonly number[]): BenchStats {
  const s = [...samplesMs].sort((a, b) => a - b);
  const n = s.length;
  const quantile = (q: number) => {
    const x = q * (n - 1),
      i = Math.floor(x);
    return i + 1 < n ? s[i] + (x - i) * (s[i + 1] - s[i]) : s[n - 1];
  };
  const med = quantile(0.5);
  const mean = s.reduce((a, b) => a + b, 0) / n;
  const sd = n > 1 ? Math.sqrt(s.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1)) : 0;
  return {
    samples: n,
    medianMs: med,
    madMs: median(s.map((x) => Math.abs(x - med))),
    meanMs: mean,
    minMs: s[0],
    maxMs: s[n - 1],
    p75Ms: quantile(0.75),
    p99Ms: quantile(0.99),
    rme: mean > 0 ? (100 * 1.96 * sd) / Math.sqrt(n) / mean : 0,
    samplesMs: thin(s, 200),
  };
}
export type BenchStats = z.infer<typeof BenchStats>;

/** A measured record: GFLOP/s and GB/s from the cost model at the median, and the run's accuracy. */
async function measuredRecord(
  u: Unit,
  inst: BenchInstance,
  stats: BenchStats,
  gpu?: BenchRecord['gpu'],
): Promise<BenchRecord> {
  if (!(stats.medianMs > 0))
    throw new Error(
      `cannot be timed: the median is below this runtime's timer resolution (${stats.timerResolutionMs ?? '?'} ms) even at ${stats.batch ?? 1} runs a sample`,
    );
  const head = recordHead(u);
  const accuracy = inst.accuracy === undefined ? undefined : await inst.accuracy();
  return finiteFields(
    {
      ...head,
      status: 'ok' as const,
      stats,
      gflops: head.flops === undefined ? undefined : head.flops / (stats.medianMs * 1e6),
      gbps: head.bytes === undefined ? undefined : head.bytes / (stats.medianMs * 1e6),
      accuracy: accuracy === undefined ? undefined : { metric: accuracy.metric, value: toMeasured(accuracy.value) },
      gpu,
    },
    ['gflops', 'gbps'],
  );
}

const errorMessage = (e: unknown) => (e instanceof Error ? `${e.name}: ${e.message}` : String(e));

/** An 'unsupported' record when the backend lacks a kernel the case needs, else null. */
function unsupportedRecord(u: Unit): BenchRecord | null {
  const message = notRunReason(u.be, u.c.primitives, u.dtype);
  return message === undefined ? null : { ...recordHead(u), status: 'unsupported', message };
}

/** Busy-waits `ms` (an injected slowdown: a real delay inside the timed region, not a rescaled number). */
function spinFor(ms: number): void {
  const end = performance.now() + ms;
  while (performance.now() < end) {
    /* spin */
  }
}

/** `run`, followed inside the timed region by a busy-wait of `slowdown` × its own time; `run` itself without one. */
function slowed(run: () => Promise<void>, slowdown: number | undefined): () => Promise<void> {
  if (slowdown === undefined) return run;
  return async () => {
    const t0 = performance.now();
    await run();
    spinFor((performance.now() - t0) * slowdown);
  };
}

/**
 * Times every (case × params × backend × dtype) with tinybench after warm-up, and records the
 * statistics, GFLOP/s and GB/s from the case's cost model, and the accuracy the same run achieved.
 * Errors and missing kernels become records, never exceptions.
 */
export async function benchCases(opts: BenchOptions): Promise<BenchRecord[]> {
  const units = planUnits(opts);
  const records: BenchRecord[] = opts.into ?? [];
  const resolutionMs = timerResolutionMs();
  opts.progress?.start(units.length, opts.phase ?? 'bench');
  for (const u of units) {
    if (stopped(opts.signal)) break;
    opts.progress?.item(unitKey(u));
    const unsupported = unsupportedRecord(u);
    if (unsupported !== null) {
      records.push(unsupported);
      continue;
    }
    let instance;
    try {
      instance = await u.spec.setup(u.be, u.dtype, u.p);
      const inst = instance;
      // sync() waits for submitted GPU work (a no-op on CPU backends): a GPU run is timed to completion.
      const once = slowed(async () => {
        await inst.run();
        await u.be.sync();
      }, opts.slowdown);
      const { batch, perRunMs } = await batchSize(once, resolutionMs);
      // The time budget holds for slow runs too (a software GPU adapter can take seconds a run): the
      // minimum sample count shrinks to what fits, and a run longer than the warm-up time (the trial
      // above) was its own warm-up.
      const timeMs = opts.timeMs ?? 500,
        warmupMs = opts.warmupMs ?? 100;
      const slow = perRunMs * batch > warmupMs;
      const bench = new Bench({
        // The clock batchSize() sized the batch against (tinybench would bind its own at load).
        now: () => performance.now(),
        time: timeMs,
        throws: true,
        retainSamples: true,
        warmup: !slow,
        warmupTime: warmupMs,
        warmupIterations: 3,
        iterations:
          MIN_SAMPLES * perRunMs * batch <= OVERRUN * timeMs
            ? MIN_SAMPLES
            : Math.max(1, Math.floor((OVERRUN * timeMs) / (perRunMs * batch))),
      });
      bench.add(
        unitKey(u),
        batch === 1
          ? once
          : slowed(async () => {
              for (let r = 0; r < batch; r++) await inst.run();
              await u.be.sync();
            }, opts.slowdown),
      );
      await bench.run();
      const result = bench.tasks[0].result;
      if (result.state !== 'completed')
        throw result.state === 'errored' ? result.error : new Error(`benchmark ended in state ${result.state}`);
      const stats = {
        ...summarize((result.latency.samples ?? []).map((ms) => ms / batch)),
        batch,
        timerResolutionMs: resolutionMs,
      };
      const gpu = u.be.gpuTimer === undefined ? undefined : await gpuTimes(u.be, inst, stats.medianMs, timeMs);
      records.push(await measuredRecord(u, inst, stats, gpu));
    } catch (e) {
      if (e instanceof InterruptedError) break; // stopped by a signal: the item is dropped, the run saved
      records.push({ ...recordHead(u), status: 'error', message: errorMessage(e) });
      opts.progress?.note(`ERROR bench ${unitKey(u)}: ${errorMessage(e)}`);
    } finally {
      instance?.dispose();
    }
  }
  opts.progress?.finish();
  return records;
}

/** One build's side of an interleaved A/B benchmark: its own cases and backends, loaded in this process. */
export interface InterleaveSide {
  cases: readonly CaseDef[];
  backends: readonly Backend[];
}

export interface InterleaveOptions extends Omit<BenchOptions, 'cases' | 'backends' | 'into'> {
  base: InterleaveSide;
  current: InterleaveSide;
  into?: { base: BenchRecord[]; current: BenchRecord[] };
}

/** Runs of one side in a row, sized so a slice lasts about this long (ms). */
const SLICE_MS = 5;

/**
 * Interleaved A/B timing of two builds in one process (the way to compare commits on a noisy
 * machine: both sides see the same load, clock and thermal state). For each benchmark both builds
 * have, both instances are set up, warmed up, then timed in alternating slices of a few
 * milliseconds, in ABBA order so neither side always runs first, until each side has had `timeMs`
 * of samples. Every run is timed to completion (sync) on its own. Benchmarks only one build has
 * are reported and skipped.
 */
export async function benchInterleaved(o: InterleaveOptions): Promise<{ base: BenchRecord[]; current: BenchRecord[] }> {
  const out = o.into ?? { base: [], current: [] };
  const baseUnits = new Map(planUnits({ ...o, ...o.base }).map((u) => [unitKey(u), u]));
  const pairs: Array<[Unit, Unit]> = [];
  for (const u of planUnits({ ...o, ...o.current })) {
    const b = baseUnits.get(unitKey(u));
    if (b === undefined) o.progress?.note(`interleave: ${unitKey(u)} is not in the base build; skipped`);
    else pairs.push([b, u]);
    baseUnits.delete(unitKey(u));
  }
  for (const k of baseUnits.keys()) o.progress?.note(`interleave: ${k} is not in the current build; skipped`);
  const timeMs = o.timeMs ?? 500;
  o.progress?.start(pairs.length, 'interleaved bench');
  for (const units of pairs) {
    if (stopped(o.signal)) break;
    o.progress?.item(unitKey(units[1]));
    const unsupported = units.map(unsupportedRecord);
    if (unsupported[0] !== null || unsupported[1] !== null) {
      out.base.push(
        unsupported[0] ?? {
          ...recordHead(units[0]),
          status: 'unsupported',
          message: 'not timed: the current build lacks a kernel',
        },
      );
      out.current.push(
        unsupported[1] ?? {
          ...recordHead(units[1]),
          status: 'unsupported',
          message: 'not timed: the base build lacks a kernel',
        },
      );
      continue;
    }
    const insts: Array<BenchInstance | undefined> = [undefined, undefined];
    try {
      for (const i of [0, 1]) insts[i] = await units[i].spec.setup(units[i].be, units[i].dtype, units[i].p);
      // The injected slowdown, if any, applies to the current side only.
      const runs = [0, 1].map((i) =>
        slowed(
          async () => {
            await insts[i]!.run();
            await units[i].be.sync();
          },
          i === 1 ? o.slowdown : undefined,
        ),
      );
      const timeOne = async (i: number) => {
        const t0 = performance.now();
        await runs[i]();
        return performance.now() - t0;
      };
      // Warm-up, alternating, which also estimates each side's time per run.
      const warm: number[][] = [[], []];
      for (const w0 = performance.now(); performance.now() - w0 < 2 * (o.warmupMs ?? 100) || warm[1].length < 3;) {
        for (const i of [0, 1]) warm[i].push(await timeOne(i));
      }
      const slice = [0, 1].map((i) => Math.max(1, Math.round(SLICE_MS / Math.max(median(warm[i]), 1e-3))));
      const samples: number[][] = [[], []];
      const spent = [0, 0];
      for (
        let round = 0;
        (spent[0] < timeMs || spent[1] < timeMs || samples[1].length < 10) && !stopped(o.signal);
        round++
      ) {
        for (const i of round % 2 === 0 ? [0, 1] : [1, 0]) {
          for (let r = 0; r < slice[i]; r++) {
            const t = await timeOne(i);
            samples[i].push(t);
            spent[i] += t;
          }
        }
      }
      out.base.push(await measuredRecord(units[0], insts[0]!, summarize(samples[0])));
      out.current.push(await measuredRecord(units[1], insts[1]!, summarize(samples[1])));
    } catch (e) {
      if (e instanceof InterruptedError) break; // stopped by a signal: the item is dropped, the run saved
      // One side's failure leaves the pair without a comparison: both records carry the message.
      out.base.push({ ...recordHead(units[0]), status: 'error', message: errorMessage(e) });
      out.current.push({ ...recordHead(units[1]), status: 'error', message: errorMessage(e) });
      o.progress?.note(`ERROR interleaved bench ${unitKey(units[1])}: ${errorMessage(e)}`);
    } finally {
      insts.forEach((inst) => inst?.dispose());
    }
  }
  o.progress?.finish();
  return out;
}
