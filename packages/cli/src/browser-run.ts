/**
 * `lowrank run --browser`: serves the repository root on 127.0.0.1 (cross-origin isolated, so WASM
 * threads work), opens the suite page in Debian's headless Chromium through playwright-core (no
 * browser download; --enable-unsafe-webgpu lets it offer SwiftShader's WebGPU adapter), and takes the
 * results file the page posts back: validated, then filed in the results store like any other run.
 */
import { BackendUnavailableError, InterruptedError, ResultsError } from '@lowrank/core';
import { ResultsFile } from '@lowrank/harness';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { extname, join, posix } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const TYPES: Record<string, string> = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.bin': 'application/octet-stream',
};
export const CHROMIUM = '/usr/bin/chromium';

export interface BrowserRunOptions {
  query: string;
  timeoutMs?: number;
  onLog?: (line: string) => void;
  /** Aborted (by SIGINT or SIGTERM): the page is closed and InterruptedError thrown (its results live in the page). */
  signal?: AbortSignal;
}

/** What the page needs, and nothing else: its own files, the bundle (with the WASM kernels) and the goldens. */
const SERVED = ['/packages/cli/browser/', '/packages/cli/build/', '/golden/'];
/** The largest results body accepted (a full run is a few MB). */
const MAX_BODY = 64 * 2 ** 20;

export interface SuiteServer {
  port: number;
  posted: Promise<unknown>;
  close(): void;
}

/**
 * The page's server on 127.0.0.1, trusting no request: the Host header must be this server's (no DNS
 * rebinding), files are served only under SERVED (no dotfiles, no results/, no node_modules), a URL
 * that does not decode is 400, and results are taken only from a POST of application/json carrying
 * this run's secret token (x-lowrank-token), which only the page that was given it can send.
 */
export async function startSuiteServer(token: string): Promise<SuiteServer> {
  let deliver: (body: unknown) => void = () => {};
  const posted = new Promise<unknown>((resolve) => {
    deliver = resolve;
  });
  let host = '';
  const server = createServer(async (req, res) => {
    const headers = {
      'Cross-Origin-Opener-Policy': 'same-origin',
      'Cross-Origin-Embedder-Policy': 'require-corp',
      'Cache-Control': 'no-store',
    };
    const refuse = (code: number) => {
      res.writeHead(code, headers).end();
    };
    if (req.headers.host !== host) return refuse(403);
    let pathname: string;
    try {
      pathname = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    } catch {
      return refuse(400);
    }
    if (pathname === '/results') {
      if (req.method !== 'POST' || req.headers['x-lowrank-token'] !== token) return refuse(403);
      if (!/^application\/json\b/.test(req.headers['content-type'] ?? '')) return refuse(415);
      const chunks: Buffer[] = [];
      let size = 0;
      for await (const c of req) {
        size += (c as Buffer).length;
        if (size > MAX_BODY) return refuse(413);
        chunks.push(c as Buffer);
      }
      refuse(204);
      try {
        deliver(JSON.parse(Buffer.concat(chunks).toString('utf8')));
      } catch (e) {
        deliver({ error: `unreadable results: ${(e as Error).message}` });
      }
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') return refuse(405);
    const path = pathname === '/' ? '/packages/cli/browser/index.html' : posix.normalize(pathname);
    if (!SERVED.some((p) => path.startsWith(p)) || path.split('/').some((seg) => seg.startsWith('.')))
      return refuse(404);
    try {
      const body = await readFile(join(ROOT, path));
      res
        .writeHead(200, { ...headers, 'Content-Type': TYPES[extname(path)] ?? 'application/octet-stream' })
        .end(req.method === 'HEAD' ? undefined : body);
    } catch {
      refuse(404);
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  host = `127.0.0.1:${port}`;
  return { port, posted, close: () => server.close() };
}

export async function runInBrowser(o: BrowserRunOptions): Promise<ResultsFile> {
  if (!existsSync(CHROMIUM))
    throw new BackendUnavailableError(
      `browser runner: ${CHROMIUM} not found (npm run setup:browser installs Debian's chromium)`,
    );
  if (!existsSync(join(ROOT, 'packages/cli/build/browser-suite.js')))
    throw new BackendUnavailableError('browser runner: packages/cli/build/browser-suite.js is missing (npm run build)');
  // The stop switch covers the whole run: a signal while Chromium starts or the page loads stops it too.
  const stopped = stopPromise(o.signal);
  const token = Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join('');
  const server = await startSuiteServer(token);
  const { port, posted } = server;
  let browser: Browser | undefined;
  try {
    const { chromium } = await import('playwright-core');
    o.onLog?.(`browser: starting ${CHROMIUM}`);
    const launching = chromium.launch({
      executablePath: CHROMIUM,
      // Signals are the command's to handle (playwright would exit the process on SIGINT by itself).
      handleSIGINT: false,
      handleSIGTERM: false,
      handleSIGHUP: false,
      args: [
        '--no-sandbox',
        '--enable-unsafe-webgpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    });
    // Stopped while Chromium starts: it is closed as soon as it is up, not left running.
    void stopped.catch(() => {
      if (!browser) launching.then((b) => b.close()).catch(() => {});
    });
    browser = await unlessStopped(launching, stopped);
    const page = await unlessStopped(browser.newPage(), stopped);
    page.on('console', (m) => o.onLog?.(`browser: ${m.text()}`));
    // An exception in the page (a module that fails to link, say) ends the run at once, with its message.
    const crashed = new Promise<{ error: string }>((resolve) =>
      page.on('pageerror', (e) => resolve({ error: `uncaught in the page: ${e.message}` })),
    );
    const url = `http://127.0.0.1:${port}/${o.query}${o.query.includes('?') ? '&' : '?'}token=${token}`;
    await unlessStopped(page.goto(url), stopped);
    const limitMs = o.timeoutMs ?? 600_000;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new ResultsError(`browser runner: no results within ${limitMs / 1000} s (--browser-timeout)`)),
        limitMs,
      );
    });
    const body = (await Promise.race([posted, crashed, timeout, stopped]).finally(() => clearTimeout(timer))) as {
      error?: string;
    };
    if (typeof body?.error === 'string') throw new ResultsError(`browser runner: the page failed: ${body.error}`);
    const parsed = ResultsFile.safeParse(body);
    if (!parsed.success)
      throw new ResultsError(
        `browser runner: the page sent an invalid results file: ${parsed.error.issues[0]?.message}`,
      );
    return parsed.data;
  } finally {
    await browser?.close();
    server.close();
  }
}

/** Rejects with InterruptedError once `signal` aborts (at once if it already has); never settles without one. */
function stopPromise(signal: AbortSignal | undefined): Promise<never> {
  const stopped = new Promise<never>((_, reject) => {
    const stop = () =>
      reject(
        new InterruptedError(
          `${String(signal?.reason)}: the browser run was stopped; what the page measured is lost with it`,
        ),
      );
    if (signal?.aborted) stop();
    else signal?.addEventListener('abort', stop, { once: true });
  });
  stopped.catch(() => {}); // observed by the races above; this only keeps an early stop from going unhandled
  return stopped;
}

/** `step`, unless the run is stopped first; a step that then fails (its browser closed) is not an unhandled rejection. */
function unlessStopped<T>(step: Promise<T>, stopped: Promise<never>): Promise<T> {
  step.catch(() => {});
  return Promise.race([step, stopped]);
}
