import { ArgumentError, BackendUnavailableError, InterruptedError, LowrankError, setInterruptSignal, type Backend } from '@lowrank/core';
import {
  benchCases, calibrate, createProgress, runClaims, type ClaimRecord, gpuOf, machineFingerprint, newRunId, openBackends, RESULTS_SCHEMA_VERSION, verifyCases,
  type BackendName, type BackendStatus, type BenchRecord, type Progress, type ResultsFile, type VerificationRecord,
} from '@lowrank/harness';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseCli, type CliOptions } from './args.ts';
import { checkDestination, saveResults } from './save.ts';
import { helpText } from './help.ts';
import { select } from './select.ts';
import { formatSummary } from './summary.ts';
import { existsSync, statSync } from 'node:fs';
import { baselineCommand, compareCommand, exportCommand, gateCommand, reportCommand } from './compare-cmd.ts';
import { formatBench, formatCapabilities, formatClaims, formatInfo, formatScaling, formatVerification } from './format.ts';
import { VERSION } from './suite.ts';

export interface CliIO {
  stdout: { write(s: string): unknown; isTTY?: boolean };
  stderr: { write(s: string): unknown; isTTY?: boolean };
  /** Resolves when the user interrupts (Ctrl-C); the run then saves what it has, marked incomplete. */
  /** Resolves with the signal's name on the first SIGINT or SIGTERM (tests pass a resolved promise). */
  interrupted?: Promise<'SIGINT' | 'SIGTERM' | void>;
}

/**
 * A command's stop switch: the first SIGINT or SIGTERM aborts `signal` (its reason is the signal's name) and
 * calls `onStop`; `exitCode()` is then 130 or 143, as the shell reports a process that signal ended.
 */
export function stopSwitch(io: CliIO, onStop?: (name: 'SIGINT' | 'SIGTERM') => void): { signal: AbortSignal; exitCode(): 130 | 143 } {
  const abort = new AbortController();
  let by: 'SIGINT' | 'SIGTERM' = 'SIGINT';
  void io.interrupted?.then((name) => {
    if (name === 'SIGTERM') by = name;
    abort.abort(by);
    onStop?.(by);
  });
  return { signal: abort.signal, exitCode: () => (by === 'SIGTERM' ? 143 : 130) };
}

/** The repository's golden/ folder, relative to this file in src/ or dist/. */
export const DEFAULT_GOLDEN = fileURLToPath(new URL('../../../golden', import.meta.url));

export async function allCoreCount(): Promise<number> {
  return (await import('node:os')).availableParallelism();
}

/**
 * Opens the named backends once per requested WASM thread count (with a build's own `openBackends`).
 * `required`: the user named these backends, so one that cannot start is an error with its reason
 * (exit 2) rather than a note; the default set skips an unavailable backend and says why.
 */
export async function open(names: readonly BackendName[], threads: readonly number[], openWith: typeof openBackends = openBackends, required = false) {
  const backends: Backend[] = [];
  const status: BackendStatus[] = [];
  try {
    for (const name of names) {
      for (const t of name === 'wasm' ? threads : [1]) {
        const r = await openWith([name], { threads: t });
        backends.push(...r.backends);
        status.push(...r.status);
        const down = r.status.find((s) => !s.available);
        if (required && down !== undefined) throw new BackendUnavailableError(`--backend ${name}: ${(down.reason ?? 'unavailable').replace(`${name}: `, '')}`);
      }
    }
  } catch (e) {
    await Promise.all(backends.map((b) => b.close()));
    throw e;
  }
  return { backends, status };
}

export async function main(argv: readonly string[], io: CliIO): Promise<number> {
  let o: CliOptions;
  try {
    o = parseCli(argv);
  } catch (e) {
    io.stderr.write(`lowrank: error: ${(e as Error).message}\n(see lowrank --help)\n`);
    return 2;
  }
  if (o.help) {
    io.stdout.write(helpText(o.command === 'help' ? o.args[0] : o.command));
    return 0;
  }
  const opened: Backend[] = [];
  try {
    if (o.command === 'info') {
      const { backends, status } = await open(o.backends ?? ['ref', 'wasm', 'webgpu'], o.threads ?? [await allCoreCount()]);
      opened.push(...backends);
      const fp = await machineFingerprint(undefined, gpuOf(backends));
      const threads = backends.find((b) => b.name === 'wasm')?.info.details.threads;
      const capabilities = Object.fromEntries(backends.map((b) => [b.name, b.capabilities]));
      io.stdout.write(o.json
        ? `${JSON.stringify({ machine: fp, backends: status, threads, capabilities }, null, 1)}\n`
        : `${formatInfo(fp, status)}\n\n${formatCapabilities(backends)}\n`);
      return 0;
    }
    if (o.command === 'compare') return await compareCommand(o, io);
    if (o.command === 'gate') return await gateCommand(o, io);
    if (o.command === 'baseline') return await baselineCommand(o, io);
    if (o.command === 'export') return await exportCommand(o, io);
    if (o.command === 'report') return await reportCommand(o, io);
    if (o.repeats > 1 && (o.command === 'bench' || o.command === 'run')) return await repeatInProcesses(argv, o.repeats, io);
    if (o.browser) return await browserRun(o, io);
    if (o.interleave !== undefined) return await (await import('./interleave-cmd.ts')).interleaveCommand(o, io, opened);
    return await runMeasurements(o, io, opened);
  } catch (e) {
    if (e instanceof LowrankError) {
      io.stderr.write(`lowrank: error: ${e.message}\n`);
      return 2;
    }
    // A bug, not bad input: one line (the stack with LOWRANK_DEBUG=1), exit 1.
    const debug = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env?.LOWRANK_DEBUG === '1';
    io.stderr.write(`lowrank: internal error: ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}${debug && e instanceof Error ? `\n${e.stack}` : ' (LOWRANK_DEBUG=1 prints the stack)'}\n`);
    return 1;
  } finally {
    await Promise.all(opened.map((b) => b.close()));
  }
}

/** A golden root the user named must be a folder: checked before anything runs or is written. */
function goldenRootOf(o: CliOptions): string {
  const root = o.golden === undefined ? DEFAULT_GOLDEN : resolve(o.golden);
  if (o.golden !== undefined && !(existsSync(root) && statSync(root).isDirectory())) throw new ArgumentError(`--golden: '${o.golden}' is not a folder`);
  return root;
}

/** The main job samples each benchmark for less time than `bench` does, so the whole run fits in minutes. */
const RUN_TIME_MS = 150, RUN_WARMUP_MS = 50;

async function runMeasurements(o: CliOptions, io: CliIO, opened: Backend[]): Promise<number> {
  const t0 = performance.now();
  await checkDestination(o);
  const { cases, claims, notes } = select(o);
  const progress = createProgress(io.stderr, o.json ? 'silent' : 'auto');
  for (const n of notes) progress.note(n);
  const startedAt = new Date().toISOString();
  const verification: VerificationRecord[] = [];
  const benchmarks: BenchRecord[] = [];
  const claimRecords: ClaimRecord[] = [];
  const statuses: BackendStatus[] = [];
  let calibrationMs: number | undefined;
  const goldenRoot = goldenRootOf(o);
  const cores = await allCoreCount();
  const required = o.backends !== undefined;

  const stop = stopSwitch(io, (name) => progress.note(`${name}: stopping at the next kernel call, saving what was measured, marked incomplete`));
  const signal = stop.signal;
  // Kernel calls yield to the event loop every ~50 ms and stop once the signal fires (core interrupt.ts).
  setInterruptSignal(signal);
  await (async () => {
    if (o.command === 'verify' || o.command === 'run') {
      const { backends, status } = await open(o.backends ?? ['ref', 'wasm', 'webgpu'], o.threads ?? [cores], openBackends, required);
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
      const run = o.command === 'run';
      await benchCases({
        cases, backends, dtypes: o.dtypes, sizes: o.sizes, filter: o.filter, progress, into: benchmarks, signal,
        timeMs: o.timeMs ?? (run ? RUN_TIME_MS : undefined), warmupMs: run ? RUN_WARMUP_MS : undefined, slowdown: o.injectSlowdown,
      });
    }
    if ((o.command === 'claims' || o.command === 'run') && claims.length > 0) {
      // Claims run where the verified arithmetic is: by default the WASM backend, in each claim's first dtype.
      const names = o.backends ?? ['wasm'];
      // One backend per name: verify and bench may each have opened the same configuration.
      let backends = opened.filter((b, i) => names.includes(b.name as BackendName) && (b.name !== 'wasm' || b.info.details.threads === (o.threads ?? [cores])[0])
        && opened.findIndex((x) => x.name === b.name && x.info.details.threads === b.info.details.threads) === i);
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
    git: await gitInfo(),
    machine: await machineFingerprint(undefined, gpuOf(opened)),
    options: { argv: process.argv.slice(2), golden: goldenRoot, cases: cases.map((c) => c.id), claims: claims.map((c) => c.id) },
    backends: statuses,
    verification,
    benchmarks,
    calibrationMs,
    claims: claimRecords,
    interleaved: null,
  };
  let savedTo: string | null = null, fallback = false;
  if (o.save) ({ path: savedTo, fallback } = await saveResults(o, results, io.stderr));
  if (o.json) {
    io.stdout.write(`${JSON.stringify(results, null, 1)}\n`);
  } else if (o.command === 'run') {
    // The main job ends on one screen; the tables and the claims' details are in the results file.
    io.stdout.write(`\n${formatSummary(results, { savedTo, elapsedMs: performance.now() - t0, mode: o.mode })}\n`);
  } else {
    if (verification.length > 0) io.stdout.write(`\nVerification (ratios in units of ε of the computing dtype)\n${formatVerification(verification)}\n`);
    if (benchmarks.length > 0) io.stdout.write(`\nBenchmarks (${results.machine.key})\n${formatBench(benchmarks)}\n${formatScaling(benchmarks)}`);
    if (claimRecords.length > 0) io.stdout.write(`\nPapers' claims (${o.mode} experiments)\n${formatClaims(claimRecords)}\n`);
    if (savedTo !== null) io.stdout.write(`\nresults: ${savedTo}\n`);
  }
  if (!complete) return stop.exitCode();
  return failed(results) || fallback ? 1 : 0;
}

/** Software adapters (lavapipe, SwiftShader) are for correctness: not timed unless asked for by name. */
export function timedBackends(o: CliOptions, backends: readonly Backend[], progress: Progress): Backend[] {
  if (o.backends !== undefined) return [...backends];
  const software = backends.filter((b) => b.info.details.software === true);
  for (const b of software) progress.note(`${b.info.description}: not benchmarked by default (software adapter); pass --backend ${b.name} to time it`);
  return backends.filter((b) => !software.includes(b));
}

/** The commit checked out in `cwd` (default: here), and whether tracked files differ from it. */
export async function gitInfo(cwd?: string): Promise<{ commit: string; dirty: boolean } | null> {
  try {
    const { execFileSync } = await import('node:child_process');
    const git = (args: string[]) => execFileSync('git', args, { cwd, stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim();
    const commit = git(['rev-parse', 'HEAD']);
    const dirty = git(['status', '--porcelain', '--untracked-files=no']) !== '';
    return { commit, dirty };
  } catch {
    return null;
  }
}

declare const Deno: { execPath(): string } | undefined;

/**
 * Runs this same command `repeats` times, each in a fresh process of the same runtime (and flags),
 * so the runs are independent trials rather than samples of one warmed-up process. Exit status: the
 * worst of the runs.
 */
async function repeatInProcesses(argv: readonly string[], repeats: number, io: CliIO): Promise<number> {
  const { spawnSync } = await import('node:child_process');
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--repeats') i++;
    else if (!argv[i].startsWith('--repeats=')) rest.push(argv[i]);
  }
  const script = process.argv[1];
  const [cmd, pre] = typeof Deno !== 'undefined' ? [Deno.execPath(), ['run', '-A', script]] : [process.execPath, [...process.execArgv, script]];
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
async function browserRun(o: CliOptions, io: CliIO): Promise<number> {
  await checkDestination(o);
  const { runInBrowser } = await import('./browser-run.ts');
  const q = new URLSearchParams();
  q.set('backends', (o.backends ?? ['wasm', 'webgpu']).join(','));
  if (o.sizes !== undefined) q.set('sizes', o.sizes.join(','));
  if (o.filter !== undefined) q.set('filter', o.filter);
  if (o.timeMs !== undefined) q.set('time', String(o.timeMs));
  const { cases, claims, notes } = select(o);
  for (const n of notes) io.stderr.write(`${n}\n`);
  q.set('cases', cases.map((c) => c.id).join(','));
  q.set('claims', claims.map((c) => c.id).join(','));
  // In the page the claims run in reduced form unless --full asks for the full experiments.
  q.set('mode', o.mode === 'full' ? 'full' : 'reduced');
  const stop = stopSwitch(io);
  let results: ResultsFile;
  try {
    results = await runInBrowser({ query: `?${q}`, timeoutMs: o.browserTimeoutS * 1000, onLog: o.json ? undefined : (l) => io.stderr.write(`${l}\n`), signal: stop.signal });
  } catch (e) {
    if (!(e instanceof InterruptedError)) throw e;
    io.stderr.write(`lowrank: ${e.message}\n`);
    return stop.exitCode();
  }
  const saved = o.save ? await saveResults(o, results, io.stderr) : null;
  if (o.json) io.stdout.write(`${JSON.stringify(results, null, 1)}\n`);
  else io.stdout.write(`\n${formatSummary(results, { savedTo: saved?.path ?? null, elapsedMs: Date.parse(results.finishedAt) - Date.parse(results.startedAt), mode: o.mode === 'full' ? 'full' : 'reduced' })}\n`);
  return failed(results) || saved?.fallback === true ? 1 : 0;
}

/** A run fails (exit 1) when a verification fails or errors, a benchmark cannot be timed, or a claim errors. */
function failed(r: Pick<ResultsFile, 'verification' | 'benchmarks' | 'claims'>): boolean {
  return r.verification.some((v) => v.status === 'fail' || v.status === 'error') || r.benchmarks.some((b) => b.status === 'error') || r.claims.some((c) => c.status === 'error');
}
