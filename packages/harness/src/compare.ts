/**
 * Comparing runs: per benchmark, the ratio current / base of the median of per-run medians, with an
 * interval and a one-sided p-value from a hierarchical bootstrap that resamples the runs of each side
 * and, within each drawn run, its samples (Davison and Hinkley 1997, §3.8: both levels of variation,
 * run-to-run and in-process, enter the interval). With one run per side only in-process variation is
 * seen, and the comparison says so (basis 'samples'); an interleaved A/B pair (one process timed both
 * builds alternately, same load) is compared on its samples without calibration.
 *
 * The rule, chosen after asv (a factor and a statistical test), criterion (an interval on the change
 * against a noise band) and Bencher (thresholds whose false-alarm rate is set by a confidence level),
 * and measured on this project's machines (docs/ci-gate.md): 'slower' when the ratio exceeds
 * 1 + threshold AND the bootstrap finds ratio ≤ 1 with probability below α/K, K the number of
 * benchmarks compared (Bonferroni, so an identical build fails the whole gate with probability ≤ α
 * however many benchmarks it times). Times are divided by each run's own calibration kernel when every
 * run has one, so a slower or busier process is scaled per run.
 */
import { fillRandom, median } from '@lowrank/core';
import type { BenchRecord } from './bench.ts';
import type { ClaimRecord } from './claims.ts';
import { fromMeasured } from './measured.ts';
import type { ResultsFile } from './results.ts';

export type Verdict = 'faster' | 'slower' | 'no change' | 'inconclusive' | 'missing';

export interface Comparison {
  key: string;
  case: string;
  label: string;
  backend: string;
  dtype: string;
  threads: number;
  baseMs: number | null;
  currentMs: number | null;
  /** current / base (after calibration); < 1 is faster. */
  ratio: number | null;
  ci: [number, number] | null;
  /** One-sided bootstrap p-value of the change in the direction of the ratio (≤ 1 for slower, ≥ 1 for faster). */
  pValue: number | null;
  /**
   * 'runs' when each side has several runs (independent processes), 'interleaved' for an interleaved
   * A/B pair, 'samples' for one run per side (run-to-run variation not measured).
   */
  basis: 'runs' | 'samples' | 'interleaved' | null;
  /** Runs on each side that timed this benchmark. */
  runs: { base: number; current: number };
  verdict: Verdict;
  /** The newest run's accuracy on each side: null when that side has none; NaN stays NaN. */
  accuracy: { base: number | null; current: number | null } | null;
}

export interface CompareOptions {
  /** Smallest relative change that counts (0.1 = 10%). */
  threshold?: number;
  /** Per-benchmark thresholds: the first pattern matching the benchmark key wins (Bencher-style). */
  thresholdFor?: ReadonlyArray<{ pattern: RegExp; threshold: number }>;
  /** Family-wise confidence: an identical build is called slower (or faster) anywhere with probability ≤ 1 − confidence (0.99). */
  confidence?: number;
  resamples?: number;
}

export function benchKey(r: Pick<BenchRecord, 'case' | 'label' | 'backend' | 'dtype' | 'threads'>): string {
  return `${r.case} ${r.label} ${r.backend} ${r.dtype} ${r.threads}t`;
}

/** One run's timings of one benchmark (ms, divided by the run's calibration when scaling applies). */
type RunSamples = readonly number[];

const accuracyOf = (b: BenchRecord | undefined) => (b?.accuracy === undefined ? null : fromMeasured(b.accuracy.value));

function gather(
  runs: readonly ResultsFile[],
  calibrated: boolean,
): Map<string, { records: BenchRecord[]; runs: RunSamples[] }> {
  const out = new Map<string, { records: BenchRecord[]; runs: RunSamples[] }>();
  for (const run of runs) {
    const scale = calibrated ? 1 / (run.calibrationMs as number) : 1;
    for (const r of run.benchmarks) {
      if (r.status !== 'ok' || r.stats === undefined) continue;
      const k = benchKey(r);
      const side = out.get(k) ?? { records: [], runs: [] };
      side.records.push(r);
      side.runs.push((r.stats.samplesMs?.length ? r.stats.samplesMs : [r.stats.medianMs]).map((v) => v * scale));
      out.set(k, side);
    }
  }
  return out;
}

/** Median of per-run medians: the point estimate of one side. */
function centre(runs: readonly RunSamples[]): number {
  return median(runs.map((r) => median(r)));
}

const INNER = 100; // bootstrap medians kept per run for the inner level

/**
 * Hierarchical bootstrap of centre(current) / centre(base): each resample draws the runs of each side
 * with replacement and, for each drawn run, one of INNER bootstrap medians of its samples (the inner
 * level precomputed once per run). From a fixed stream, so reruns agree. Returns the sorted ratios.
 */
export function hierarchicalRatios(
  base: readonly RunSamples[],
  current: readonly RunSamples[],
  resamples: number,
  seed = 20261130,
): Float64Array {
  let stream = 0;
  const uniform = (n: number) => Float64Array.from(fillRandom({ seed, stream: stream++ }, 'uniform', 'f64', n));
  const innerMedians = (runs: readonly RunSamples[]) =>
    runs.map((xs) => {
      const u = uniform(INNER * xs.length);
      const out = new Float64Array(INNER),
        tmp = new Float64Array(xs.length);
      for (let b = 0; b < INNER; b++) {
        for (let i = 0; i < xs.length; i++) tmp[i] = xs[Math.floor(u[b * xs.length + i] * xs.length)];
        out[b] = median(Array.from(tmp));
      }
      return out;
    });
  const ma = innerMedians(base),
    mb = innerMedians(current);
  const draw = (m: Float64Array[], u: Float64Array, at: number) => {
    const picks = new Array<number>(m.length);
    for (let i = 0; i < m.length; i++)
      picks[i] = m[Math.floor(u[at + 2 * i] * m.length)][Math.floor(u[at + 2 * i + 1] * INNER)];
    return median(picks);
  };
  const ua = uniform(2 * resamples * ma.length),
    ub = uniform(2 * resamples * mb.length);
  const ratios = new Float64Array(resamples);
  for (let r = 0; r < resamples; r++) ratios[r] = draw(mb, ub, 2 * r * mb.length) / draw(ma, ua, 2 * r * ma.length);
  return ratios.sort();
}

/** Φ(x) by the complementary error function (Numerical Recipes erfcc, |error| < 1.2e-7). */
function normalCdf(x: number): number {
  const z = Math.abs(x) / Math.SQRT2;
  const t = 1 / (1 + 0.5 * z);
  const erfc =
    t *
    Math.exp(
      -z * z -
        1.26551223 +
        t *
          (1.00002368 +
            t *
              (0.37409196 +
                t *
                  (0.09678418 +
                    t *
                      (-0.18628806 +
                        t *
                          (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return x >= 0 ? 1 - erfc / 2 : erfc / 2;
}

/**
 * One-sided p-value that the change is not in the direction of the point estimate: Φ(−|log ratio|/sd),
 * sd that of the bootstrap log-ratios (a normal approximation, so p below 1/resamples is still resolved, as the
 * Bonferroni level α/K needs for hundreds of benchmarks). 1 when the resamples have no spread and show
 * no change; 0 when they have none and all agree on a change.
 */
export function directionP(sortedRatios: Float64Array, ratio: number): number {
  const logs = Array.from(sortedRatios, Math.log);
  const mean = logs.reduce((s, x) => s + x, 0) / logs.length;
  const sd = Math.sqrt(logs.reduce((s, x) => s + (x - mean) ** 2, 0) / Math.max(1, logs.length - 1));
  if (!(sd > 0)) return ratio === 1 ? 1 : 0;
  return normalCdf(-Math.abs(Math.log(ratio)) / sd);
}

function verdictOf(ratio: number, ci: [number, number], p: number, threshold: number, alpha: number): Verdict {
  if (ratio > 1 + threshold && p < alpha) return 'slower';
  if (ratio < 1 / (1 + threshold) && p < alpha) return 'faster';
  if (ci[0] >= 1 / (1 + threshold) && ci[1] <= 1 + threshold) return 'no change';
  return 'inconclusive';
}

/** Every benchmark present on either side, compared. */
export function compareRuns(
  base: readonly ResultsFile[],
  current: readonly ResultsFile[],
  o: CompareOptions = {},
): Comparison[] {
  const threshold = o.threshold ?? 0.1;
  const confidence = o.confidence ?? 0.99;
  const resamples = o.resamples ?? 2000;
  const interleaved =
    base.length === 1 &&
    current.length === 1 &&
    base[0].interleaved?.partnerRunId === current[0].runId &&
    current[0].interleaved?.partnerRunId === base[0].runId;
  const calibrated =
    !interleaved && [...base, ...current].every((r) => r.calibrationMs !== undefined && r.calibrationMs > 0);
  const a = gather(base, calibrated),
    b = gather(current, calibrated);
  const keys = [...new Set([...a.keys(), ...b.keys()])].sort();
  const compared = keys.filter((k) => a.has(k) && b.has(k)).length;
  const alpha = (1 - confidence) / Math.max(1, compared);
  // Reported in ms of the base side's machine: calibrated centres times the base's median calibration.
  const unit = calibrated ? median(base.map((r) => r.calibrationMs as number)) : 1;
  return keys.map((key) => {
    const sa = a.get(key),
      sb = b.get(key);
    const ref = (sa ?? sb)!.records[0];
    const head = {
      key,
      case: ref.case,
      label: ref.label,
      backend: ref.backend,
      dtype: ref.dtype,
      threads: ref.threads,
      runs: { base: sa?.runs.length ?? 0, current: sb?.runs.length ?? 0 },
    };
    const accuracy =
      ref.accuracy === undefined
        ? null
        : {
            base: accuracyOf(sa?.records[sa.records.length - 1]),
            current: accuracyOf(sb?.records[sb.records.length - 1]),
          };
    if (sa === undefined || sb === undefined) {
      return {
        ...head,
        baseMs: sa ? centre(sa.runs) * unit : null,
        currentMs: sb ? centre(sb.runs) * unit : null,
        ratio: null,
        ci: null,
        pValue: null,
        basis: null,
        verdict: 'missing',
        accuracy,
      };
    }
    const baseMs = centre(sa.runs),
      currentMs = centre(sb.runs),
      ratio = currentMs / baseMs;
    const ratios = hierarchicalRatios(sa.runs, sb.runs, resamples);
    const tail = (1 - confidence) / 2;
    const ci: [number, number] = [
      ratios[Math.floor(tail * (resamples - 1))],
      ratios[Math.ceil((1 - tail) * (resamples - 1))],
    ];
    const p = directionP(ratios, ratio);
    const t = o.thresholdFor?.find((f) => f.pattern.test(key))?.threshold ?? threshold;
    const basis = sa.runs.length >= 2 && sb.runs.length >= 2 ? 'runs' : interleaved ? 'interleaved' : 'samples';
    return {
      ...head,
      baseMs: baseMs * unit,
      currentMs: currentMs * unit,
      ratio,
      ci,
      pValue: p,
      basis,
      verdict: verdictOf(ratio, ci, p, t, alpha),
      accuracy,
    };
  });
}

/** Geometric mean of the ratios that have one. */
export function geometricMeanRatio(cs: readonly Comparison[]): number | null {
  const rs = cs.map((c) => c.ratio).filter((r): r is number => r !== null && r > 0);
  return rs.length === 0 ? null : Math.exp(rs.reduce((s, r) => s + Math.log(r), 0) / rs.length);
}

export interface ClaimChange {
  key: string;
  base: ClaimRecord['status'] | null;
  current: ClaimRecord['status'] | null;
}

const claimKey = (c: ClaimRecord) => `${c.paper} ${c.claim} ${c.backend} ${c.dtype} ${c.mode}`;

/** Each claim's status on both sides (the last run of each side that checked it). */
export function compareClaims(base: readonly ResultsFile[], current: readonly ResultsFile[]): ClaimChange[] {
  const last = (runs: readonly ResultsFile[]) =>
    new Map(runs.flatMap((r) => r.claims).map((c) => [claimKey(c), c.status]));
  const a = last(base),
    b = last(current);
  return [...new Set([...a.keys(), ...b.keys()])]
    .sort()
    .map((key) => ({ key, base: a.get(key) ?? null, current: b.get(key) ?? null }));
}
