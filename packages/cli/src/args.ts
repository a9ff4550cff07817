import { ArgumentError, isDType, type DType } from '@lowrank/core';
import { globToRegExp, parseBackendNames, type BackendName } from '@lowrank/harness';
import { parseArgs } from 'node:util';
import { FAMILIES, PAPERS } from './cases.ts';

export const COMMANDS = ['info', 'verify', 'bench', 'run', 'claims', 'compare', 'gate', 'baseline', 'export', 'report', 'help'] as const;
export const EXPORT_FORMATS = ['md', 'csv', 'bmf'] as const;
export type Command = (typeof COMMANDS)[number];

export interface CliOptions {
  command: Command;
  json: boolean;
  backends?: BackendName[];
  dtypes?: DType[];
  families?: string[];
  /** claims: only these papers' claims (catalogue ids, e.g. S27). */
  papers?: string[];
  /** claims (and run): the reduced experiments `npm test` uses instead of the full ones. */
  reduced: boolean;
  golden?: string;
  filter?: string;
  sizes?: number[];
  threads?: number[];
  timeMs?: number;
  out?: string;
  resultsDir: string;
  save: boolean;
  help: boolean;
  /** compare: the runs to compare; baseline: ['accept', RUN]. */
  args: string[];
  thresholdPct: number;
  /** --threshold-for 'GLOB=PCT', repeatable. */
  thresholdFor: Array<{ pattern: RegExp; threshold: number }>;
  baseline?: string;
  current?: string;
  accuracyOnly: boolean;
  to?: string;
  /** export: default md; report: absent means HTML. */
  format?: (typeof EXPORT_FORMATS)[number];
  repeats: number;
  browser: boolean;
  /** bench: another built checkout of lowrank-bench to time against this one, interleaved in one process. */
  interleave?: string;
}

function intList(flag: string, v: string, min: number, max: number): number[] {
  const parts = v.split(',').map((s) => s.trim());
  return parts.map((s) => {
    const n = Number(s);
    if (s === '' || !Number.isInteger(n) || n < min || n > max) throw new ArgumentError(`${flag}: '${s}' is not an integer in [${min}, ${max}]`);
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
        reduced: { type: 'boolean' },
        golden: { type: 'string' },
        filter: { type: 'string' },
        sizes: { type: 'string' },
        threads: { type: 'string' },
        time: { type: 'string' },
        out: { type: 'string' },
        'results-dir': { type: 'string' },
        'no-save': { type: 'boolean' },
        threshold: { type: 'string' },
        'threshold-for': { type: 'string', multiple: true },
        baseline: { type: 'string' },
        current: { type: 'string' },
        'accuracy-only': { type: 'boolean' },
        to: { type: 'string' },
        format: { type: 'string' },
        repeats: { type: 'string' },
        browser: { type: 'boolean' },
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
  if (v.browser === true && command !== 'run') throw new ArgumentError('--browser applies to run only');
  if (v.interleave !== undefined && command !== 'bench') throw new ArgumentError('--interleave applies to bench only');
  if (v.interleave !== undefined && v.repeats !== undefined) throw new ArgumentError('--interleave and --repeats do not combine: an interleaved run already pairs the two builds in one process');
  if (command === 'compare' && args.length < 2) throw new ArgumentError('compare needs at least two results (files, folders or machine keys): BASE CURRENT');
  if (command === 'baseline' && (args[0] !== 'accept' || args.length !== 2)) throw new ArgumentError("baseline: usage is 'lowrank baseline accept RUN [--to FILE]'");
  if (command === 'gate' && v.baseline === undefined) throw new ArgumentError('gate needs --baseline FILE|DIR');
  if (!['compare', 'baseline', 'export', 'report'].includes(command) && args.length > 0) throw new ArgumentError(`unexpected argument '${args[0]}'`);
  const format = v.format as CliOptions['format'];
  if (format !== undefined && !(EXPORT_FORMATS as readonly string[]).includes(format)) throw new ArgumentError(`--format: '${v.format}' is not one of ${EXPORT_FORMATS.join(', ')}`);
  const thresholdPct = v.threshold === undefined ? 10 : Number(v.threshold.replace(/%$/, ''));
  if (!(thresholdPct > 0 && thresholdPct < 1000)) throw new ArgumentError(`--threshold: '${v.threshold}' is not a percentage in (0, 1000)`);
  const dtypes = v.dtype?.split(',').map((s) => s.trim());
  for (const d of dtypes ?? []) if (!isDType(d)) throw new ArgumentError(`--dtype: '${d}' is not f16, f32 or f64`);
  const families = v.family?.split(',').map((s) => s.trim());
  for (const f of families ?? []) if (!FAMILIES.includes(f)) throw new ArgumentError(`--family: unknown family '${f}' (known: ${FAMILIES.join(', ')})`);
  const papers = v.paper?.split(',').map((x) => x.trim().toUpperCase());
  for (const p of papers ?? []) if (!PAPERS.includes(p)) throw new ArgumentError(`--paper: no claims for '${p}' (papers with claims: ${PAPERS.join(', ')})`);
  if ((papers !== undefined || v.reduced === true) && command !== 'claims' && command !== 'run') throw new ArgumentError(`${papers !== undefined ? '--paper' : '--reduced'} applies to claims and run only`);
  return {
    command,
    json: v.json ?? false,
    papers,
    reduced: v.reduced ?? false,
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
    help: v.help ?? false,
    args,
    thresholdPct,
    thresholdFor: (v['threshold-for'] ?? []).map((spec) => {
      const eq = spec.lastIndexOf('=');
      const pct = Number(spec.slice(eq + 1).replace(/%$/, ''));
      if (eq <= 0 || !(pct > 0 && pct < 1000)) throw new ArgumentError(`--threshold-for: '${spec}' is not GLOB=PERCENT`);
      return { pattern: globToRegExp(spec.slice(0, eq)), threshold: pct / 100 };
    }),
    baseline: v.baseline,
    current: v.current,
    accuracyOnly: v['accuracy-only'] ?? false,
    to: v.to,
    format,
    repeats: v.repeats === undefined ? 1 : intList('--repeats', v.repeats, 1, 100)[0],
    browser: v.browser ?? false,
    interleave: v.interleave,
  };
}

export const HELP = `lowrank — verification harness and microbenchmarks for low-rank algorithms

Usage: lowrank <command> [options]

Commands:
  info      Backends available here, WASM features, thread count and the machine key.
  verify    Check every case on every backend against the goldens (LAPACK via numpy/scipy).
            Exit 1 if any check fails or errors.
  bench     Time every case × size × backend × dtype × threads with tinybench.
  bench --interleave DIR
            Interleaved A/B: DIR is another built checkout of lowrank-bench (the base, e.g. a git
            worktree of main after npm ci && npm run build); both builds run in this one process,
            timed in alternating slices (ABBA), so load and clock drift hit both alike. Writes
            base.json and current.json (to --out DIR, default <results-dir>/interleaved/<time>-<id>/)
            and prints the comparison; gate them with --baseline base.json --current current.json.
  run       verify, then bench, then the papers' claims, into one results file (the main job).
  claims [--paper S27,S41] [--family F] [--reduced]
            Run the papers' claims as falsifiable checks: per claim the paper's numbers, the measured
            ones, reproduced or not reproduced (a legitimate result, with the numbers), the seeds
            and the time. Default backend wasm in f64 where the claim declares it. --reduced runs
            the smaller experiments of npm test. Exit 1 only when a claim errors.
  compare BASE CURRENT...
            Ratio of medians per benchmark (current / base) with a bootstrap confidence interval,
            a Mann–Whitney test and a verdict (faster, slower, no change, inconclusive), plus
            accuracy beside speed. Each argument is a results file, a folder or a machine key,
            optionally @BACKEND[:THREADS] to compare backends within runs (run.json@wasm:1 run.json@webgpu);
            several runs per side compare their per-run medians (independent processes). The papers'
            claims of both sides are listed with their status, changes marked. --json: {benchmarks, claims}.
  gate --baseline FILE|DIR [--current FILE|DIR] [--threshold 10%] [--accuracy-only]
            Exit 1 when a benchmark is slower beyond the threshold with confidence, or when a
            verification fails (or passed in the baseline and fails now). Timings are normalized
            by each run's calibration kernel (an interleaved pair needs none). --current defaults
            to this machine's results.
  baseline accept RUN [--to FILE]
            Record RUN (a results file) as this machine's baseline (baselines/<machine-key>.json):
            the baseline moves only by this explicit step.
  export [RESULTS...] [--format md|csv|bmf] [--out FILE]
            Results as Markdown (tables and the backend speedup matrix, for a pull-request comment),
            CSV (one row per benchmark) or Bencher Metric Format JSON. Default: every run in --results-dir.
  report [RESULTS...] [--out DIR] [--format md|csv|bmf]
            A static HTML report (opens from disk): speed against size, roofline, backend speedup
            matrix, accuracy heat map, history with changes marked, machines side by side.
            Default: every run in --results-dir, into ./report. With --format, the same as export.
  help      This text.

Options:
  --backend LIST     Backends, comma-separated: ref, wasm, webgpu (default: verify ref,wasm,webgpu;
                     bench wasm,webgpu). A backend that cannot start here is reported and skipped.
  --dtype LIST       f16,f32,f64 (default: every dtype a case declares; f16 runs where a GPU
                     adapter has shader-f16).
  --family LIST      Only these families' cases and claims (e.g. primitives).
  --paper LIST       claims: only these papers (catalogue ids, e.g. S27,S41).
  --reduced          claims/run: the reduced experiments (fewer seeds, smaller sizes).
  --golden DIR       Golden root to verify against (default: the repository's golden/).
  --filter GLOB      bench: only benchmarks whose 'case-id params' match, e.g. 'primitives/gemm*'.
  --sizes LIST       bench: problem sizes replacing each case's defaults, e.g. 256,1024.
  --threads LIST     WASM thread counts to run, e.g. 1,2 (default for bench: 1 and all cores).
  --time MS          bench: sampling time per benchmark after warm-up (default 500).
  --repeats N        bench/run: N runs, each in a fresh process (independent trials for compare
                     and gate, which then compare per-run medians); one results file each.
  --out FILE         Write the results file here instead of results/<machine-key>/ (with
                     --interleave: the folder for base.json and current.json).
  --results-dir DIR  Root of the per-machine results store (default: ./results).
  --browser          run: run the suite in Debian's headless Chromium (WASM, and WebGPU through
                     SwiftShader), served from localhost; results go to the same store.
  --no-save          Do not write a results file.
  --threshold PCT    compare/gate: the smallest change that counts (default 10%).
  --threshold-for GLOB=PCT
                     compare/gate: a threshold for the benchmarks whose key matches GLOB
                     (repeatable; first match wins), e.g. 'primitives/random*=25%'.
  --json             Machine-readable output on stdout (the results file, or info), no progress.
  -h, --help         This text.

Speed: Node 20 validates relaxed SIMD only with --experimental-wasm-relaxed-simd ('npm run suite'
passes it); without it the plain SIMD build runs and 'info' says so.
Exit codes: 0 ok, 1 a verification failed or the gate found a regression, 2 bad arguments or
unreadable input, 130 interrupted.
`;
