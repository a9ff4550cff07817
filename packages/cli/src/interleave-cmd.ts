import { ArgumentError, type Backend, type CaseDef } from '@lowrank/core';
import {
  benchInterleaved,
  calibrate,
  compareRuns,
  createProgress,
  gpuOf,
  machineFingerprint,
  newRunId,
  nonFiniteByName,
  RESULTS_SCHEMA_VERSION,
  runStamp,
  type BenchRecord,
  type ResultsFile,
} from '@lowrank/harness';
import { stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { CliOptions } from './args.ts';
import { checkDestination, saveResults } from './save.ts';
import { allCoreCount, gitInfo, open, stopSwitch, timedBackends, type CliIO } from './context.ts';
import { formatComparisons } from './compare-cmd.ts';
import { selectCases } from './select.ts';
import * as here from './suite.ts';

type Suite = typeof here;

declare const Deno: unknown;

/** Loads the suite module of another built checkout; a clear error when it is not one. */
async function loadSuite(dir: string): Promise<Suite> {
  const file = typeof Deno !== 'undefined' ? 'packages/cli/src/suite.ts' : 'packages/cli/dist/suite.js';
  const path = join(resolve(dir), file);
  if ((await stat(path).catch(() => null)) === null) {
    throw new ArgumentError(
      `--interleave ${dir}: no ${file} there; the base must be a checkout of lowrank-bench that has it, built (npm ci && npm run build)`,
    );
  }
  const suite = (await import(pathToFileURL(path).href)) as Partial<Suite>;
  if (suite.SUITE_API !== here.SUITE_API) {
    throw new ArgumentError(
      `--interleave ${dir}: its suite API is ${String(suite.SUITE_API)}, this build's is ${here.SUITE_API}; rebuild one side`,
    );
  }
  return suite as Suite;
}

/**
 * bench --interleave DIR: this build (current) and DIR's build (base) timed alternately in this
 * process. Writes one results file per side, each naming the other, and prints the comparison.
 */
export async function interleaveCommand(o: CliOptions, io: CliIO, opened: Backend[]): Promise<number> {
  const baseDir = o.interleave as string;
  await checkDestination({
    save: o.save,
    out: o.out === undefined ? undefined : join(o.out, 'base.json'),
    resultsDir: o.resultsDir,
  });
  const baseSuite = await loadSuite(baseDir);
  const progress = createProgress(io.stderr, o.json ? 'silent' : 'auto');
  const startedAt = new Date().toISOString();
  const names = o.backends ?? ['wasm', 'webgpu'];
  const threads = o.threads ?? [...new Set([1, await allCoreCount()])];
  const sides = [] as Array<{ cases: CaseDef[]; backends: Backend[]; status: ResultsFile['backends'] }>;
  for (const suite of [baseSuite, here]) {
    const r = await open(names, threads, suite.openBackends);
    opened.push(...r.backends);
    for (const s of r.status)
      if (!s.available)
        progress.note(`backend ${s.name} unavailable (${suite === here ? 'current' : 'base'} build): ${s.reason}`);
    sides.push({
      cases: selectCases(suite.cases, o),
      backends: timedBackends(o, r.backends, progress),
      status: r.status,
    });
  }
  const stop = stopSwitch(io);
  const calibrationMs = await calibrate();
  const into = { base: [] as BenchRecord[], current: [] as BenchRecord[] };
  // No interrupt signal in either build's kernel calls: installed in this build only, it charged each of
  // its calls a clock read that the base's calls did not pay, a bias against the current build on every
  // sub-microsecond benchmark. A stop is seen between benchmarks instead, within one benchmark's time.
  await benchInterleaved({
    base: sides[0],
    current: sides[1],
    dtypes: o.dtypes,
    sizes: o.sizes,
    filter: o.filter,
    timeMs: o.timeMs,
    progress,
    into,
    signal: stop.signal,
    slowdown: o.injectSlowdown,
  });
  const finishedAt = new Date().toISOString();
  const ids = { base: newRunId(), current: newRunId() };
  const machine = await machineFingerprint(undefined, gpuOf(opened));
  const run = (side: 'base' | 'current', i: 0 | 1, git: ResultsFile['git'], version: string): ResultsFile => ({
    schemaVersion: RESULTS_SCHEMA_VERSION,
    tool: { name: 'lowrank-bench', version },
    runId: ids[side],
    command: 'bench',
    status: stop.signal.aborted ? 'incomplete' : 'complete',
    startedAt,
    finishedAt,
    git,
    machine,
    options: {
      argv: process.argv.slice(2),
      interleave: resolve(baseDir),
      side,
      cases: sides[i].cases.map((c) => c.id),
    },
    backends: sides[i].status,
    verification: [],
    benchmarks: into[side],
    claims: [],
    // One calibration serves both: the pair ran in one process, so compare needs no normalization.
    calibrationMs,
    interleaved: { side, partnerRunId: ids[side === 'base' ? 'current' : 'base'] },
  });
  const base = run('base', 0, await gitInfo(resolve(baseDir)), baseSuite.VERSION);
  const current = run('current', 1, await gitInfo(), here.VERSION);
  const comparisons = compareRuns([base], [current], { threshold: o.thresholdPct / 100, thresholdFor: o.thresholdFor });
  let folder: string | null = null,
    failedWrite = false;
  if (o.save) {
    folder = o.out ?? join(o.resultsDir, 'interleaved', `${runStamp(startedAt)}-${ids.current}`);
    for (const [name, r] of [
      ['base.json', base],
      ['current.json', current],
    ] as const) {
      const saved = await saveResults({ out: join(folder, name), resultsDir: o.resultsDir }, r, io.stderr);
      if (saved.fallback) failedWrite = true;
    }
  }
  if (o.json) {
    io.stdout.write(`${JSON.stringify({ base, current, comparisons }, nonFiniteByName, 1)}\n`);
  } else {
    const commit = (r: ResultsFile) =>
      r.git === null ? 'no git' : `${r.git.commit.slice(0, 10)}${r.git.dirty ? '+dirty' : ''}`;
    io.stdout.write(
      `\nInterleaved A/B (${machine.key}): base ${commit(base)} (${resolve(baseDir)}) against current ${commit(current)}\n`,
    );
    io.stdout.write(`${formatComparisons(comparisons)}\n`);
    if (folder !== null)
      io.stdout.write(
        `\nresults: ${join(folder, 'base.json')}, ${join(folder, 'current.json')}\ngate: lowrank gate --baseline ${join(folder, 'base.json')} --current ${join(folder, 'current.json')}\n`,
      );
  }
  return stop.signal.aborted ? stop.exitCode() : failedWrite ? 1 : 0;
}
