/**
 * `lowrank run --browser`: serves the repository root on 127.0.0.1 (cross-origin isolated, so WASM
 * threads work), opens the suite page in Debian's headless Chromium through playwright-core (no
 * browser download; --enable-unsafe-webgpu lets it offer SwiftShader's WebGPU adapter), and takes the
 * results file the page posts back: validated, then filed in the results store like any other run.
 */
import { BackendUnavailableError, ResultsError } from '@lowrank/core';
import { ResultsFile } from '@lowrank/harness';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.json': 'application/json', '.wasm': 'application/wasm', '.bin': 'application/octet-stream' };
export const CHROMIUM = '/usr/bin/chromium';

export interface BrowserRunOptions { query: string; timeoutMs?: number; onLog?: (line: string) => void }

export async function runInBrowser(o: BrowserRunOptions): Promise<ResultsFile> {
  if (!existsSync(CHROMIUM)) throw new BackendUnavailableError(`browser runner: ${CHROMIUM} not found (npm run setup:browser installs Debian's chromium)`);
  if (!existsSync(join(ROOT, 'packages/cli/build/browser-suite.js'))) throw new BackendUnavailableError('browser runner: packages/cli/build/browser-suite.js is missing (npm run build)');
  let deliver: (body: unknown) => void = () => {};
  const posted = new Promise<unknown>((resolve) => { deliver = resolve; });
  const server = createServer(async (req, res) => {
    const headers = { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp', 'Cache-Control': 'no-store' };
    if (req.method === 'POST' && req.url === '/results') {
      const chunks: Buffer[] = [];
      for await (const c of req) chunks.push(c as Buffer);
      res.writeHead(204, headers).end();
      try { deliver(JSON.parse(Buffer.concat(chunks).toString('utf8'))); } catch (e) { deliver({ error: `unreadable results: ${(e as Error).message}` }); }
      return;
    }
    const path = normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname)).replace(/^(\.\.[/\\])+/, '');
    const file = join(ROOT, path === '/' ? 'packages/cli/browser/index.html' : path);
    if (!file.startsWith(ROOT) || /node_modules|\.git/.test(path)) { res.writeHead(403, headers).end(); return; }
    try {
      const body = await readFile(file);
      res.writeHead(200, { ...headers, 'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream' }).end(body);
    } catch {
      res.writeHead(404, headers).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--enable-unsafe-webgpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  try {
    const page = await browser.newPage();
    page.on('console', (m) => o.onLog?.(`browser: ${m.text()}`));
    await page.goto(`http://127.0.0.1:${port}/${o.query}`);
    const limitMs = o.timeoutMs ?? 600_000;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new ResultsError(`browser runner: no results within ${limitMs / 1000} s (--browser-timeout)`)), limitMs); });
    const body = await Promise.race([posted, timeout]).finally(() => clearTimeout(timer)) as { error?: string };
    if (typeof body?.error === 'string') throw new ResultsError(`browser runner: the page failed: ${body.error}`);
    const parsed = ResultsFile.safeParse(body);
    if (!parsed.success) throw new ResultsError(`browser runner: the page sent an invalid results file: ${parsed.error.issues[0]?.message}`);
    return parsed.data;
  } finally {
    await browser.close();
    server.close();
  }
}
