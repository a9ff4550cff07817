/**
 * Where a run's results go, checked before anything runs, and a write that cannot lose the run: a
 * results folder that cannot be written or an `--out` that exists is refused up front (exit 2); a
 * write that fails anyway at the end (disk full, the folder removed meanwhile) goes to a fallback file
 * in the temporary folder, whose path is printed.
 */
import { ArgumentError, ResultsError } from '@lowrank/core';
import { nonFiniteByName, runStamp, writeResults, writeResultsFile, type ResultsFile } from '@lowrank/harness';
import { existsSync } from 'node:fs';
import { access, constants, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import type { CliOptions } from './args.ts';

/** Refuses, before the run, a destination the results could not be written to. */
export async function checkDestination(o: Pick<CliOptions, 'save' | 'out' | 'resultsDir'>): Promise<void> {
  if (!o.save) return;
  if (o.out !== undefined && existsSync(o.out))
    throw new ArgumentError(`--out: '${o.out}' exists; results are never overwritten (choose another path)`);
  const folder = o.out !== undefined ? dirname(resolve(o.out)) : resolve(o.resultsDir);
  try {
    await mkdir(folder, { recursive: true });
    await access(folder, constants.W_OK);
    const probe = join(folder, `.lowrank-write-test-${process.pid}`);
    await writeFile(probe, '');
    await rm(probe);
  } catch (cause) {
    throw new ResultsError(
      `cannot write results to '${folder}' (${(cause as Error).message}); choose a writable --results-dir or --out`,
      { cause },
    );
  }
}

/** JSON that keeps non-finite numbers by name, for the fallback file (which skips the schema). */
const lenient = (r: unknown) => `${JSON.stringify(r, nonFiniteByName, 1)}\n`;

/**
 * Writes the run where asked; if that fails, writes it to a fallback file in the temporary folder and
 * says so on stderr. Returns the path written and whether it was the one asked for.
 */
export async function saveResults(
  o: Pick<CliOptions, 'out' | 'resultsDir'>,
  r: ResultsFile,
  stderr: { write(s: string): unknown },
): Promise<{ path: string; fallback: boolean }> {
  try {
    return {
      path: o.out !== undefined ? await writeResultsFile(resolve(o.out), r) : await writeResults(o.resultsDir, r),
      fallback: false,
    };
  } catch (e) {
    const path = join(tmpdir(), `lowrank-unsaved-${runStamp(r.startedAt)}-${r.runId}.json`);
    await writeFile(path, lenient(r));
    stderr.write(`lowrank: ${(e as Error).message}\nlowrank: the run was saved to ${path} instead\n`);
    return { path, fallback: true };
  }
}
