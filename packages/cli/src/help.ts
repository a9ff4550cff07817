/**
 * The command's help: one overview (`lowrank --help`) and one page per command (`lowrank CMD --help`,
 * `lowrank help CMD`), each naming only the options that command reads. Options are described once.
 */

const OPTIONS: Record<string, string> = {
  backend: `--backend LIST     Backends, comma-separated: ref, wasm, webgpu. A backend named here that
                     cannot start is an error (exit 2) with the reason; by default an unavailable
                     one is reported and skipped.`,
  dtype: `--dtype LIST       f16,f32,f64 (default: every dtype a case declares; f16 runs where a GPU
                     adapter has shader-f16).`,
  family: "--family LIST      Only these families' cases and claims (e.g. primitives, linalg).",
  paper: "--paper LIST       Only these papers' cases and claims (ids of docs/papers.md, e.g. S27,S41).",
  case: '--case LIST        Only these cases (e.g. linalg/qr): check a partial golden root alone.',
  golden: "--golden DIR       Golden root to verify against (default: the repository's golden/).",
  filter: `--filter GLOB      Only benchmarks whose 'case-id params' match, e.g. 'primitives/gemm*' or
                     '*n=1024*'. A filter that matches nothing is an error listing the closest names.`,
  sizes: "--sizes LIST       Problem sizes replacing each case's defaults, e.g. 256,1024.",
  threads: '--threads LIST     WASM thread counts, e.g. 1,2 (default for bench: 1 and all cores).',
  time: '--time MS          Sampling time per benchmark after warm-up (default: bench 500, run 150).',
  noPeaks: `--no-peaks         Skip measuring the roof the report's roofline draws (GEMM n = 512 and AXPY on
                     2²³ elements per backend, threads and dtype: a few seconds per run).`,
  repeats: `--repeats N        N runs, each in a fresh process (independent trials for compare and gate,
                     which then compare per-run medians); one results file each.`,
  reduced: '--reduced          The small experiments npm test runs on every backend.',
  full: '--full             The full experiments (minutes each) instead of the standard ones.',
  out: '--out FILE         Write the results file here instead of results/<machine-key>/.',
  resultsDir: '--results-dir DIR  Root of the per-machine results store (default: ./results).',
  noSave: '--no-save          Do not write a results file.',
  threshold: '--threshold PCT    The smallest change that counts (default 10%).',
  thresholdFor: `--threshold-for GLOB=PCT
                     A threshold for the benchmarks whose key matches GLOB (repeatable; first match
                     wins), e.g. 'primitives/random*=25%'.`,
  accuracyOnly: '--accuracy-only    Gate on verification and claims only, not on speed.',
  allowMissing: '--allow-missing    Let what ran in the baseline be missing or unsupported now (a filtered run).',
  injectSlowdown:
    '--inject-slowdown PCT  Busy-wait PCT of each timed run inside it: a slowed build, for measuring the gate.',
  to: '--to PATH          Where to record the baseline (default: baselines/<machine-key>.json, or a folder for several runs).',
  format: '--format md|csv|bmf  Markdown (default for export), CSV or Bencher Metric Format JSON.',
  browser: "--browser          Run in Debian's headless Chromium (npm run setup:browser), served from localhost.",
  browserTimeout:
    '--browser-timeout S  With --browser: fail when the page has not finished after S seconds (default 600).',
  interleave: '--interleave DIR   Time another built checkout against this one, interleaved in one process.',
  json: '--json             Machine-readable output on stdout, and no progress.',
  help: '-h, --help         This text.',
};

interface CommandHelp {
  usage: string;
  text: string;
  options: readonly (keyof typeof OPTIONS)[];
}

const COMMON = ['json', 'help'] as const;
const STORE = ['out', 'resultsDir', 'noSave'] as const;

export const COMMAND_HELP: Record<string, CommandHelp> = {
  info: {
    usage: 'lowrank info [--backend LIST] [--json]',
    text: 'Backends available here (and why one is not), WASM features, thread count, the machine key and\nthe capability table: which primitive and dtype each backend has a kernel for.',
    options: ['backend', 'threads', ...COMMON],
  },
  verify: {
    usage: 'lowrank verify [--backend ref,wasm,webgpu] [--family F] [--dtype LIST] [--golden DIR]',
    text: 'Checks every case on every backend against the goldens (LAPACK via numpy/scipy). The table shows,\nper case × backend × dtype, the entries passed and the worst scaled ratio (an error over its\nrounding-error bound, in ε of the computing dtype) against its threshold. Exit 1 if a check fails.',
    options: ['backend', 'dtype', 'family', 'paper', 'case', 'golden', 'threads', ...STORE, ...COMMON],
  },
  bench: {
    usage:
      'lowrank bench [--backend wasm,webgpu] [--filter GLOB] [--sizes LIST] [--threads LIST] [--time MS]\n       lowrank bench --interleave DIR [...]',
    text: `Times every case × size × backend × dtype × thread count after warm-up and records median, MAD,
percentiles, GFLOP/s and GB/s from the case's cost model, and the accuracy the run achieved.
Software WebGPU adapters (lavapipe) are timed only when --backend names webgpu.
--interleave DIR: interleaved A/B against another built checkout of lowrank-bench (e.g. a git
worktree of main after npm ci && npm run build); both builds run in this one process in alternating
slices (ABBA), so load and clock drift hit both alike. Writes base.json and current.json (to --out
DIR) and prints the comparison; gate them with --baseline base.json --current current.json.`,
    options: [
      'backend',
      'dtype',
      'family',
      'paper',
      'case',
      'filter',
      'sizes',
      'threads',
      'time',
      'noPeaks',
      'repeats',
      'interleave',
      'injectSlowdown',
      ...STORE,
      ...COMMON,
    ],
  },
  run: {
    usage: 'lowrank run [--full | --reduced] [--backend LIST] [--family F] [--browser]',
    text: `The main job: verify, then bench (the suite's size set, 150 ms a benchmark), then the papers'
claims in their standard form (seconds each; --full for the full experiments), into one results
file, ending with a one-screen summary. --browser runs the same in Debian's headless Chromium.`,
    options: [
      'backend',
      'dtype',
      'family',
      'paper',
      'case',
      'full',
      'reduced',
      'golden',
      'filter',
      'sizes',
      'threads',
      'time',
      'noPeaks',
      'repeats',
      'browser',
      'browserTimeout',
      ...STORE,
      ...COMMON,
    ],
  },
  claims: {
    usage: 'lowrank claims [--paper S27,S41] [--family F] [--full | --reduced] [--backend wasm]',
    text: `Runs the papers' claims as falsifiable checks: per claim the paper's numbers, the measured ones,
each predicate with ✓/✗, reproduced or not reproduced (a result, with its numbers), the seeds and the
time. Default backend wasm, in each claim's first dtype; standard experiments unless --full or
--reduced. Exit 1 only when a claim errors.`,
    options: ['backend', 'dtype', 'family', 'paper', 'full', 'reduced', 'threads', ...STORE, ...COMMON],
  },
  compare: {
    usage: 'lowrank compare BASE CURRENT... [--threshold 10%] [--json]',
    text: `Ratio of medians per benchmark (current / base) with a hierarchical bootstrap interval (runs,
then samples within runs) and a verdict (faster, slower, no change, inconclusive), accuracy beside speed,
and the claims of both sides with changes marked. Each argument is a results file, a folder or a
machine key, optionally @BACKEND[:THREADS] to compare backends within runs
(run.json@wasm:1 run.json@webgpu). Several runs per side compare their per-run medians.`,
    options: ['threshold', 'thresholdFor', 'resultsDir', ...COMMON],
  },
  gate: {
    usage:
      'lowrank gate --baseline FILE|DIR [--current FILE|DIR] [--threshold 10%] [--accuracy-only] [--allow-missing]',
    text: `Exit 1, with one line per reason, when a benchmark is slower beyond the threshold with 99%
family-wise confidence, errors, or ran in the baseline and is missing now; when a verification fails,
or passed in the baseline and is missing or unsupported now; when a claim reproduced in the baseline is
not (or is missing) now; when the current run is incomplete or empty, or a results file is unreadable.
Each side is the newest run of the folder plus the other runs of its commit (clean tree): older runs
are never pooled in, and the output says which runs each side used. Timings are divided by each run's
calibration kernel (an interleaved pair needs none). --current defaults to this machine's results.
Measured error rates of the rule: docs/ci-gate.md.`,
    options: ['threshold', 'thresholdFor', 'accuracyOnly', 'allowMissing', 'resultsDir', ...COMMON],
  },
  baseline: {
    usage: 'lowrank baseline accept RUN|DIR [--to PATH]',
    text: `Records a baseline, the only step that moves one. RUN is a results file; DIR (or a machine key)
gives its newest run set, as the gate reads it (the newest run and the other runs of its commit). One
run becomes a file (default baselines/<machine-key>.json), several a folder (baselines/<machine-key>/).`,
    options: ['to', 'help'],
  },
  export: {
    usage: 'lowrank export [RESULTS...] [--format md|csv|bmf] [--out FILE] [--paper LIST] [--case LIST]',
    text: "Results as Markdown (tables and the backend speedup matrix, for a pull-request comment), CSV\n(one row per benchmark) or Bencher Metric Format JSON. Default: every run in --results-dir.\n--paper and --case keep those papers' or cases' records (and the papers' claims).",
    options: ['paper', 'case', 'format', 'out', 'resultsDir', 'help'],
  },
  report: {
    usage: 'lowrank report [RESULTS...] [--out DIR] [--format md|csv|bmf] [--paper LIST] [--case LIST]',
    text: "A static HTML report that opens from disk: a roofline under each backend's measured roof, speed\nagainst size, backend speedup matrix, accuracy heat map, history with changes marked, a card per\nclaim with its plot, machines side by side; pickers for machine, backend and dtype (docs/report.md).\nDefault: every run in --results-dir, into ./report. With --format, the same as export. --paper and\n--case keep those papers' or cases' records (and the papers' claims).",
    options: ['paper', 'case', 'format', 'out', 'resultsDir', 'help'],
  },
  help: {
    usage: 'lowrank help [COMMAND]',
    text: "The overview, or one command's help.",
    options: [],
  },
};

export const OVERVIEW = `lowrank — verification harness and microbenchmarks for low-rank algorithms

Usage: lowrank <command> [options]      (lowrank <command> --help, or lowrank help <command>)

Commands:
  info      Backends available here, WASM features, threads, machine key, capability table.
  verify    Check every case on every backend against the goldens (LAPACK via numpy/scipy).
  bench     Time every case × size × backend × dtype × threads; --interleave for A/B builds.
  run       The main job: verify, bench, then the papers' claims, with a one-screen summary.
  claims    The papers' claims as falsifiable checks, the paper's numbers beside ours.
  compare   Per-benchmark ratio with a confidence interval and a verdict, claims side by side.
  gate      Exit 1 on a regression beyond the threshold (for CI).
  baseline  baseline accept RUN|DIR: the only step that moves a baseline.
  export    Results as Markdown, CSV or Bencher Metric Format.
  report    A static HTML report with plots.
  help      This text, or a command's.

Exit codes: 0 ok; 1 a verification failed, a benchmark could not be timed, a claim errored or the
gate found a regression; 2 bad arguments or unreadable input (one line, no results file); 130
interrupted (what was measured is saved, marked incomplete).
`;

/** The overview, or the page of one command. */
export function helpText(command?: string): string {
  const h = command === undefined ? undefined : COMMAND_HELP[command];
  if (h === undefined) return OVERVIEW;
  const options = h.options.map((o) => `  ${OPTIONS[o]}`).join('\n');
  return `Usage: ${h.usage}\n\n${h.text}\n${options === '' ? '' : `\nOptions:\n${options}\n`}`;
}
