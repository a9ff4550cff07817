/**
 * Progress for long runs. On a terminal: one line redrawn in place — finished/total, the phase, the
 * current item and what it is doing now, and the elapsed time, which a timer keeps moving during a
 * long item. In CI logs (not a TTY): one line per phase when it starts and ends, and one per finished
 * item with its duration. Nothing in --json mode.
 */
export interface Progress {
  /** A new phase of `total` items. */
  start(total: number, what: string): void;
  /** The next item begins (the previous one, if any, is finished). */
  item(label: string): void;
  /** What the current item is doing now (a claim's seed), shown on the line. */
  step(text: string): void;
  /** A line that should stay in the log (a failure, an unavailable backend). */
  note(line: string): void;
  /** The phase is over (its last item is finished). */
  finish(): void;
}

export interface ProgressStream {
  isTTY?: boolean;
  write(s: string): unknown;
}

function seconds(ms: number): string {
  return ms < 60_000
    ? `${(ms / 1000).toFixed(1)} s`
    : `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
}

/** Gives timers and signal handlers a turn: a loop of awaited, already-resolved promises never does. */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

export function createProgress(stream: ProgressStream, mode: 'auto' | 'plain' | 'silent' = 'auto'): Progress {
  if (mode === 'silent') return { start() {}, item() {}, step() {}, note() {}, finish() {} };
  const tty = mode === 'auto' && stream.isTTY === true;
  let total = 0,
    done = 0,
    t0 = 0,
    tItem = 0,
    what = '',
    current: string | null = null,
    sub = '';
  let ticker: ReturnType<typeof setInterval> | undefined;
  const draw = () => {
    if (!tty) return;
    const now = performance.now();
    const item = current === null ? '' : ` ${current}${sub === '' ? '' : ` · ${sub}`} (${seconds(now - tItem)})`;
    stream.write(`\r\x1b[2K[${done}/${total}] ${what}${item} · ${seconds(now - t0)}`);
  };
  const finishItem = () => {
    if (current === null) return;
    done++;
    if (!tty) stream.write(`[${done}/${total}] ${what} ${current} ${seconds(performance.now() - tItem)}\n`);
    current = null;
  };
  const stopTicker = () => {
    if (ticker !== undefined) clearInterval(ticker);
    ticker = undefined;
  };
  return {
    start(n, w) {
      total = n;
      done = 0;
      what = w;
      current = null;
      t0 = performance.now();
      if (!tty) stream.write(`${what}: ${n} item${n === 1 ? '' : 's'}\n`);
      stopTicker();
      if (tty) {
        ticker = setInterval(draw, 1000);
        (ticker as { unref?: () => void }).unref?.();
      }
      draw();
    },
    item(label) {
      finishItem();
      current = label;
      sub = '';
      tItem = performance.now();
      draw();
    },
    step(text) {
      sub = text;
      draw();
    },
    note(text) {
      stream.write(tty ? `\r\x1b[2K${text}\n` : `${text}\n`);
      draw();
    },
    finish() {
      finishItem();
      stopTicker();
      stream.write(
        `${tty ? '\r\x1b[2K' : ''}${what}: ${done} of ${total} done in ${seconds(performance.now() - t0)}\n`,
      );
    },
  };
}
