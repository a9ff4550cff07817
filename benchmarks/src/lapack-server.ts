/**
 * A running scripts/anchors/lapack.py: LAPACK (numpy/scipy over OpenBLAS) timing its cases on request, so
 * its slices can be interleaved with ours in one run. One server per OpenBLAS kernel and thread count:
 * `coretype` sets OPENBLAS_CORETYPE (undefined: the kernel OpenBLAS picks for this CPU; 'Prescott': its
 * generic 128-bit one), `threads` OPENBLAS_NUM_THREADS (default 1; the scripts take it only where they say so).
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createInterface, type Interface } from 'node:readline';

export class LapackServer {
  private constructor(
    private readonly child: ChildProcessWithoutNullStreams,
    private readonly lines: AsyncIterator<string>,
    private readonly rl: Interface,
    /** The kernel OpenBLAS reports (openblas_get_corename), e.g. 'Cooperlake', 'Prescott'. */
    readonly kernel: string,
    /** The threads OpenBLAS reports it runs on (openblas_get_num_threads). */
    readonly threads: number,
  ) {}

  /** `LAPACK Zen`, or `LAPACK Zen 2t` on more than one thread: the anchor's name in tables. */
  get label(): string {
    return `${this.kernel}${this.threads > 1 ? ` ${this.threads}t` : ''}`;
  }

  static async start(
    python: string,
    script: string,
    o: { coretype?: string; threads?: number; args?: string[] } = {},
  ): Promise<LapackServer> {
    const env: NodeJS.ProcessEnv = { ...process.env, OPENBLAS_NUM_THREADS: String(o.threads ?? 1) };
    // OpenBLAS's idle threads spin 2²⁸ cycles after a BLAS call before they sleep: a two-thread scipy
    // used 97–99 ms of CPU in the 0.3 s after its last LU here, a core taken from the slice timed next.
    // 2²² cycles (about 1.5 ms) is our pool's policy (POLL_MS: a worker polls 1 ms between a kernel's
    // rounds). Not less: LAPACK makes many small BLAS calls, and with 2⁴ every one woke the threads from
    // sleep (two threads then took 1.8× one thread's time for the 512² SVD, 1.5× for eigh).
    if ((o.threads ?? 1) > 1) env.OPENBLAS_THREAD_TIMEOUT = '22';
    if (o.coretype === undefined) delete env.OPENBLAS_CORETYPE;
    else env.OPENBLAS_CORETYPE = o.coretype;
    // -B: no __pycache__ beside the scripts (they import a shared helper).
    const child = spawn(python, ['-B', script, ...(o.args ?? [])], { env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const failed = new Promise<never>((_, reject) => {
      child.on('error', (e) => reject(new Error(`LAPACK anchor: cannot start ${python}: ${e.message}`)));
      child.on('exit', (code) => {
        const missing = /No module named '(numpy|scipy)/.test(stderr)
          ? ` — the anchors need numpy and scipy: apt-get install python3-numpy python3-scipy, or --python PATH to a python that has them`
          : '';
        reject(new Error(`LAPACK anchor exited (${code}): ${stderr.trim().slice(-400)}${missing}`));
      });
    });
    const rl = createInterface({ input: child.stdout });
    const lines = rl[Symbol.asyncIterator]();
    const first = await Promise.race([lines.next(), failed]);
    // Output closed before the greeting: the server is exiting, and its exit says why.
    if (first.done === true) await failed;
    const hello = JSON.parse(first.value as string) as { kernel: string; threads?: number };
    failed.catch(() => undefined);
    return new LapackServer(child, lines, rl, hello.kernel, hello.threads ?? 1);
  }

  /**
   * The servers of `script` an anchor table compares with: OpenBLAS's kernel for this CPU, then its 128-bit
   * one (Prescott), each on one thread, and with `threads` > 1 the machine's kernel on that many. If one
   * fails to start, those started are closed and the error passed on.
   */
  static async startKernels(
    python: string,
    script: string,
    o: { args?: string[]; threads?: number } = {},
  ): Promise<LapackServer[]> {
    const configs: Array<{ coretype?: string; threads?: number }> = [{}, { coretype: 'Prescott' }];
    if ((o.threads ?? 1) > 1) configs.push({ threads: o.threads });
    const servers: LapackServer[] = [];
    try {
      for (const c of configs) servers.push(await LapackServer.start(python, script, { ...c, args: o.args }));
    } catch (e) {
      for (const s of servers) s.close();
      throw e;
    }
    return servers;
  }

  /** `reps` timed calls of `name`, in ms. */
  async time(name: string, reps: number): Promise<number[]> {
    this.child.stdin.write(`${JSON.stringify({ case: name, reps })}\n`);
    const next = await this.lines.next();
    if (next.done === true) throw new Error('LAPACK anchor: the server closed its output');
    const reply = JSON.parse(next.value) as { ms?: number[]; error?: string };
    if (reply.error !== undefined || reply.ms === undefined) throw new Error(`LAPACK anchor: ${reply.error}`);
    return reply.ms;
  }

  close(): void {
    this.rl.close();
    this.child.stdin.end();
  }
}
