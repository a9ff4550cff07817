import { ResultsError } from '@lowrank/core';
import { join, resolve, sep } from 'node:path';
import { z } from 'zod';
import { BenchRecord } from './bench.ts';
import { ClaimRecord } from './claims.ts';
import { Fingerprint } from './fingerprint.ts';
import { formatIssues } from './golden/store.ts';
import { Peak } from './peaks.ts';
import { readText, writeFileAtomic } from './storage.ts';
import { VerificationRecord } from './verify.ts';

/**
 * Version history (each step has a migration below, so every older file stays readable):
 *   1 → 2: `interleaved` (null, or the partner run of an interleaved A/B benchmark).
 *   2 → 3: `claims` (the papers' claims checked in the run) and the command 'claims'.
 *   3 → 4: claims' predicates carry their evidence `kind`, and the status 'mechanism verified' (a claim
 *          whose predicates hold but none is empirical); older files keep their records as they were.
 *   4 → 5: claims no longer record a declared verdict (`expected`): they declare bands of their measured
 *          quantities, which the tests assert (ClaimDef.bands).
 *   5 → 6: a non-finite verification ratio or benchmark accuracy is written by name ('NaN', 'Infinity',
 *          see measured.ts), no longer as null; older files' nulls read as 'NaN' (they said only "not
 *          finite"). New optional fields: `peaks` (the run's measured compute and bandwidth peaks) and a
 *          claim's `plot`.
 */
export const RESULTS_SCHEMA_VERSION = 6;

const ISO_UTC = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,9})?Z$/;

export const ResultsFile = z
  .object({
    schemaVersion: z.literal(RESULTS_SCHEMA_VERSION),
    tool: z.object({ name: z.literal('lowrank-bench'), version: z.string() }),
    runId: z.string().regex(/^[a-z0-9]{8,}$/),
    command: z.enum(['verify', 'bench', 'run', 'claims']),
    /** 'incomplete' when the run was interrupted: what it measured before is kept. */
    status: z.enum(['complete', 'incomplete']),
    /** ISO 8601 UTC (it names the results file). */
    startedAt: z.string().regex(ISO_UTC, 'an ISO 8601 UTC time, e.g. 2026-11-30T08:00:00.000Z'),
    finishedAt: z.string().regex(ISO_UTC, 'an ISO 8601 UTC time, e.g. 2026-11-30T08:00:00.000Z'),
    git: z.object({ commit: z.string(), dirty: z.boolean() }).nullable(),
    machine: Fingerprint,
    options: z.record(z.string(), z.unknown()),
    backends: z.array(
      z.object({ name: z.string(), description: z.string(), available: z.boolean(), reason: z.string().optional() }),
    ),
    verification: z.array(VerificationRecord),
    benchmarks: z.array(BenchRecord),
    claims: z.array(ClaimRecord),
    /** The machine's measured compute and bandwidth ceilings per backend, threads and dtype (peaks.ts). */
    peaks: z.array(Peak).optional(),
    /** Median time (ms) of a fixed JavaScript kernel run with the benchmarks: normalizes runs across machines and load. */
    calibrationMs: z.number().positive().optional(),
    /**
     * An interleaved A/B run (`bench --interleave`): two builds timed alternately in one process write
     * one file each, naming each other; `compare` then pairs them as equals (same process, same load).
     */
    interleaved: z.object({ side: z.enum(['base', 'current']), partnerRunId: z.string() }).nullable(),
  })
  .strict();
export type ResultsFile = z.infer<typeof ResultsFile>;

export function newRunId(): string {
  return Array.from(crypto.getRandomValues(new Uint8Array(6)), (b) => b.toString(36).padStart(2, '0'))
    .join('')
    .slice(0, 10);
}

/** A run's start time as a compact, sortable file-name stamp: 20261126T223000Z. */
export function runStamp(startedAt: string): string {
  return startedAt.replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
}

/** results/<machine-key>/<started-at>-<run-id>.json: sortable by time, unique per run, always inside `dir`. */
export function resultsPath(dir: string, r: ResultsFile): string {
  return inside(dir, join(r.machine.key, `${runStamp(r.startedAt)}-${r.runId}.json`));
}

/** `dir`/`relative`, refused (ResultsError) unless it resolves inside `dir`: names taken from files never escape it. */
export function inside(dir: string, relative: string): string {
  const base = resolve(dir),
    path = resolve(base, relative);
  if (path !== base && !path.startsWith(base + sep))
    throw new ResultsError(`refusing to write outside ${dir}: '${relative}'`);
  return path;
}

/** Validates and writes a run atomically at exactly `path`; never overwrites an existing file. */
export async function writeResultsFile(path: string, r: ResultsFile): Promise<string> {
  const parsed = ResultsFile.safeParse(r);
  if (!parsed.success)
    throw new ResultsError(`refusing to write an invalid results file: ${formatIssues(parsed.error.issues)}`);
  try {
    await writeFileAtomic(path, `${JSON.stringify(parsed.data, null, 1)}\n`);
  } catch (cause) {
    throw new ResultsError(`${path}: cannot write results (${(cause as Error).message})`, { cause });
  }
  return path;
}

/** Files a run under `dir`/<machine-key>/ (see `resultsPath`). Returns the path. */
export function writeResults(dir: string, r: ResultsFile): Promise<string> {
  return writeResultsFile(resultsPath(dir, r), r);
}

type RawRun = Record<string, unknown>;

/** MIGRATIONS[v] turns a version-v file into a version v + 1 file. */
const MIGRATIONS: Readonly<Record<number, (r: RawRun) => RawRun>> = {
  1: (r) => ({ ...r, schemaVersion: 2, interleaved: null }),
  2: (r) => ({ ...r, schemaVersion: 3, claims: [] }),
  3: (r) => ({ ...r, schemaVersion: 4 }),
  4: (r) => ({ ...r, schemaVersion: 5 }),
  5: (r) => ({ ...r, schemaVersion: 6, ...nullsAsNaN(r) }),
};

/** Version 5 wrote a non-finite ratio or accuracy as null: it reads as NaN (which of the three was not kept). */
function nullsAsNaN(r: RawRun): RawRun {
  const nan = <T extends { value?: unknown }>(x: T): T => (x.value === null ? { ...x, value: 'NaN' } : x);
  const list = (k: string) => (Array.isArray(r[k]) ? (r[k] as RawRun[]) : undefined);
  return {
    verification: list('verification')?.map((v) =>
      Array.isArray(v.metrics) ? { ...v, metrics: (v.metrics as RawRun[]).map(nan) } : v,
    ),
    benchmarks: list('benchmarks')?.map((b) =>
      b.accuracy !== null && typeof b.accuracy === 'object' ? { ...b, accuracy: nan(b.accuracy as RawRun) } : b,
    ),
  };
}

/** Brings a parsed file of any known version up to the current one; refuses others by name. */
export function migrateResults(raw: unknown, path: string): unknown {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw))
    throw new ResultsError(`${path}: not a results file (a JSON object was expected)`);
  let r = raw as RawRun;
  const version = r.schemaVersion;
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1) {
    throw new ResultsError(`${path}: not a lowrank-bench results file (schemaVersion ${JSON.stringify(version)})`);
  }
  if (version > RESULTS_SCHEMA_VERSION) {
    throw new ResultsError(
      `${path}: results schema version ${version} was written by a newer lowrank-bench; this build reads versions 1 to ${RESULTS_SCHEMA_VERSION}`,
    );
  }
  for (let v = version; v < RESULTS_SCHEMA_VERSION; v++) r = MIGRATIONS[v](r);
  return r;
}

/** Reads, migrates and validates one results file; any problem is a `ResultsError` naming the file. */
export async function readResults(path: string): Promise<ResultsFile> {
  let raw: unknown;
  try {
    raw = JSON.parse(await readText(path));
  } catch (cause) {
    throw new ResultsError(`${path}: not a readable results file (${(cause as Error).message})`, { cause });
  }
  const parsed = ResultsFile.safeParse(migrateResults(raw, path));
  if (!parsed.success)
    throw new ResultsError(`${path}: does not match the results schema: ${formatIssues(parsed.error.issues)}`);
  return parsed.data;
}

/**
 * The runs an argument names: a results file, a folder of them (searched one level down, as
 * results/<machine-key>/), or a machine key under `resultsDir`. Unreadable files are reported by
 * name in `skipped` and left out, never fatal; naming nothing readable is a ResultsError.
 */
export async function loadRuns(
  arg: string,
  resultsDir: string,
): Promise<{ runs: ResultsFile[]; skipped: Array<{ path: string; message: string }> }> {
  const { readdir, stat } = await import('node:fs/promises');
  const candidates = [arg, join(resultsDir, arg)];
  let files: string[] | null = null;
  for (const c of candidates) {
    const s = await stat(c).catch(() => null);
    if (s === null) continue;
    if (s.isFile()) {
      files = [c];
      break;
    }
    files = [];
    for (const entry of (await readdir(c, { withFileTypes: true })).sort((x, y) => x.name.localeCompare(y.name))) {
      const p = join(c, entry.name);
      if (entry.isFile() && entry.name.endsWith('.json')) files.push(p);
      else if (entry.isDirectory()) {
        for (const f of (await readdir(p)).sort()) if (f.endsWith('.json')) files.push(join(p, f));
      }
    }
    break;
  }
  if (files === null)
    throw new ResultsError(`${arg}: no such results file, folder or machine key (looked in ${resultsDir})`);
  const runs: ResultsFile[] = [];
  const skipped: Array<{ path: string; message: string }> = [];
  for (const f of files) {
    try {
      runs.push(await readResults(f));
    } catch (e) {
      skipped.push({ path: f, message: (e as Error).message });
    }
  }
  if (runs.length === 0)
    throw new ResultsError(
      `${arg}: no readable results file there${skipped.length > 0 ? ` (${skipped.length} skipped: ${skipped[0].message})` : ''}`,
    );
  return { runs, skipped };
}
