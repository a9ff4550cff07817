/**
 * The CI gate: which runs each side means, and every reason a change fails it, one line each.
 *
 * "Current" (and a baseline given as a folder) is defined once, for speed, verification and claims
 * alike: the newest run, together with the other runs of the same commit, command and options when the
 * tree was clean (several processes of one build, e.g. `--repeats` or a CI loop); a dirty or unknown
 * tree means the newest run alone. Older runs in the folder are never pooled in.
 */
import { benchKey, compareClaims, compareRuns, type CompareOptions, type Comparison } from './compare.ts';
import type { ResultsFile } from './results.ts';

export interface RunSet {
  runs: ResultsFile[];
  /** e.g. "3 runs of commit 1a2b3c4 (run, 2026-11-30 08:00–08:12)". */
  description: string;
}

const sameBuild = (a: ResultsFile, b: ResultsFile) =>
  a.git !== null &&
  b.git !== null &&
  !a.git.dirty &&
  !b.git.dirty &&
  a.git.commit === b.git.commit &&
  a.command === b.command &&
  JSON.stringify(a.options) === JSON.stringify(b.options) &&
  a.machine.key === b.machine.key;

/** The newest run and, for a clean tree, the other runs of its build (see the header). */
export function newestBatch(runs: readonly ResultsFile[]): RunSet {
  if (runs.length === 0) return { runs: [], description: 'no runs' };
  const sorted = [...runs].sort((x, y) => x.startedAt.localeCompare(y.startedAt));
  const newest = sorted[sorted.length - 1];
  const batch = sorted.filter((r) => r === newest || sameBuild(r, newest));
  const when = (r: ResultsFile) => r.startedAt.slice(0, 16).replace('T', ' ');
  const commit =
    newest.git === null
      ? 'no git'
      : `commit ${newest.git.commit.slice(0, 7)}${newest.git.dirty ? ' (dirty tree)' : ''}`;
  const span = batch.length === 1 ? when(newest) : `${when(batch[0])}–${when(newest).slice(11)}`;
  return {
    runs: batch,
    description: `${batch.length} run${batch.length === 1 ? '' : 's'} of ${commit} (${newest.command}, ${span})${runs.length > batch.length ? `; ${runs.length - batch.length} older run${runs.length - batch.length === 1 ? '' : 's'} not used` : ''}`,
  };
}

export interface GateOptions extends CompareOptions {
  /** Skip the speed part (for runners too noisy to time). */
  accuracyOnly?: boolean;
  /** Let benchmarks, checks and claims of the baseline be absent or unsupported now (a deliberately filtered run). */
  allowMissing?: boolean;
}

export interface GateResult {
  passed: boolean;
  reasons: string[];
  comparisons: Comparison[];
}

const ALLOW = ' (--allow-missing allows it)';

/** Reasons the current run set itself cannot be gated on: incomplete, empty. */
function runProblems(current: readonly ResultsFile[]): string[] {
  if (current.length === 0) return ['no current run: nothing to gate on'];
  const out: string[] = [];
  for (const r of current) {
    if (r.status !== 'complete') out.push(`incomplete run: ${r.runId} (${r.startedAt}) was interrupted; rerun it`);
    if (r.benchmarks.length + r.verification.length + r.claims.length === 0)
      out.push(`empty run: ${r.runId} (${r.startedAt}) has no benchmarks, checks or claims`);
  }
  return out;
}

function speedReasons(
  comparisons: readonly Comparison[],
  base: readonly ResultsFile[],
  current: readonly ResultsFile[],
  o: GateOptions,
): string[] {
  const out: string[] = [];
  for (const c of comparisons) {
    if (c.verdict === 'slower') {
      const caveat = c.basis === 'samples' ? '; one run per side: run-to-run variation not measured' : '';
      out.push(
        `slower: ${c.key}: ${c.baseMs!.toPrecision(4)} → ${c.currentMs!.toPrecision(4)} ms (×${c.ratio!.toFixed(3)}, CI ${c.ci![0].toFixed(3)}–${c.ci![1].toFixed(3)}, p = ${c.pValue!.toExponential(1)}, ${c.runs.base} vs ${c.runs.current} runs${caveat})`,
      );
    }
  }
  const okBefore = new Set(
    base
      .flatMap((r) => r.benchmarks)
      .filter((b) => b.status === 'ok')
      .map(benchKey),
  );
  const now = new Map(current.flatMap((r) => r.benchmarks).map((b) => [benchKey(b), b]));
  for (const b of now.values())
    if (b.status === 'error') out.push(`benchmark error: ${benchKey(b)}: ${b.message ?? 'no message'}`);
  if (o.allowMissing !== true) {
    for (const k of okBefore) {
      const b = now.get(k);
      if (b === undefined) out.push(`benchmark missing: ${k} ran in the baseline${ALLOW}`);
      else if (b.status === 'unsupported') out.push(`benchmark unsupported: ${k} ran in the baseline${ALLOW}`);
    }
  }
  return out;
}

function verificationReasons(base: readonly ResultsFile[], current: readonly ResultsFile[], o: GateOptions): string[] {
  const out: string[] = [];
  const key = (v: ResultsFile['verification'][number]) => `${v.case} ${v.entry} ${v.backend} ${v.dtype}`;
  const passed = new Map(
    base
      .flatMap((r) => r.verification)
      .filter((v) => v.status === 'pass')
      .map((v) => [key(v), v]),
  );
  const now = new Map(current.flatMap((r) => r.verification).map((v) => [key(v), v]));
  for (const v of now.values()) {
    if (v.status !== 'fail' && v.status !== 'error') continue;
    const detail =
      v.message ??
      v.metrics
        .filter((m) => !m.passed)
        .map((m) => `${m.name} = ${m.value} > ${m.threshold}`)
        .join(', ');
    out.push(`${passed.has(key(v)) ? 'accuracy regression' : 'verification failing'}: ${key(v)}: ${detail}`);
  }
  if (o.allowMissing !== true) {
    // A case reported unsupported as a whole (entry '*') covers its entries.
    const unsupported = new Set(
      [...now.values()].filter((v) => v.status === 'unsupported').map((v) => `${v.case} ${v.backend} ${v.dtype}`),
    );
    for (const [k, was] of passed) {
      const v = now.get(k);
      if (
        v?.status === 'unsupported' ||
        (v === undefined && unsupported.has(`${was.case} ${was.backend} ${was.dtype}`))
      ) {
        out.push(`verification unsupported: ${k} passed in the baseline${ALLOW}`);
      } else if (v === undefined) out.push(`verification missing: ${k} passed in the baseline${ALLOW}`);
    }
  }
  return out;
}

/** A claim whose predicates all held: reproduced, or mechanism verified. */
const held = (s: string | null) => s === 'reproduced' || s === 'mechanism verified';

function claimReasons(base: readonly ResultsFile[], current: readonly ResultsFile[], o: GateOptions): string[] {
  const out: string[] = [];
  for (const c of compareClaims(base, current)) {
    if (c.current === 'error') out.push(`claim error: ${c.key}`);
    else if (held(c.base) && c.current === 'not reproduced')
      out.push(`claim regression: ${c.key}: ${c.base} in the baseline, not reproduced now`);
    else if (held(c.base) && o.allowMissing !== true && (c.current === null || c.current === 'unsupported')) {
      out.push(`claim ${c.current === null ? 'missing' : 'unsupported'}: ${c.key}: ${c.base} in the baseline${ALLOW}`);
    }
  }
  return out;
}

/**
 * Fails on: a run that is incomplete or empty; a benchmark slower beyond the threshold with
 * family-wise confidence (compare.ts), erroring, or missing/unsupported though it ran in the baseline;
 * a verification that fails or errors, or that passed in the baseline and is missing/unsupported now;
 * a claim reproduced in the baseline that is not reproduced, errors, or is missing/unsupported now.
 * Missing and unsupported items pass with `allowMissing` (a deliberately filtered run).
 */
export function gate(base: readonly ResultsFile[], current: readonly ResultsFile[], o: GateOptions = {}): GateResult {
  const comparisons = o.accuracyOnly === true ? [] : compareRuns(base, current, o);
  const reasons = [
    ...runProblems(current),
    ...(o.accuracyOnly === true ? [] : speedReasons(comparisons, base, current, o)),
    ...verificationReasons(base, current, o),
    ...claimReasons(base, current, o),
  ];
  return { passed: reasons.length === 0, reasons, comparisons };
}
