/**
 * The commands that measure: verify, bench, claims and run in this process, `--repeats N` in fresh
 * processes, and `run --browser` in headless Chromium. Each files one results file.
 */
import { ArgumentError, InterruptedError, setInterruptSignal, type Backend } from '@lowrank/core';
import {
  benchCases,
  calibrate,
  createProgress,
  runClaims,
  type ClaimRecord,
  gpuOf,
  machineFingerprint,
  measurePeaks,
  newRunId,
  openBackends,
  RESULTS_SCHEMA_VERSION,
  verifyCases,
  type BackendName,
  type BackendStatus,
  type BenchRecord,
  type Peak,
  type ResultsFile,
  type VerificationRecord,
} from '@lowrank/harness';
import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import type { CliOptions } from './args.ts';
import { PEAK_KERNELS } from './cases.ts';
import { allCoreCount, DEFAULT_GOLDEN, gitInfo, open, stopSwitch, timedBackends, type CliIO } from './context.ts';
import { formatBench, formatClaims, formatScaling, formatVerification } from './format.ts';
import { checkDestination, saveResults } from './save.ts';
import { select } from './select.ts';
import { formatSummary } from './summary.ts';
import { VERSION } from './suite.ts';

/** A golden root the user named must be a folder: checked before anything runs or is written. */
function goldenRootOf(o: CliOptions): string {
  const root = o.golden === undefined ? DEFAULT_GOLDEN : resolve(o.golden);
  if (o.golden !== undefined && !(existsSync(root) && statSync(root).isDirectory()))
    throw new ArgumentError(`--golden: '${o.golden}' is not a folder`);
  return root;
}

/** The main job samples each benchmark for less time than `bench` does, so the whole run fits in minutes. */
const RUN_TIME_MS = 150,
  RUN_WARMUP_MS = 50;

export async function runCommand(o: CliOptions, io: CliIO, opened: Backend[]): Promise<number> {
  const t0 = performance.now();
  await checkDestination(o);
  const { cases, claims, notes } = select(o);
  const progress = createProgress(io.stderr, o.json ? 'silent' : 'auto');
  for (const n of notes) progress.note(n);
  const startedAt = new Date().toISOString();
  // The checkout as the run starts: the code that runs was loaded now, and a tree edited during a long
  // run must not relabel its results (it read 'dirty' after an edit made mid-run).
  const git = await gitInfo();
  const verification: VerificationRecord[] = [];
  const benchmarks: BenchRecord[] = [];
  const claimRecords: ClaimRecord[] = [];
  const statuses: BackendStatus[] = [];
  let calibrationMs: number | undefined;
  let peaks: Peak[] | undefined;
  const goldenRoot = goldenRootOf(o);
  const cores = await allCoreCount();
  const required = o.backends !== undefined;

  const stop = stopSwitch(io, (name) =>
    progress.note(`${name}: stopping at the next kernel call, saving what was measured, marked incomplete`),
  );
  const signal = stop.signal;
  // Kernel calls yield to the event loop every ~50 ms and stop once the signal fires (core interrupt.ts).
  setInterruptSignal(signal);
  await (async () => {
    if (o.command === 'verify' || o.command === 'run') {
      const { backends, status } = await open(
        o.backends ?? ['ref', 'wasm', 'webgpu'],
        o.threads ?? [cores],
        openBackends,
        required,
      );
      opened.push(...backends);
      statuses.push(...status);
      for (const s of status) if (!s.available) progress.note(`backend ${s.name} unavailable: ${s.reason}`);
      await verifyCases({ cases, backends, goldenRoot, dtypes: o.dtypes, progress, into: verification, signal });
    }
    if (o.command === 'bench' || o.command === 'run') {
      const threads = o.threads ?? [...new Set([1, cores])];
      const opening = await open(o.backends ?? ['wasm', 'webgpu'], threads, openBackends, required);
      const { status } = opening;
      opened.push(...opening.backends);
      const backends = timedBackends(o, opening.backends, progress);
      for (const s of status) if (!statuses.some((x) => x.description === s.description)) statuses.push(s);
      for (const s of status) if (!s.available) progress.note(`backend ${s.name} unavailable: ${s.reason}`);
      calibrationMs = await calibrate();
      // The roof of the report's roofline, measured here with the benchmarks it bounds.
      if (o.peaks) peaks = await measurePeaks({ kernels: PEAK_KERNELS, backends, dtypes: o.dtypes, progress, signal });
      const run = o.command === 'run';
      await benchCases({
        cases,
        backends,
        dtypes: o.dtypes,
        sizes: o.sizes,
        filter: o.filter,
        progress,
        into: benchmarks,
        signal,
        timeMs: o.timeMs ?? (run ? RUN_TIME_MS : undefined),
        warmupMs: run ? RUN_WARMUP_MS : undefined,
        slowdown: o.injectSlowdown,
      });
    }
    if ((o.command === 'claims' || o.command === 'run') && claims.length > 0) {
      // Claims run where the verified arithmetic is: by default the WASM backend, in each claim's first dtype.
      const names = o.backends ?? ['wasm'];
      // One backend per name: verify and bench may each have opened the same configuration.
      let backends = opened.filter(
        (b, i) =>
          names.includes(b.name as BackendName) &&
          (b.name !== 'wasm' || b.info.details.threads === (o.threads ?? [cores])[0]) &&
          opened.findIndex((x) => x.name === b.name && x.info.details.threads === b.info.details.threads) === i,
      );
      if (backends.length === 0) {
        const r = await open(names, (o.threads ?? [cores]).slice(0, 1), openBackends, required);
        opened.push(...r.backends);
        for (const s of r.status) if (!statuses.some((x) => x.description === s.description)) statuses.push(s);
        for (const s of r.status) if (!s.available) progress.note(`backend ${s.name} unavailable: ${s.reason}`);
        backends = r.backends;
      }
      await runClaims({ claims, backends, dtypes: o.dtypes, mode: o.mode, progress, into: claimRecords, signal });
    }
  })().finally(() => setInterruptSignal(undefined));
  const complete = !signal.aborted;

  const results: ResultsFile = {
    schemaVersion: RESULTS_SCHEMA_VERSION,
    tool: { name: 'lowrank-bench', version: VERSION },
    runId: newRunId(),
    command: o.command as 'verify' | 'bench' | 'run' | 'claims',
    status: complete ? 'complete' : 'incomplete',
    startedAt,
    finishedAt: new Date().toISOString(),
    git,
    machine: await machineFingerprint(undefined, gpuOf(opened)),
    options: {
      argv: process.argv.slice(2),
      golden: goldenRoot,
      cases: cases.map((c) => c.id),
      claims: claims.map((c) => c.id),
    },
    backends: statuses,
    verification,
    benchmarks,
    calibrationMs,
    peaks,
    claims: claimRecords,
    interleaved: null,
  };
  let savedTo: string | null = null,
    fallback = false;
  if (o.save) ({ path: savedTo, fallback } = await saveResults(o, results, io.stderr));
  if (o.json) {
    io.stdout.write(`${JSON.stringify(results, null, 1)}\n`);
  } else if (o.command === 'run') {
    // The main job ends on one screen; the tables and the claims' details are in the results file.
    io.stdout.write(`\n${formatSummary(results, { savedTo, elapsedMs: performance.now() - t0, mode: o.mode })}\n`);
  } else {
    if (verification.length > 0)
      io.stdout.write(
        `\nVerification (ratios in units of ε of the computing dtype)\n${formatVerification(verification)}\n`,
      );
    if (benchmarks.length > 0)
      io.stdout.write(
        `\nBenchmarks (${results.machine.key})\n${formatBench(benchmarks)}\n${formatScaling(benchmarks)}`,
      );
    if (claimRecords.length > 0)
      io.stdout.write(`\nPapers' claims (${o.mode} experiments)\n${formatClaims(claimRecords)}\n`);
    if (savedTo !== null) io.stdout.write(`\nresults: ${savedTo}\n`);
  }
  if (!complete) return stop.exitCode();
  return failed(results) || fallback ? 1 : 0;
}

declare const Deno: { execPath(): string } | undefined;

/**
 * Runs this same command `repeats` times, each in a fresh process of the same runtime (and flags),
 * so the runs are independent trials rather than samples of one warmed-up process. Exit status: the
 * worst of the runs.
 */
export async function repeatCommand(argv: readonly string[], repeats: number, io: CliIO): Promise<number> {
  const { spawnSync } = await import('node:child_process');
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--repeats') i++;
    else if (!argv[i].startsWith('--repeats=')) rest.push(argv[i]);
  }
  const script = process.argv[1];
  const [cmd, pre] =
    typeof Deno !== 'undefined'
      ? [Deno.execPath(), ['run', '-A', script]]
      : [process.execPath, [...process.execArgv, script]];
  let worst = 0;
  for (let r = 1; r <= repeats; r++) {
    io.stderr.write(`repeat ${r}/${repeats}: a fresh process\n`);
    const child = spawnSync(cmd, [...pre, ...rest], { stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8' });
    io.stdout.write(child.stdout ?? '');
    worst = Math.max(worst, child.status ?? 1);
  }
  return worst;
}

/** run --browser: the same suite in headless Chromium; the page's results are filed like any run. */
export async function browserCommand(o: CliOptions, io: CliIO): Promise<number> {
  await checkDestination(o);
  const { runInBrowser } = await import('./browser-run.ts');
  const q = new URLSearchParams();
  q.set('backends', (o.backends ?? ['wasm', 'webgpu']).join(','));
  if (o.sizes !== undefined) q.set('sizes', o.sizes.join(','));
  if (o.filter !== undefined) q.set('filter', o.filter);
  if (o.timeMs !== undefined) q.set('time', String(o.timeMs));
  if (!o.peaks) q.set('peaks', '0');
  const { cases, claims, notes } = select(o);
  for (const n of notes) io.stderr.write(`${n}\n`);
  q.set('cases', cases.map((c) => c.id).join(','));
  q.set('claims', claims.map((c) => c.id).join(','));
  // In the page the claims run in reduced form unless --full asks for the full experiments.
  q.set('mode', o.mode === 'full' ? 'full' : 'reduced');
  const stop = stopSwitch(io);
  let results: ResultsFile;
  try {
    results = await runInBrowser({
      query: `?${q}`,
      timeoutMs: o.browserTimeoutS * 1000,
      onLog: o.json ? undefined : (l) => io.stderr.write(`${l}\n`),
      signal: stop.signal,
    });
  } catch (e) {
    if (!(e instanceof InterruptedError)) throw e;
    io.stderr.write(`lowrank: ${e.message}\n`);
    return stop.exitCode();
  }
  const saved = o.save ? await saveResults(o, results, io.stderr) : null;
  if (o.json) io.stdout.write(`${JSON.stringify(results, null, 1)}\n`);
  else
    io.stdout.write(
      `\n${formatSummary(results, { savedTo: saved?.path ?? null, elapsedMs: Date.parse(results.finishedAt) - Date.parse(results.startedAt), mode: o.mode === 'full' ? 'full' : 'reduced' })}\n`,
    );
  return failed(results) || saved?.fallback === true ? 1 : 0;
}

/** A run fails (exit 1) when a verification fails or errors, a benchmark cannot be timed, or a claim errors. */
function failed(r: Pick<ResultsFile, 'verification' | 'benchmarks' | 'claims'>): boolean {
  return (
    r.verification.some((v) => v.status === 'fail' || v.status === 'error') ||
    r.benchmarks.some((b) => b.status === 'error') ||
    r.claims.some((c) => c.status === 'error')
  );
}
