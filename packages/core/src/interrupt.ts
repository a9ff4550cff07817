/**
 * The interrupt point every kernel call passes (core/ops.ts `kernel`). WASM and reference kernels are
 * synchronous and their callers chain promises, which run as microtasks: a loop of them never lets the
 * event loop serve a signal handler, so Ctrl-C (SIGINT) and CI cancellation (SIGTERM) went unseen until
 * a phase ended. With a signal installed (the CLI installs one per command), a kernel call made at least
 * YIELD_MS after the last yield first yields one macrotask, then throws InterruptedError if the signal
 * has fired. Without one, nothing is checked and nothing is awaited.
 */
import { InterruptedError } from './errors.ts';

/** Longest stretch of kernel calls without serving the event loop (ms): stops land within about this. */
export const YIELD_MS = 50;

let signal: AbortSignal | undefined;
let lastYield = 0;

/** Installs (or, with undefined, removes) the signal that interrupts kernel calls. */
export function setInterruptSignal(s: AbortSignal | undefined): void {
  signal = s;
  lastYield = performance.now();
}

/** One macrotask: setImmediate in Node and Deno, a MessageChannel message in browsers (no 4 ms clamp). */
export function macrotask(): Promise<void> {
  const g = globalThis as { setImmediate?: (f: () => void) => void };
  if (g.setImmediate !== undefined) return new Promise((resolve) => g.setImmediate!(resolve));
  if (typeof MessageChannel !== 'undefined') {
    return new Promise((resolve) => {
      const ch = new MessageChannel();
      ch.port1.onmessage = () => {
        ch.port1.close();
        resolve();
      };
      ch.port2.postMessage(null);
    });
  }
  return new Promise((resolve) => setTimeout(resolve, 0));
}

/** null when the call may proceed at once; else a promise that yields and rejects once interrupted. */
export function interruptPoint(): Promise<void> | null {
  if (signal === undefined) return null;
  if (signal.aborted) return Promise.reject(new InterruptedError(String(signal.reason ?? 'interrupted')));
  const now = performance.now();
  if (now - lastYield < YIELD_MS) return null;
  lastYield = now;
  const s = signal;
  return macrotask().then(() => {
    lastYield = performance.now();
    if (s.aborted) throw new InterruptedError(String(s.reason ?? 'interrupted'));
  });
}
