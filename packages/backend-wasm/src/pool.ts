import { BackendUnavailableError } from '@lowrank/core';

import type { ArgsOf, KernelExport } from './abi.ts';

/** One call of a kernel export with the arguments its ABI entry declares, run on some thread. */
export type Task = { [E in KernelExport]: { fn: E; args: ArgsOf<E> } }[KernelExport];

/** A task, checked against the ABI where it is built. */
export function task<E extends KernelExport>(fn: E, ...args: ArgsOf<E>): Task {
  return { fn, args } as Task;
}

/**
 * How long (ms) a Node worker, after replying, waits for its next batch on its own thread, and the caller for the
 * replies, polling with `receiveMessageOnPort` instead of sleeping in the event loop. A thread woken from sleep
 * took 0.1–0.3 ms per round here (EPYC, 2 cores); polling took a round trip after a 0.5 ms gap from 98 to 23 µs,
 * which the factorizations' one round per panel and syev's rounds pay many times. Past the budget both sleep.
 * The worker polls only when the batch says more rounds follow (`more`): after a kernel's last round its spin
 * would only take a core from whatever runs next (a second test process, say).
 */
const POLL_MS = 1;

/**
 * The worker's whole program, as source text so it needs no file of its own: it instantiates the
 * kernel module over the shared memory it is sent, then runs batches of tasks and replies. Written
 * to run unchanged as a Node `worker_threads` eval worker (CommonJS) or a Deno/browser web Worker;
 * under Node every message goes over a MessageChannel whose port the worker gets as its workerData,
 * so that both ends can poll it (POLL_MS).
 */
const WORKER_SOURCE = `
const wt = typeof require === 'function' ? require('node:worker_threads') : null;
const port = wt ? wt.workerData.port : self;
const listen = (f) => wt ? port.on('message', f) : (self.onmessage = (e) => f(e.data));
let kernels = null, memory = null;
function serve(msg) {
  for (;;) {
    try {
      for (const t of msg.tasks) kernels[t.fn](...t.args);
      for (let c = msg.claim, i; c && (i = Atomics.add(new Int32Array(memory.buffer), c.counter >> 2, 1)) < c.tasks.length; )
        kernels[c.tasks[i].fn](...c.tasks[i].args);
      port.postMessage({ type: 'done', id: msg.id });
    } catch (e) {
      port.postMessage({ type: 'error', id: msg.id, message: String((e && e.message) || e) });
    }
    if (!wt || !msg.more) return;
    const until = performance.now() + ${POLL_MS};
    let next;
    while (!(next = wt.receiveMessageOnPort(port)) && performance.now() < until);
    if (!next) return;
    msg = next.message;
  }
}
listen(async (msg) => {
  if (msg.type === 'init') {
    const instance = await WebAssembly.instantiate(msg.module, { env: { memory: msg.memory } });
    kernels = instance.exports;
    memory = msg.memory;
    port.postMessage({ type: 'ready' });
    return;
  }
  serve(msg);
});
`;

type Reply = { type: string; id?: number; message?: string };

interface WorkerLike {
  post(msg: unknown): void;
  onMessage(f: (msg: Reply) => void): void;
  /** A reply already waiting, taken without the event loop (Node only). */
  poll?(): Reply | undefined;
  ref(): void;
  unref(): void;
  terminate(): Promise<unknown> | void;
}

declare const Deno: unknown;

async function spawn(): Promise<WorkerLike> {
  const g = globalThis as {
    Worker?: new (url: string, o: object) => Worker;
    process?: { versions?: { node?: string } };
  };
  if (typeof Deno === 'undefined' && g.process?.versions?.node !== undefined) {
    const { MessageChannel, Worker, receiveMessageOnPort } = await import('node:worker_threads');
    const { port1, port2 } = new MessageChannel();
    const w = new Worker(WORKER_SOURCE, { eval: true, workerData: { port: port2 }, transferList: [port2] });
    return {
      post: (m) => port1.postMessage(m),
      onMessage: (f) => port1.on('message', f),
      poll: () => receiveMessageOnPort(port1)?.message as Reply | undefined,
      ref: () => {
        w.ref();
        port1.ref();
      },
      unref: () => {
        w.unref();
        port1.unref();
      },
      terminate: () => w.terminate(),
    };
  }
  if (g.Worker === undefined) throw new BackendUnavailableError('wasm: no Worker implementation in this runtime');
  const url = URL.createObjectURL(new Blob([WORKER_SOURCE], { type: 'text/javascript' }));
  const w = new g.Worker(url, { type: 'module' });
  return {
    post: (m) => w.postMessage(m),
    onMessage: (f) => {
      w.onmessage = (e: MessageEvent) => f(e.data);
    },
    ref: () => {},
    unref: () => {},
    terminate: () => w.terminate(),
  };
}

/**
 * Tasks the threads claim one at a time, after their own lists, from a shared counter (an i32 in the module's memory
 * at `counter`, zero at the start): the first claim takes task 0, the next task 1, and so on, so a thread slowed by
 * the host takes fewer of them. `tasks[t]` is thread t's version of the list (task i the same work on each thread,
 * with that thread's scratch).
 */
export interface Claimed {
  counter: number;
  tasks: Task[][];
}

/**
 * The calling thread plus `threads − 1` workers over one shared memory. `run` gives task list i to
 * worker i−1 and runs list 0 on the calling thread, then waits for all: the caller works too, so
 * two threads cost one worker. Workers are unref'd while idle so they never keep a process alive.
 */
export class ThreadPool {
  readonly #workers: WorkerLike[];
  readonly #memory: WebAssembly.Memory;
  readonly #pending = new Map<number, { resolve: () => void; reject: (e: Error) => void }>();
  #nextId = 0;

  private constructor(workers: WorkerLike[], memory: WebAssembly.Memory) {
    this.#workers = workers;
    this.#memory = memory;
    for (const w of workers) {
      w.onMessage((msg) => this.#settle(msg));
      w.unref();
    }
  }

  #settle(msg: Reply): void {
    if (msg.id === undefined) return;
    const p = this.#pending.get(msg.id);
    this.#pending.delete(msg.id);
    if (msg.type === 'error') p?.reject(new Error(`wasm worker: ${msg.message}`));
    else p?.resolve();
  }

  static async create(threads: number, module: WebAssembly.Module, memory: WebAssembly.Memory): Promise<ThreadPool> {
    const workers = await Promise.all(Array.from({ length: threads - 1 }, spawn));
    await Promise.all(
      workers.map(
        (w) =>
          new Promise<void>((resolve) => {
            w.onMessage((msg) => {
              if (msg.type === 'ready') resolve();
            });
            w.post({ type: 'init', module, memory });
          }),
      ),
    );
    return new ThreadPool(workers, memory);
  }

  get threads(): number {
    return this.#workers.length + 1;
  }

  /**
   * Runs `lists[0]` here and `lists[i]` on worker i−1, then the `claimed` tasks on every thread; resolves when all
   * have finished. `more`: another round of the same kernel follows at once, so the workers poll for it (POLL_MS).
   */
  async run(lists: Task[][], local: (tasks: Task[]) => void, more = false, claimed?: Claimed): Promise<void> {
    const ids: number[] = [];
    const threads = Math.max(lists.length, claimed?.tasks.length ?? 0);
    if (threads > this.threads) throw new Error(`wasm pool: ${threads} task lists for ${this.threads} threads`);
    if (claimed !== undefined) Atomics.store(new Int32Array(this.#memory.buffer), claimed.counter >> 2, 0);
    const remote = Array.from({ length: threads - 1 }, (_, i) => {
      const tasks = lists[i + 1] ?? [];
      const claim = claimed === undefined ? undefined : { counter: claimed.counter, tasks: claimed.tasks[i + 1] ?? [] };
      const w = this.#workers[i];
      const id = this.#nextId++;
      ids.push(id);
      w.ref();
      return new Promise<void>((resolve, reject) => {
        this.#pending.set(id, { resolve, reject });
        w.post({ type: 'run', id, tasks, more, claim });
      }).finally(() => w.unref());
    });
    let localError: unknown;
    try {
      if (lists.length > 0) local(lists[0]);
      const mine = claimed?.tasks[0] ?? [];
      for (let i; claimed !== undefined && (i = this.#claim(claimed.counter)) < mine.length;) local([mine[i]]);
    } catch (e) {
      localError = e;
    }
    // Node: take the replies as they come for up to POLL_MS, rather than sleep until the event loop brings them.
    const busy = this.#workers.slice(0, ids.length);
    const pollable = busy.every((w) => w.poll !== undefined);
    const until = performance.now() + POLL_MS;
    while (pollable && ids.some((id) => this.#pending.has(id)) && performance.now() < until)
      for (const w of busy) {
        const msg = w.poll?.();
        if (msg !== undefined) this.#settle(msg);
      }
    await Promise.all(remote);
    if (localError !== undefined) throw localError;
  }

  /** The next claimed task's index. */
  #claim(counter: number): number {
    return Atomics.add(new Int32Array(this.#memory.buffer), counter >> 2, 1);
  }

  async close(): Promise<void> {
    await Promise.all(this.#workers.map((w) => w.terminate()));
  }
}
