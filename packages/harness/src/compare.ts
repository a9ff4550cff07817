/**
 * Comparing runs: per benchmark, the ratio of medians (current / base) with a bootstrap confidence
 * interval and a Mann–Whitney U test, and a verdict that needs both statistical clarity and a
 * practical threshold (asv: U test p < 0.002 and a factor 1.1; criterion: a CI outside a noise band).
 * With several runs per side, the per-run medians are the samples (separate processes are independent
 * trials; samples within one process are not); with one run per side the in-process samples are used
 * and the comparison says so. Times are normalized by each run's calibration kernel when both have one,
 * except for an interleaved pair (one process timed both builds alternately: same load, no scaling).
 */
import { fillRandom, median } from '@lowrank/core';
import type { BenchRecord } from './bench.ts';
import type { ClaimRecord } from './claims.ts';
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
  pValue: number | null;
  /**
   * 'runs' when per-run medians were compared (independent processes), 'interleaved' for the samples
   * of an interleaved A/B pair, 'samples' for the in-process samples of two separate runs.
   */
  basis: 'runs' | 'samples' | 'interleaved' | null;
  verdict: Verdict;
  accuracy: { base: number | null; current: number | null } | null;
}

export interface CompareOptions {
  /** Smallest relative change that counts (0.1 = 10%). */
  threshold?: number;
  /** Per-benchmark thresholds: the first pattern matching the benchmark key wins (Bencher-style). */
  thresholdFor?: ReadonlyArray<{ pattern: RegExp; threshold: number }>;
  /** Two-sided confidence of the interval and the test (0.99). */
  confidence?: number;
  resamples?: number;
}

export function benchKey(r: Pick<BenchRecord, 'case' | 'label' | 'backend' | 'dtype' | 'threads'>): string {
  return `${r.case} ${r.label} ${r.backend} ${r.dtype} ${r.threads}t`;
}

interface Side { records: BenchRecord[]; calibration: number[] }

function gather(runs: readonly ResultsFile[]): Map<string, Side> {
  const out = new Map<string, Side>();
  for (const run of runs) {
    for (const r of run.benchmarks) {
      if (r.status !== 'ok' || r.stats === undefined) continue;
      const k = benchKey(r);
      const side = out.get(k) ?? { records: [], calibration: [] };
      side.records.push(r);
      if (run.calibrationMs !== undefined) side.calibration.push(run.calibrationMs);
      out.set(k, side);
    }
  }
  return out;
}

/** Two-sided p-value of the Mann–Whitney U test, normal approximation with tie correction. */
export function mannWhitneyP(a: readonly number[], b: readonly number[]): number {
  const n1 = a.length, n2 = b.length;
  if (n1 === 0 || n2 === 0) return NaN;
  const all = [...a.map((v) => ({ v, g: 0 })), ...b.map((v) => ({ v, g: 1 }))].sort((x, y) => x.v - y.v);
  const ranks = new Array<number>(all.length);
  let tieTerm = 0;
  for (let i = 0; i < all.length;) {
    let j = i;
    while (j + 1 < all.length && all[j + 1].v === all[i].v) j++;
    const r = (i + j) / 2 + 1;
    for (let t = i; t <= j; t++) ranks[t] = r;
    const size = j - i + 1;
    tieTerm += size ** 3 - size;
    i = j + 1;
  }
  let r1 = 0;
  all.forEach((x, i) => { if (x.g === 0) r1 += ranks[i]; });
  const u = r1 - (n1 * (n1 + 1)) / 2;
  const n = n1 + n2;
  const sigma = Math.sqrt(((n1 * n2) / 12) * (n + 1 - tieTerm / (n * (n - 1))));
  if (sigma === 0) return 1;
  const z = (Math.abs(u - (n1 * n2) / 2) - 0.5) / sigma;
  return Math.min(1, 2 * (1 - normalCdf(Math.max(0, z))));
}

/** Φ(x) by the complementary error function (Numerical Recipes erfcc, |error| < 1.2e-7). */
function normalCdf(x: number): number {
  const z = Math.abs(x) / Math.SQRT2;
  const t = 1 / (1 + 0.5 * z);
  const erfc = t * Math.exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806
    + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))));
  return x >= 0 ? 1 - erfc / 2 : erfc / 2;
}

/** Percentile bootstrap interval of median(b)/median(a), from a fixed stream so reruns agree. */
export function bootstrapRatioCi(a: readonly number[], b: readonly number[], confidence: number, resamples: number): [number, number] {
  const u = fillRandom({ seed: 20261126, stream: 7 }, 'uniform', 'f64', 2 * resamples * Math.max(a.length, b.length));
  let next = 0;
  const draw = (xs: readonly number[]) => median(Array.from(xs, () => xs[Math.floor(u[next++] * xs.length)]));
  const ratios = Array.from({ length: resamples }, () => draw(b) / draw(a)).sort((x, y) => x - y);
  const tail = (1 - confidence) / 2;
  return [ratios[Math.floor(tail * (resamples - 1))], ratios[Math.ceil((1 - tail) * (resamples - 1))]];
}

function verdictOf(ratio: number, ci: [number, number], p: number, threshold: number, alpha: number): Verdict {
  if (ci[1] < 1 && ratio < 1 / (1 + threshold) && p < alpha) return 'faster';
  if (ci[0] > 1 && ratio > 1 + threshold && p < alpha) return 'slower';
  if (ci[0] >= 1 / (1 + threshold) && ci[1] <= 1 + threshold) return 'no change';
  return 'inconclusive';
}

/** Every benchmark present on either side, compared. */
export function compareRuns(base: readonly ResultsFile[], current: readonly ResultsFile[], o: CompareOptions = {}): Comparison[] {
  const threshold = o.threshold ?? 0.1;
  const confidence = o.confidence ?? 0.99;
  const resamples = o.resamples ?? 2000;
  const a = gather(base), b = gather(current);
  const interleaved = base.length === 1 && current.length === 1
    && base[0].interleaved?.partnerRunId === current[0].runId && current[0].interleaved?.partnerRunId === base[0].runId;
  const keys = [...new Set([...a.keys(), ...b.keys()])].sort();
  return keys.map((key) => {
    const sa = a.get(key), sb = b.get(key);
    const ref = (sa ?? sb)!.records[0];
    const head = { key, case: ref.case, label: ref.label, backend: ref.backend, dtype: ref.dtype, threads: ref.threads };
    const accuracy = ref.accuracy === undefined ? null : {
      base: sa?.records[sa.records.length - 1].accuracy?.value ?? null,
      current: sb?.records[sb.records.length - 1].accuracy?.value ?? null,
    };
    if (sa === undefined || sb === undefined) {
      return { ...head, baseMs: sa ? median(sa.records.map((r) => r.stats!.medianMs)) : null, currentMs: sb ? median(sb.records.map((r) => r.stats!.medianMs)) : null, ratio: null, ci: null, pValue: null, basis: null, verdict: 'missing', accuracy };
    }
    // Calibration: scale the current side by how much faster or slower the machine ran the fixed kernel.
    const scale = !interleaved && sa.calibration.length > 0 && sb.calibration.length > 0 ? median(sa.calibration) / median(sb.calibration) : 1;
    const byRuns = sa.records.length >= 2 && sb.records.length >= 2;
    const xs = byRuns ? sa.records.map((r) => r.stats!.medianMs) : sa.records.flatMap((r) => r.stats!.samplesMs ?? [r.stats!.medianMs]);
    const ys = (byRuns ? sb.records.map((r) => r.stats!.medianMs) : sb.records.flatMap((r) => r.stats!.samplesMs ?? [r.stats!.medianMs])).map((v) => v * scale);
    const ratio = median(ys) / median(xs);
    const ci = bootstrapRatioCi(xs, ys, confidence, resamples);
    const p = mannWhitneyP(xs, ys);
    const t = o.thresholdFor?.find((f) => f.pattern.test(key))?.threshold ?? threshold;
    return {
      ...head, baseMs: median(xs), currentMs: median(ys), ratio, ci, pValue: p, basis: byRuns ? 'runs' : interleaved ? 'interleaved' : 'samples',
      verdict: verdictOf(ratio, ci, p, t, 1 - confidence), accuracy,
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
  const last = (runs: readonly ResultsFile[]) => new Map(runs.flatMap((r) => r.claims).map((c) => [claimKey(c), c.status]));
  const a = last(base), b = last(current);
  return [...new Set([...a.keys(), ...b.keys()])].sort().map((key) => ({ key, base: a.get(key) ?? null, current: b.get(key) ?? null }));
}

export interface GateResult {
  passed: boolean;
  reasons: string[];
  comparisons: Comparison[];
}

/**
 * The CI gate: fails on a speed regression (verdict 'slower' beyond the threshold, with confidence),
 * on any verification that fails or errors in the current runs, on a check that passed in the
 * baseline and fails now, and on a paper's claim that was reproduced in the baseline and is not now.
 * `accuracyOnly` skips the speed part (for runners too noisy to time).
 */
export function gate(base: readonly ResultsFile[], current: readonly ResultsFile[], o: CompareOptions & { accuracyOnly?: boolean } = {}): GateResult {
  const reasons: string[] = [];
  const comparisons = o.accuracyOnly === true ? [] : compareRuns(base, current, o);
  for (const c of comparisons) {
    if (c.verdict === 'slower') {
      reasons.push(`slower: ${c.key}: ${c.baseMs!.toPrecision(4)} → ${c.currentMs!.toPrecision(4)} ms (×${c.ratio!.toFixed(3)}, ${Math.round((o.confidence ?? 0.99) * 100)}% CI ${c.ci![0].toFixed(3)}–${c.ci![1].toFixed(3)}, p = ${c.pValue!.toExponential(1)})`);
    }
  }
  const basePassed = new Set(base.flatMap((r) => r.verification).filter((v) => v.status === 'pass').map((v) => `${v.case} ${v.entry} ${v.backend} ${v.dtype}`));
  for (const v of current.flatMap((r) => r.verification)) {
    if (v.status !== 'fail' && v.status !== 'error') continue;
    const k = `${v.case} ${v.entry} ${v.backend} ${v.dtype}`;
    const detail = v.message ?? v.metrics.filter((m) => !m.passed).map((m) => `${m.name} = ${m.value} > ${m.threshold}`).join(', ');
    reasons.push(`${basePassed.has(k) ? 'accuracy regression' : 'verification failing'}: ${k}: ${detail}`);
  }
  // A claim that held in the baseline and no longer does is a regression; a claim that errors is broken.
  for (const c of compareClaims(base, current)) {
    if (c.current === 'error') reasons.push(`claim error: ${c.key}`);
    else if (c.base === 'reproduced' && c.current === 'not reproduced') reasons.push(`claim regression: ${c.key}: reproduced in the baseline, not reproduced now`);
  }
  return { passed: reasons.length === 0, reasons, comparisons };
}
