import { ArgumentError, isDType, type DType } from '@lowrank/core';
import { parseBackendNames, type BackendName } from '@lowrank/harness';
import { parseArgs } from 'node:util';
import { FAMILIES } from './cases.ts';

export const COMMANDS = ['info', 'verify', 'bench', 'run', 'help'] as const;
export type Command = (typeof COMMANDS)[number];

export interface CliOptions {
  command: Command;
  json: boolean;
  backends?: BackendName[];
  dtypes?: DType[];
  families?: string[];
  golden?: string;
  filter?: string;
  sizes?: number[];
  threads?: number[];
  timeMs?: number;
  out?: string;
  resultsDir: string;
  save: boolean;
  help: boolean;
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
        golden: { type: 'string' },
        filter: { type: 'string' },
        sizes: { type: 'string' },
        threads: { type: 'string' },
        time: { type: 'string' },
        out: { type: 'string' },
        'results-dir': { type: 'string' },
        'no-save': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (e) {
    throw new ArgumentError((e as Error).message.replace(/\. To specify a positional argument.*$/s, ''));
  }
  const { values: v, positionals } = parsed;
  if (positionals.length > 1) throw new ArgumentError(`unexpected argument '${positionals[1]}'`);
  const command = (positionals[0] ?? 'help') as Command;
  if (!(COMMANDS as readonly string[]).includes(command)) {
    throw new ArgumentError(`unknown command '${command}' (commands: ${COMMANDS.join(', ')})`);
  }
  const dtypes = v.dtype?.split(',').map((s) => s.trim());
  for (const d of dtypes ?? []) if (!isDType(d)) throw new ArgumentError(`--dtype: '${d}' is not f16, f32 or f64`);
  const families = v.family?.split(',').map((s) => s.trim());
  for (const f of families ?? []) if (!FAMILIES.includes(f)) throw new ArgumentError(`--family: unknown family '${f}' (known: ${FAMILIES.join(', ')})`);
  return {
    command,
    json: v.json ?? false,
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
  };
}

export const HELP = `lowrank — verification harness and microbenchmarks for low-rank algorithms

Usage: lowrank <command> [options]

Commands:
  info      Backends available here, WASM features, thread count and the machine key.
  verify    Check every case on every backend against the goldens (LAPACK via numpy/scipy).
            Exit 1 if any check fails or errors.
  bench     Time every case × size × backend × dtype × threads with tinybench.
  run       verify, then bench, into one results file (the main job).
  help      This text.

Options:
  --backend LIST     Backends, comma-separated: ref, wasm, webgpu (default: verify ref,wasm,webgpu;
                     bench wasm,webgpu). A backend that cannot start here is reported and skipped.
  --dtype LIST       f16,f32,f64 (default: every dtype a case declares; f16 runs where a GPU
                     adapter has shader-f16).
  --family LIST      Only these families' cases (e.g. primitives).
  --golden DIR       Golden root to verify against (default: the repository's golden/).
  --filter GLOB      bench: only benchmarks whose 'case-id params' match, e.g. 'primitives/gemm*'.
  --sizes LIST       bench: problem sizes replacing each case's defaults, e.g. 256,1024.
  --threads LIST     WASM thread counts to run, e.g. 1,2 (default for bench: 1 and all cores).
  --time MS          bench: sampling time per benchmark after warm-up (default 500).
  --out FILE         Write the results file here instead of results/<machine-key>/.
  --results-dir DIR  Root of the per-machine results store (default: ./results).
  --no-save          Do not write a results file.
  --json             Machine-readable output on stdout (the results file, or info), no progress.
  -h, --help         This text.

Speed: Node 20 validates relaxed SIMD only with --experimental-wasm-relaxed-simd ('npm run suite'
passes it); without it the plain SIMD build runs and 'info' says so.
Exit codes: 0 ok, 1 a verification failed, 2 bad arguments or unreadable input, 130 interrupted.
`;
