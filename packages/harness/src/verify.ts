import {
  EPSILON,
  notRunReason,
  supports,
  type Backend,
  type CaseDef,
  type DType,
  type ThresholdOverride,
  type VerificationSpec,
  InterruptedError,
} from '@lowrank/core';
import { z } from 'zod';
import { loadGolden, type LoadedGolden } from './golden/store.ts';
import { conformingEntry } from './golden/reads.ts';
import { Measured, toMeasured } from './measured.ts';
import type { Progress } from './progress.ts';

export const MetricRecord = z.object({
  name: z.string(),
  value: Measured,
  threshold: z.number(),
  passed: z.boolean(),
});

export const VerificationRecord = z.object({
  case: z.string(),
  paper: z.string().optional(),
  entry: z.string(),
  backend: z.string(),
  dtype: z.enum(['f16', 'f32', 'f64']),
  /** ε of the dtype the backend computed in: the unit every ratio is measured in. */
  eps: z.number().optional(),
  status: z.enum(['pass', 'fail', 'unsupported', 'error']),
  metrics: z.array(MetricRecord),
  message: z.string().optional(),
  durationMs: z.number(),
});
export type VerificationRecord = z.infer<typeof VerificationRecord>;

/** The threshold in force for a metric: the case's, unless a declared override matches backend and dtype. */
export function thresholdFor(spec: VerificationSpec, metric: string, backend: string, dtype: DType): number {
  const base = spec.thresholds[metric];
  let value = base === undefined ? 0 : base.value;
  for (const o of spec.overrides ?? ([] as ThresholdOverride[])) {
    if (
      o.metric === metric &&
      (o.backend === undefined || o.backend === backend) &&
      (o.dtype === undefined || o.dtype === dtype)
    )
      value = o.value;
  }
  return value;
}

/** Read through a call so TypeScript does not narrow a flag that changes while we await. */
export function stopped(signal: AbortSignal | undefined): boolean {
  return signal?.aborted ?? false;
}

export function missingPrimitives(c: Pick<CaseDef, 'primitives'>, be: Backend, dtype: DType): string[] {
  return c.primitives.filter((p) => !supports(be, p, dtype));
}

export interface VerifyOptions {
  cases: readonly CaseDef[];
  backends: readonly Backend[];
  goldenRoot: string;
  dtypes?: readonly DType[];
  progress?: Progress;
  /** Records are pushed here as they are made, so an interrupted run keeps what it measured. */
  into?: VerificationRecord[];
  /** Stops before the next unit of work once aborted (Ctrl-C): what was measured stays. */
  signal?: AbortSignal;
}

/** Plans the (case × backend × dtype) units of work, so progress has a total before anything runs. */
function plan(opts: VerifyOptions) {
  const units: Array<{ c: CaseDef; be: Backend; dtype: DType }> = [];
  for (const c of opts.cases) {
    if (c.verify === undefined) continue;
    for (const be of opts.backends) {
      for (const dtype of c.dtypes)
        if (opts.dtypes === undefined || opts.dtypes.includes(dtype)) units.push({ c, be, dtype });
    }
  }
  return units;
}

/**
 * Checks every case against its goldens on every backend and dtype. Nothing throws past this
 * function: an unreadable golden or a kernel error becomes an 'error' record with the message, a
 * backend without the kernels an 'unsupported' record, so one bad case never hides the others.
 */
export async function verifyCases(opts: VerifyOptions): Promise<VerificationRecord[]> {
  const units = plan(opts);
  const goldens = new Map<string, LoadedGolden | Error>();
  const records: VerificationRecord[] = opts.into ?? [];
  opts.progress?.start(units.length, 'verify');
  for (const { c, be, dtype } of units) {
    if (stopped(opts.signal)) break;
    const spec = c.verify as VerificationSpec;
    opts.progress?.item(`${c.id} ${be.name} ${dtype}`);
    const base = { case: c.id, paper: c.paper, backend: be.name, dtype, metrics: [] };
    const notRun = notRunReason(be, c.primitives, dtype);
    if (notRun !== undefined) {
      records.push({ ...base, entry: '*', status: 'unsupported', durationMs: 0, message: notRun });
      continue;
    }
    if (!goldens.has(spec.golden))
      goldens.set(spec.golden, await loadGolden(opts.goldenRoot, spec.golden).catch((e: Error) => e));
    const golden = goldens.get(spec.golden) as LoadedGolden | Error;
    if (golden instanceof Error) {
      records.push({ ...base, entry: '*', status: 'error', durationMs: 0, message: golden.message });
      opts.progress?.note(`error: ${c.id}: ${golden.message}`);
      continue;
    }
    const eps = EPSILON[be.info.computeDType[dtype]];
    for (const entry of golden.entries) {
      if (!entry.dtypes.includes(dtype) || stopped(opts.signal)) continue;
      const t0 = performance.now();
      const release = be.track();
      try {
        const seen = conformingEntry(c.id, spec.reads, entry, `${opts.goldenRoot}/${spec.golden}/manifest.json`);
        const values = await spec.check(be, dtype, seen);
        const metrics = Object.entries(values).map(([name, value]) => {
          const threshold = thresholdFor(spec, name, be.name, dtype);
          return { name, value: toMeasured(value), threshold, passed: value <= threshold };
        });
        const passed = metrics.every((m) => m.passed);
        records.push({
          ...base,
          entry: entry.id,
          eps,
          status: passed ? 'pass' : 'fail',
          metrics,
          durationMs: performance.now() - t0,
        });
        if (!passed)
          opts.progress?.note(
            `FAIL ${c.id} [${entry.id}] ${be.name} ${dtype}: ${metrics.map((m) => `${m.name}=${m.value} (≤ ${m.threshold})`).join(', ')}`,
          );
      } catch (e) {
        if (e instanceof InterruptedError) break; // stopped by a signal: the item is dropped, the run saved
        const message = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
        records.push({ ...base, entry: entry.id, eps, status: 'error', message, durationMs: performance.now() - t0 });
        opts.progress?.note(`ERROR ${c.id} [${entry.id}] ${be.name} ${dtype}: ${message}`);
      } finally {
        release(); // the entry's device tensors: a long verify run does not accumulate them
      }
    }
  }
  opts.progress?.finish();
  return records;
}
