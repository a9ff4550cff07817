/**
 * What every command of the CLI shares: its streams and stop switch, the backends it opens (once per
 * WASM thread count), which of them are timed, the git state and the machine's core count.
 */
import { BackendUnavailableError, type Backend } from '@lowrank/core';
import { openBackends, type BackendName, type BackendStatus, type Progress } from '@lowrank/harness';
import { fileURLToPath } from 'node:url';
import type { CliOptions } from './args.ts';

export interface CliIO {
  stdout: { write(s: string): unknown; isTTY?: boolean };
  stderr: { write(s: string): unknown; isTTY?: boolean };
  /** Resolves with the signal's name on the first SIGINT or SIGTERM (tests pass a resolved promise). */
  interrupted?: Promise<'SIGINT' | 'SIGTERM' | void>;
}

/**
 * A command's stop switch: the first SIGINT or SIGTERM aborts `signal` (its reason is the signal's name) and
 * calls `onStop`; `exitCode()` is then 130 or 143, as the shell reports a process that signal ended.
 */
export function stopSwitch(
  io: CliIO,
  onStop?: (name: 'SIGINT' | 'SIGTERM') => void,
): { signal: AbortSignal; exitCode(): 130 | 143 } {
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
export async function open(
  names: readonly BackendName[],
  threads: readonly number[],
  openWith: typeof openBackends = openBackends,
  required = false,
) {
  const backends: Backend[] = [];
  const status: BackendStatus[] = [];
  try {
    for (const name of names) {
      for (const t of name === 'wasm' ? threads : [1]) {
        const r = await openWith([name], { threads: t });
        backends.push(...r.backends);
        status.push(...r.status);
        const down = r.status.find((s) => !s.available);
        if (required && down !== undefined)
          throw new BackendUnavailableError(
            `--backend ${name}: ${(down.reason ?? 'unavailable').replace(`${name}: `, '')}`,
          );
      }
    }
  } catch (e) {
    await Promise.all(backends.map((b) => b.close()));
    throw e;
  }
  return { backends, status };
}

/** Software adapters (lavapipe, SwiftShader) are for correctness: not timed unless asked for by name. */
export function timedBackends(o: CliOptions, backends: readonly Backend[], progress: Progress): Backend[] {
  if (o.backends !== undefined) return [...backends];
  const software = backends.filter((b) => b.info.details.software === true);
  for (const b of software)
    progress.note(
      `${b.info.description}: not benchmarked by default (software adapter); pass --backend ${b.name} to time it`,
    );
  return backends.filter((b) => !software.includes(b));
}

/** The commit checked out in `cwd` (default: here), and whether tracked files differ from it. */
export async function gitInfo(cwd?: string): Promise<{ commit: string; dirty: boolean } | null> {
  try {
    const { execFileSync } = await import('node:child_process');
    const git = (args: string[]) =>
      execFileSync('git', args, { cwd, stdio: ['ignore', 'pipe', 'ignore'] })
        .toString()
        .trim();
    const commit = git(['rev-parse', 'HEAD']);
    const dirty = git(['status', '--porcelain', '--untracked-files=no']) !== '';
    return { commit, dirty };
  } catch {
    return null;
  }
}
