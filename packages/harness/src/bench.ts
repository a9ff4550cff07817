import type { Backend, BenchInstance, BenchSpec, CaseDef, DType } from '@lowrank/core';
import { Bench } from 'tinybench';
import { z } from 'zod';
import type { Progress } from './progress.ts';
import { missingPrimitives, stopped } from './verify.ts';

export const BenchStats = z.object({
  samples: z.number().int(),
  medianMs: z.number(),
  madMs: z.number(),
  meanMs: z.number(),
  minMs: z.number(),
  maxMs: z.number(),
  p75Ms: z.number(),
  p99Ms: z.number(),
  /** Relative margin of error of the mean (95%), in percent. */
  rme: z.number(),
  /** The latency samples (ms), evenly thinned to at most 200, for comparisons by bootstrap. */
  samplesMs: z.array(z.number()).optional(),
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
  flops: z.number(),
  bytes: z.number(),
  stats: BenchStats.optional(),
  gflops: z.number().optional(),
  gbps: z.number().optional(),
  accuracy: z.object({ metric: z.string(), value: z.number().nullable() }).optional(),
  /**
   * GPU backends, three times kept apart: device time from timestamp queries (when the adapter has
   * them), submit to onSubmittedWorkDone (= stats.medianMs), and end to end with the readback.
   */
  gpu: z.object({
    timestampMs: z.number().optional(),
    submitToDoneMs: z.number(),
    endToEndMs: z.number().optional(),
    dispatchesPerRun: z.number(),
  }).optional(),
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
  warmupMs?: number;
  progress?: Progress;
  /** Records are pushed here as they are made, so an interrupted run keeps what it measured. */
  into?: BenchRecord[];
  /** Stops before the next unit of work once aborted (Ctrl-C): what was measured stays. */
  signal?: AbortSignal;
}

const GPU_REPEATS = 5;

/** At most `max` values, evenly spaced through the (sorted) samples. */
function thin(samples: ArrayLike<number>, max: number): number[] {
  const n = samples.length;
  if (n <= max) return Array.from(samples);
  return Array.from({ length: max }, (_, i) => samples[Math.floor((i * (n - 1)) / (max - 1))]);
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 === 1 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

/** Timestamp-query device time and end-to-end time (run + readback) over a few extra runs. */
async function gpuTimes(be: Backend, inst: BenchInstance, submitToDoneMs: number): Promise<NonNullable<BenchRecord['gpu']>> {
  const timer = be.gpuTimer as NonNullable<Backend['gpuTimer']>;
  timer.start();
  for (let i = 0; i < GPU_REPEATS; i++) {
    await inst.run();
    await be.sync();
  }
  const t = timer.stop();
  let endToEndMs: number | undefined;
  if (inst.readback !== undefined) {
    const times: number[] = [];
    for (let i = 0; i < GPU_REPEATS; i++) {
      const t0 = performance.now();
      await inst.run();
      await inst.readback();
      times.push(performance.now() - t0);
    }
    endToEndMs = median(times);
  }
  return {
    timestampMs: timer.available && t.submits > 0 ? t.gpuMs / GPU_REPEATS : undefined,
    submitToDoneMs,
    endToEndMs,
    dispatchesPerRun: t.dispatches / GPU_REPEATS,
  };
}

export function paramsLabel(p: Record<string, unknown>): string {
  return Object.entries(p).map(([k, v]) => `${k}=${String(v)}`).join(',');
}

export function globToRegExp(glob: string): RegExp {
  const body = glob.split('').map((ch) => (ch === '*' ? '.*' : ch === '?' ? '.' : ch.replace(/[.+^${}()|[\]\\]/g, '\\$&'))).join('');
  return new RegExp(`^${body}$`);
}

/**
 * Times every (case × params × backend × dtype) with tinybench after warm-up, and records the
 * statistics, GFLOP/s and GB/s from the case's cost model, and the accuracy the same run achieved.
 * Errors and missing kernels become records, never exceptions.
 */
export async function benchCases(opts: BenchOptions): Promise<BenchRecord[]> {
  const match = opts.filter === undefined ? null : globToRegExp(opts.filter);
  const units: Array<{ c: CaseDef; spec: BenchSpec<Record<string, number | string | boolean>>; p: Record<string, number | string | boolean>; label: string; be: Backend; dtype: DType }> = [];
  for (const c of opts.cases) {
    const spec = c.bench;
    if (spec === undefined) continue;
    for (const p of spec.params(opts.sizes)) {
      const label = paramsLabel(p);
      if (match !== null && !match.test(`${c.id} ${label}`) && !match.test(c.id)) continue;
      for (const be of opts.backends) {
        for (const dtype of c.dtypes) if (opts.dtypes === undefined || opts.dtypes.includes(dtype)) units.push({ c, spec, p, label, be, dtype });
      }
    }
  }
  const records: BenchRecord[] = opts.into ?? [];
  opts.progress?.start(units.length, 'bench');
  for (const { c, spec, p, label, be, dtype } of units) {
    if (stopped(opts.signal)) break;
    opts.progress?.item(`${c.id} ${label} ${be.name} ${dtype}`);
    const cost = spec.cost(p, dtype);
    const base = {
      case: c.id, paper: c.paper, params: p, label, backend: be.name, backendDescription: be.info.description, dtype,
      threads: Number(be.info.details.threads ?? 1), flops: cost.flops, bytes: cost.bytes,
    };
    const missing = missingPrimitives(c, be, dtype);
    if (missing.length > 0) {
      records.push({ ...base, status: 'unsupported', message: `backend '${be.name}' has no ${dtype} kernel for ${missing.join(', ')}` });
      continue;
    }
    let instance;
    try {
      instance = await spec.setup(be, dtype, p);
      const inst = instance;
      const bench = new Bench({ time: opts.timeMs ?? 500, warmupTime: opts.warmupMs ?? 100, warmupIterations: 3, iterations: 5, throws: true, retainSamples: true });
      // sync() waits for submitted GPU work (a no-op on CPU backends): a GPU run is timed to completion.
      bench.add(`${c.id} ${label}`, async () => { await inst.run(); await be.sync(); });
      await bench.run();
      const result = bench.tasks[0].result;
      if (result.state !== 'completed') throw result.state === 'errored' ? result.error : new Error(`benchmark ended in state ${result.state}`);
      const l = result.latency;
      const stats = {
        samples: l.samplesCount, medianMs: l.p50, madMs: l.mad, meanMs: l.mean, minMs: l.min, maxMs: l.max,
        p75Ms: l.p75, p99Ms: l.p99, rme: l.rme, samplesMs: thin(l.samples ?? [], 200),
      };
      if (!(stats.medianMs > 0)) throw new Error(`the median is below this runtime's timer resolution (browsers coarsen performance.now); use a larger size`);
      const gpu = be.gpuTimer === undefined ? undefined : await gpuTimes(be, inst, stats.medianMs);
      const accuracy = inst.accuracy === undefined ? undefined : await inst.accuracy();
      records.push({
        ...base, status: 'ok', stats,
        gflops: cost.flops / (stats.medianMs * 1e6),
        gbps: cost.bytes / (stats.medianMs * 1e6),
        accuracy: accuracy === undefined ? undefined : { metric: accuracy.metric, value: Number.isFinite(accuracy.value) ? accuracy.value : null },
        gpu,
      });
    } catch (e) {
      const message = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
      records.push({ ...base, status: 'error', message });
      opts.progress?.note(`ERROR bench ${c.id} ${label} ${be.name} ${dtype}: ${message}`);
    } finally {
      instance?.dispose();
    }
  }
  opts.progress?.finish();
  return records;
}
