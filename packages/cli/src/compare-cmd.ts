import { LowrankError, ResultsError } from '@lowrank/core';
import {
  compareClaims,
  compareRuns,
  gate,
  geometricMeanRatio,
  inside,
  loadRuns,
  machineFingerprint,
  newestBatch,
  nonFiniteByName,
  readResults,
  toBencher,
  toCsv,
  toMarkdown,
  writeFileAtomic,
  writeReport,
  type ClaimChange,
  type Comparison,
  type ResultsFile,
  type RunSet,
} from '@lowrank/harness';
import { join } from 'node:path';
import type { CliOptions } from './args.ts';
import type { CliIO } from './context.ts';
import { ALL_CASES } from './cases.ts';
import { selectCases } from './select.ts';
import { table } from './format.ts';

/**
 * The runs an argument names; `ARG@backend[:threads]` keeps that backend's benchmarks only and
 * relabels them, so two filters of one run compare backends against each other.
 */
async function load(arg: string, o: CliOptions, io: CliIO): Promise<ResultsFile[]> {
  const at = arg.lastIndexOf('@');
  const [path, filter] = at > 0 ? [arg.slice(0, at), arg.slice(at + 1)] : [arg, undefined];
  const { runs: all, skipped } = await loadRuns(path, o.resultsDir);
  for (const s of skipped) io.stderr.write(`skipped ${s.path}: ${s.message}\n`);
  const runs = narrow(all, o);
  if (filter === undefined) return runs;
  const [backend, threads] = filter.split(':');
  return runs.map((r) => ({
    ...r,
    benchmarks: r.benchmarks
      .filter((b) => b.backend === backend && (threads === undefined || b.threads === Number(threads)))
      .map((b) => ({ ...b, backend: '*', threads: 0 })),
  }));
}

/**
 * The runs with only the records --paper and --case select (report and export): the records of the
 * cases `selectCases` picks, as verify, bench and run pick them, and the claims of the named papers.
 * A case this build does not know has no paper, so --paper drops it.
 */
function narrow(runs: ResultsFile[], o: CliOptions): ResultsFile[] {
  if (o.papers === undefined && o.caseIds === undefined) return runs;
  const cases = new Set(selectCases(ALL_CASES, o).map((c) => c.id));
  return runs.map((r) => ({
    ...r,
    verification: r.verification.filter((v) => cases.has(v.case)),
    benchmarks: r.benchmarks.filter((b) => cases.has(b.case)),
    claims: r.claims.filter((c) => o.papers?.includes(c.paper) ?? false),
  }));
}

function num(x: number | null, d = 3): string {
  return x === null ? '—' : x.toPrecision(d);
}

export function formatComparisons(cs: readonly Comparison[]): string {
  const rows = cs.map((c) => [
    c.key,
    num(c.baseMs, 4),
    num(c.currentMs, 4),
    c.ratio === null ? '—' : `×${c.ratio.toFixed(3)}`,
    c.ci === null ? '—' : `${c.ci[0].toFixed(3)}–${c.ci[1].toFixed(3)}`,
    c.pValue === null ? '—' : c.pValue.toExponential(1),
    c.basis === null ? '—' : `${c.basis} ${c.runs.base}:${c.runs.current}`,
    c.verdict,
    c.accuracy === null ? '—' : `${num(c.accuracy.base, 2)} → ${num(c.accuracy.current, 2)}`,
  ]);
  const g = geometricMeanRatio(cs);
  return `${table(['benchmark', 'base ms', 'current ms', 'ratio', 'CI', 'p', 'basis', 'verdict', 'accuracy'], rows)}\ngeometric mean ratio: ${g === null ? '—' : `×${g.toFixed(3)}`}`;
}

/** Each claim's status on both sides, the changed ones marked. */
export function formatClaimChanges(cs: readonly ClaimChange[]): string {
  return `Papers' claims\n${table(
    ['claim', 'base', 'current', ''],
    cs.map((c) => [c.key, c.base ?? '—', c.current ?? '—', c.base === c.current ? '' : 'changed']),
  )}`;
}

export async function compareCommand(o: CliOptions, io: CliIO): Promise<number> {
  const [baseArg, ...currentArgs] = o.args;
  const base = await load(baseArg, o, io);
  const current = (await Promise.all(currentArgs.map((a) => load(a, o, io)))).flat();
  const cs = compareRuns(base, current, { threshold: o.thresholdPct / 100, thresholdFor: o.thresholdFor });
  const claims = compareClaims(base, current);
  if (o.json) io.stdout.write(`${JSON.stringify({ benchmarks: cs, claims }, nonFiniteByName, 1)}\n`);
  else
    io.stdout.write(
      `${cs.length > 0 || claims.length === 0 ? `${formatComparisons(cs)}\n` : ''}${claims.length > 0 ? `${formatClaimChanges(claims)}\n` : ''}`,
    );
  return 0;
}

/**
 * The runs one side of the gate uses: for a folder or machine key, the newest run and the other runs
 * of its build (harness newestBatch); an unreadable file among them fails the gate rather than being
 * skipped (a gate on nothing must not pass).
 */
async function gateSide(arg: string, o: CliOptions): Promise<{ set: RunSet; unreadable: string[] }> {
  const { runs, skipped } = await loadRuns(arg, o.resultsDir);
  return { set: newestBatch(runs), unreadable: skipped.map((s) => `unreadable results file: ${s.message}`) };
}

export async function gateCommand(o: CliOptions, io: CliIO): Promise<number> {
  const base = await gateSide(o.baseline as string, o);
  const current = await gateSide(o.current ?? (await machineFingerprint()).key, o);
  const r = gate(base.set.runs, current.set.runs, {
    threshold: o.thresholdPct / 100,
    thresholdFor: o.thresholdFor,
    accuracyOnly: o.accuracyOnly,
    allowMissing: o.allowMissing,
  });
  const reasons = [
    ...base.unreadable.map((m) => `baseline ${m}`),
    ...current.unreadable.map((m) => `current ${m}`),
    ...r.reasons,
  ];
  const passed = reasons.length === 0;
  if (o.json) {
    io.stdout.write(
      `${JSON.stringify({ passed, reasons, baseline: base.set.description, current: current.set.description, comparisons: r.comparisons }, nonFiniteByName, 1)}\n`,
    );
  } else {
    if (r.comparisons.length > 0) io.stdout.write(`${formatComparisons(r.comparisons)}\n`);
    io.stdout.write(`baseline: ${base.set.description}\ncurrent:  ${current.set.description}\n`);
    if (r.comparisons.some((c) => c.basis === 'samples')) {
      io.stdout.write(
        'note: one run per side times only in-process noise: an identical build fails about 1 time in 5 here (docs/ci-gate.md); use --repeats 3 on both sides, or bench --interleave\n',
      );
    }
    io.stdout.write(passed ? 'gate: passed\n' : `gate: FAILED\n${reasons.map((x) => `  ${x}`).join('\n')}\n`);
  }
  return passed ? 0 : 1;
}

/**
 * Records a baseline: the one explicit step that moves it. RUN is a results file, or a folder or
 * machine key whose newest run set (the gate's rule: the newest run and the other runs of its clean
 * commit) is taken. One run is written as a file (default baselines/<machine-key>.json); several as a
 * folder of them (default baselines/<machine-key>/), which the gate reads as one baseline.
 */
export async function baselineCommand(o: CliOptions, io: CliIO): Promise<number> {
  const { runs, skipped } = await loadRuns(o.args[1], o.resultsDir);
  if (skipped.length > 0) throw new ResultsError(`${skipped[0].path}: ${skipped[0].message}`);
  const set = newestBatch(runs);
  for (const r of set.runs)
    if (r.status !== 'complete')
      throw new ResultsError(`run ${r.runId} (${r.startedAt}) is incomplete and cannot become a baseline`);
  const key = set.runs[0].machine.key;
  const write = async (path: string, r: ResultsFile) =>
    writeFileAtomic(path, `${JSON.stringify(r, nonFiniteByName, 1)}\n`, { overwrite: true }).catch((e: Error) => {
      throw new LowrankError('E_RESULTS', `${path}: cannot write the baseline (${e.message})`);
    });
  if (set.runs.length === 1) {
    const to = o.to ?? inside('baselines', `${key}.json`);
    const previous = await readResults(to).catch(() => null);
    await write(to, set.runs[0]);
    io.stdout.write(
      `baseline ${to}: ${previous === null ? 'created' : `run ${previous.runId} (${previous.startedAt}) replaced`} by run ${set.runs[0].runId} (${set.runs[0].startedAt})\n`,
    );
    return 0;
  }
  const dir = o.to ?? inside('baselines', key);
  const { mkdir, readdir, rm } = await import('node:fs/promises');
  await mkdir(dir, { recursive: true });
  const old = (await readdir(dir)).filter((f) => f.endsWith('.json'));
  for (const f of old) await rm(join(dir, f));
  for (const r of set.runs) await write(inside(dir, `${r.runId}.json`), r);
  io.stdout.write(
    `baseline ${dir}/: ${set.description}${old.length > 0 ? ` (replacing ${old.length} file${old.length === 1 ? '' : 's'})` : ''}\n`,
  );
  return 0;
}

/** Markdown, CSV or Bencher Metric Format, to stdout or atomically to --out. */
export async function exportCommand(o: CliOptions, io: CliIO): Promise<number> {
  const args = o.args.length > 0 ? o.args : [o.resultsDir];
  const runs = (await Promise.all(args.map((a) => load(a, o, io)))).flat();
  const format = o.format ?? 'md';
  const text =
    format === 'md'
      ? toMarkdown(runs)
      : format === 'csv'
        ? toCsv(runs)
        : `${JSON.stringify(toBencher(runs), null, 1)}\n`;
  if (o.out === undefined) {
    io.stdout.write(text);
  } else {
    await writeFileAtomic(o.out, text, { overwrite: true }).catch((e: Error) => {
      throw new LowrankError('E_RESULTS', `${o.out}: cannot write the export (${e.message})`);
    });
    io.stdout.write(`wrote ${o.out}\n`);
  }
  return 0;
}

/** The HTML report folder. */
export async function reportCommand(o: CliOptions, io: CliIO): Promise<number> {
  if (o.format !== undefined) return exportCommand(o, io);
  const args = o.args.length > 0 ? o.args : [o.resultsDir];
  const runs = (await Promise.all(args.map((a) => load(a, o, io)))).flat();
  const index = await writeReport(o.out ?? 'report', runs);
  io.stdout.write(`report: ${index} (${runs.length} run${runs.length === 1 ? '' : 's'})\n`);
  return 0;
}
