#!/usr/bin/env node
// Runs npm scripts side by side and prints their output as if they had run one after the other: the
// first script's output live, each later one's held until those before it finish (the runs would
// otherwise interleave line by line). Exits with the first failing script's code, after all finish.
//
// Why: the tests' last steps are the hard-matrix sweep (one vitest worker, one core), the CLI end to
// end under Node (one process) and under Deno (mostly waiting: Deno's mapAsync sleeps 10 ms a read),
// so on two cores they overlap instead of queueing.
//
// Usage: node scripts/parallel.mjs SCRIPT...   (npm script names, e.g. test:sweep test:e2e)
import { spawn } from 'node:child_process';
import { constants } from 'node:os';

const names = process.argv.slice(2);
if (names.length === 0 || names.some((n) => n.startsWith('-'))) {
  process.stderr.write('usage: node scripts/parallel.mjs SCRIPT...  (npm script names, run side by side)\n');
  process.exit(2);
}

const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const started = performance.now();
let shown = 0; // runs before this index have printed all their output
const runs = names.map((name, i) => {
  const run = { name, chunks: [], code: null, seconds: 0 };
  // Its own process group, so that a signal reaches npm's shell and the node or deno under it.
  const child = spawn(npm, ['run', name], { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  run.child = child;
  const take = (chunk) => {
    if (i === shown) process.stdout.write(chunk);
    else run.chunks.push(chunk);
  };
  child.stdout.on('data', take);
  child.stderr.on('data', take);
  run.done = new Promise((resolve) => {
    child.on('error', (e) => {
      run.chunks.push(`parallel: could not start npm run ${name}: ${e.message}\n`);
      run.code ??= 127;
    });
    child.on('close', (code, signal) => {
      run.code ??= code ?? 128 + (constants.signals[signal] ?? 0);
      run.seconds = (performance.now() - started) / 1000;
      resolve();
      flush();
    });
  });
  return run;
});

/** Prints the held output of every finished run at the front, and makes the next one live. */
function flush() {
  while (shown < runs.length && runs[shown].code !== null) {
    shown++;
    if (shown < runs.length) for (const c of runs[shown].chunks.splice(0)) process.stdout.write(c);
  }
}

for (const [signal, code] of [
  ['SIGINT', 130],
  ['SIGTERM', 143],
]) {
  process.on(signal, () => {
    for (const r of runs) if (r.code === null && r.child.pid !== undefined) killGroup(r.child.pid, signal);
    process.exitCode = code;
  });
}

function killGroup(pid, signal) {
  try {
    process.kill(-pid, signal);
  } catch {
    // already gone
  }
}

await Promise.all(runs.map((r) => r.done));
const summary = runs.map((r) => `${r.name} ${r.code === 0 ? 'ok' : `exit ${r.code}`} (${r.seconds.toFixed(0)} s)`);
process.stdout.write(`\nparallel: ${summary.join(', ')}\n`);
const failed = runs.find((r) => r.code !== 0);
if (process.exitCode === undefined && failed !== undefined) process.exitCode = failed.code;
