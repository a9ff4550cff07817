/**
 * Progress for long runs: a single updating line on a terminal (done/total, current item, elapsed),
 * one plain line per item when output is not a TTY (CI logs), nothing in --json mode.
 */
export interface Progress {
  start(total: number, what: string): void;
  item(label: string): void;
  /** A line that should stay in the log (a failure, an unavailable backend). */
  note(line: string): void;
  finish(): void;
}

export interface ProgressStream {
  isTTY?: boolean;
  write(s: string): unknown;
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)}s`;
}

export function createProgress(stream: ProgressStream, mode: 'auto' | 'plain' | 'silent' = 'auto'): Progress {
  if (mode === 'silent') return { start() {}, item() {}, note() {}, finish() {} };
  const tty = mode === 'auto' && stream.isTTY === true;
  let total = 0, done = 0, t0 = 0, what = '', current = '';
  const line = () => `[${done}/${total}] ${what} ${current} (${seconds(performance.now() - t0)})`;
  return {
    start(n, w) {
      total = n; done = 0; what = w; t0 = performance.now();
    },
    item(label) {
      done++;
      current = label;
      if (tty) stream.write(`\r\x1b[2K${line()}`);
      else stream.write(`${line()}\n`);
    },
    note(text) {
      stream.write(tty ? `\r\x1b[2K${text}\n` : `${text}\n`);
    },
    finish() {
      if (tty) stream.write(`\r\x1b[2K${what}: ${total} done in ${seconds(performance.now() - t0)}\n`);
    },
  };
}
