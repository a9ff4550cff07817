import { ArgumentError, isDType, type DType } from '@lowrank/core';
import { globToRegExp, parseBackendNames, type BackendName, type ClaimMode } from '@lowrank/harness';
import { parseArgs } from 'node:util';
import { ALL_CASES, FAMILIES, PAPERS } from './cases.ts';
import { closestNames } from './names.ts';

const CASE_IDS = ALL_CASES.map((c) => c.id);

export const COMMANDS = [
  'info',
  'verify',
  'bench',
  'run',
  'claims',
  'compare',
  'gate',
  'baseline',
  'export',
  'report',
  'help',
] as const;
export const EXPORT_FORMATS = ['md', 'csv', 'bmf'] as const;
export type Command = (typeof COMMANDS)[number];

export interface CliOptions {
  command: Command;
  json: boolean;
  backends?: BackendName[];
  dtypes?: DType[];
  families?: string[];
  /** Only these papers' cases and claims (paper ids, e.g. S27). */
  papers?: string[];
  /** Only these cases (ids, e.g. linalg/qr). */
  caseIds?: string[];
  /** claims (and run): which form of each claim's experiment runs (default standard). */
  mode: ClaimMode;
  golden?: string;
  filter?: string;
  sizes?: number[];
  threads?: number[];
  timeMs?: number;
  out?: string;
  resultsDir: string;
  save: boolean;
  /** bench/run: measure the roof (harness/peaks.ts) with the benchmarks. */
  peaks: boolean;
  help: boolean;
  /** compare: the runs to compare; baseline: ['accept', RUN]. */
  args: string[];
  thresholdPct: number;
  /** --threshold-for 'GLOB=PCT', repeatable. */
  thresholdFor: Array<{ pattern: RegExp; threshold: number }>;
  baseline?: string;
  current?: string;
  accuracyOnly: boolean;
  /** gate: benchmarks, checks and claims of the baseline may be absent or unsupported now. */
  allowMissing: boolean;
  /** bench/run: busy-wait this fraction of each timed run after it (measuring the gate's power; recorded in the results). */
  injectSlowdown?: number;
  to?: string;
  /** export: default md; report: absent means HTML. */
  format?: (typeof EXPORT_FORMATS)[number];
  repeats: number;
  browser: boolean;
  /** run --browser: how long the page may take before the run fails (seconds). */
  browserTimeoutS: number;
  /** bench: another built checkout of lowrank-bench to time against this one, interleaved in one process. */
  interleave?: string;
}

/** A percentage in (0, 1000) given as `30` or `30%`, as a fraction (0.3). */
function percent(flag: string, text: string): number {
  const pct = Number(text.replace(/%$/, ''));
  if (!(pct > 0 && pct < 1000)) throw new ArgumentError(`${flag}: '${text}' is not a percentage in (0, 1000)`);
  return pct / 100;
}

function intList(flag: string, v: string, min: number, max: number): number[] {
  const parts = v.split(',').map((s) => s.trim());
  return parts.map((s) => {
    const n = Number(s);
    if (s === '' || !Number.isInteger(n) || n < min || n > max)
      throw new ArgumentError(`${flag}: '${s}' is not an integer in [${min}, ${max}]`);
    return n;
  });
}

/** Parses argv into options; every problem is an ArgumentError naming the flag. */
export function parseCli(argv: readonly string[]): CliOptions {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: {
        json: { type: 'boolean' },
        backend: { type: 'string' },
        dtype: { type: 'string' },
        family: { type: 'string' },
        paper: { type: 'string' },
        case: { type: 'string' },
        reduced: { type: 'boolean' },
        full: { type: 'boolean' },
        golden: { type: 'string' },
        filter: { type: 'string' },
        sizes: { type: 'string' },
        threads: { type: 'string' },
        time: { type: 'string' },
        out: { type: 'string' },
        'results-dir': { type: 'string' },
        'no-save': { type: 'boolean' },
        'no-peaks': { type: 'boolean' },
        threshold: { type: 'string' },
        'threshold-for': { type: 'string', multiple: true },
        baseline: { type: 'string' },
        current: { type: 'string' },
        'accuracy-only': { type: 'boolean' },
        'allow-missing': { type: 'boolean' },
        'inject-slowdown': { type: 'string' },
        to: { type: 'string' },
        format: { type: 'string' },
        repeats: { type: 'string' },
        browser: { type: 'boolean' },
        'browser-timeout': { type: 'string' },
        interleave: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (e) {
    throw new ArgumentError((e as Error).message.replace(/\. To specify a positional argument.*$/s, ''));
  }
  const { values: v, positionals } = parsed;
  const command = (positionals[0] ?? 'help') as Command;
  if (!(COMMANDS as readonly string[]).includes(command)) {
    throw new ArgumentError(`unknown command '${command}' (commands: ${COMMANDS.join(', ')})`);
  }
  const args = positionals.slice(1);
  if (command === 'help' && args[0] !== undefined && !(COMMANDS as readonly string[]).includes(args[0])) {
    throw new ArgumentError(`help: unknown command '${args[0]}' (commands: ${COMMANDS.join(', ')})`);
  }
  // Help is answered before any other check, so 'lowrank compare --help' needs no arguments.
  if (v.help === true || command === 'help') return { ...HELP_ONLY, command, help: true, args };
  if (v.browser === true && command !== 'run') throw new ArgumentError('--browser applies to run only');
  if (v['browser-timeout'] !== undefined && v.browser !== true)
    throw new ArgumentError('--browser-timeout applies to run --browser only');
  if (v.interleave !== undefined && command !== 'bench') throw new ArgumentError('--interleave applies to bench only');
  if (v.interleave !== undefined && v.repeats !== undefined)
    throw new ArgumentError(
      '--interleave and --repeats do not combine: an interleaved run already pairs the two builds in one process',
    );
  if (command === 'compare' && args.length < 2)
    throw new ArgumentError('compare needs at least two results (files, folders or machine keys): BASE CURRENT');
  if (command === 'baseline' && (args[0] !== 'accept' || args.length !== 2))
    throw new ArgumentError("baseline: usage is 'lowrank baseline accept RUN|DIR [--to PATH]'");
  if (command === 'gate' && v.baseline === undefined) throw new ArgumentError('gate needs --baseline FILE|DIR');
  if (!['compare', 'baseline', 'export', 'report'].includes(command) && args.length > 0)
    throw new ArgumentError(`unexpected argument '${args[0]}'`);
  const format = v.format as CliOptions['format'];
  if (format !== undefined && !(EXPORT_FORMATS as readonly string[]).includes(format))
    throw new ArgumentError(`--format: '${v.format}' is not one of ${EXPORT_FORMATS.join(', ')}`);
  const thresholdPct = v.threshold === undefined ? 10 : percent('--threshold', v.threshold) * 100;
  const dtypes = v.dtype?.split(',').map((s) => s.trim());
  for (const d of dtypes ?? []) if (!isDType(d)) throw new ArgumentError(`--dtype: '${d}' is not f16, f32 or f64`);
  const families = v.family?.split(',').map((s) => s.trim());
  for (const f of families ?? [])
    if (!FAMILIES.includes(f))
      throw new ArgumentError(`--family: unknown family '${f}' (known: ${FAMILIES.join(', ')})`);
  const papers = v.paper?.split(',').map((x) => x.trim().toUpperCase());
  for (const p of papers ?? [])
    if (!PAPERS.includes(p))
      throw new ArgumentError(`--paper: no claims or cases for '${p}' (papers implemented: ${PAPERS.join(', ')})`);
  if (papers !== undefined && !['verify', 'bench', 'run', 'claims', 'report', 'export'].includes(command))
    throw new ArgumentError('--paper applies to verify, bench, run, claims, report and export');
  const caseIds = v.case?.split(',').map((x) => x.trim());
  for (const c of caseIds ?? []) {
    if (!CASE_IDS.includes(c))
      throw new ArgumentError(`--case: no case '${c}'; closest: ${closestNames(CASE_IDS, c).join(', ')}`);
  }
  if (caseIds !== undefined && !['verify', 'bench', 'run', 'report', 'export'].includes(command))
    throw new ArgumentError('--case applies to verify, bench, run, report and export');
  const modeFlag = v.reduced === true ? '--reduced' : v.full === true ? '--full' : undefined;
  if (modeFlag !== undefined && command !== 'claims' && command !== 'run')
    throw new ArgumentError(`${modeFlag} applies to claims and run only`);
  if (v.reduced === true && v.full === true) throw new ArgumentError('--reduced and --full exclude each other');
  return {
    command,
    json: v.json ?? false,
    papers,
    caseIds,
    mode: v.full === true ? 'full' : v.reduced === true ? 'reduced' : 'standard',
    backends: v.backend === undefined ? undefined : parseBackendNames(v.backend),
    dtypes: dtypes as DType[] | undefined,
    families,
    golden: v.golden,
    filter: v.filter,
    sizes: v.sizes === undefined ? undefined : intList('--sizes', v.sizes, 0, 1 << 16),
    threads: v.threads === undefined ? undefined : intList('--threads', v.threads, 1, 256),
    timeMs: v.time === undefined ? undefined : intList('--time', v.time, 10, 600_000)[0],
    out: v.out,
    resultsDir: v['results-dir'] ?? 'results',
    save: !(v['no-save'] ?? false),
    peaks: !(v['no-peaks'] ?? false),
    help: v.help ?? false,
    args,
    thresholdPct,
    thresholdFor: (v['threshold-for'] ?? []).map((spec) => {
      const eq = spec.lastIndexOf('=');
      const pct = Number(spec.slice(eq + 1).replace(/%$/, ''));
      if (eq <= 0 || !(pct > 0 && pct < 1000))
        throw new ArgumentError(`--threshold-for: '${spec}' is not GLOB=PERCENT`);
      return { pattern: globToRegExp(spec.slice(0, eq)), threshold: pct / 100 };
    }),
    baseline: v.baseline,
    current: v.current,
    accuracyOnly: v['accuracy-only'] ?? false,
    allowMissing: v['allow-missing'] ?? false,
    injectSlowdown: v['inject-slowdown'] === undefined ? undefined : percent('--inject-slowdown', v['inject-slowdown']),
    to: v.to,
    format,
    repeats: v.repeats === undefined ? 1 : intList('--repeats', v.repeats, 1, 100)[0],
    browser: v.browser ?? false,
    browserTimeoutS:
      v['browser-timeout'] === undefined ? 600 : intList('--browser-timeout', v['browser-timeout'], 1, 86_400)[0],
    interleave: v.interleave,
  };
}

/** The options a help request carries: nothing else is read. */
const HELP_ONLY: CliOptions = {
  command: 'help',
  json: false,
  mode: 'standard',
  resultsDir: 'results',
  save: false,
  peaks: false,
  help: true,
  args: [],
  thresholdPct: 10,
  thresholdFor: [],
  accuracyOnly: false,
  allowMissing: false,
  repeats: 1,
  browser: false,
  browserTimeoutS: 600,
};
