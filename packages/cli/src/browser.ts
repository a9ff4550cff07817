/**
 * The suite inside a browser page (lowrank run --browser): opens the WASM backend (threads when the
 * page is cross-origin isolated) and WebGPU when the browser offers an adapter, verifies every case
 * against the goldens served from /golden, runs the benchmarks requested in the page's query string,
 * and posts the results file to the server that served the page.
 */
import type { Backend } from '@lowrank/core';
import {
  benchCases,
  machineFingerprint,
  measurePeaks,
  newRunId,
  openBackends,
  RESULTS_SCHEMA_VERSION,
  runClaims,
  verifyCases,
  type BackendName,
  type BackendStatus,
  type ClaimMode,
  type ResultsFile,
} from '@lowrank/harness';
import { ALL_CASES, ALL_CLAIMS, PEAK_KERNELS } from './cases.ts';

const log = document.getElementById('log') as HTMLElement;
/** The run's secret, given in the page's URL by the command that serves it: the server takes results only with it. */
const token = () => new URLSearchParams(location.search).get('token') ?? '';
const say = (s: string) => {
  log.textContent += `\n${s}`;
  console.log(s);
};

async function main(): Promise<void> {
  const q = new URLSearchParams(location.search);
  const startedAt = new Date().toISOString();
  const names = (q.get('backends') ?? 'wasm,webgpu').split(',') as BackendName[];
  const opened: Backend[] = [];
  const statuses: BackendStatus[] = [];
  // WASM on one thread and on every core the page offers (threads need cross-origin isolation), as `lowrank run` does.
  const threads = [...new Set([1, navigator.hardwareConcurrency || 1])];
  for (const name of names) {
    for (const t of name === 'wasm' ? threads : [1]) {
      const r = await openBackends([name], { threads: t });
      opened.push(...r.backends);
      statuses.push(...r.status);
    }
  }
  say(
    `backends: ${statuses.map((s) => `${s.name} ${s.available ? s.description : `unavailable (${s.reason})`}`).join('; ')}`,
  );
  // The cases and claims the command selected, by id (its --family, --paper, --case and --filter).
  const caseIds = q.get('cases')?.split(',');
  const cases = ALL_CASES.filter((c) => caseIds === undefined || caseIds.includes(c.id));
  // Every dtype a case declares, f16 included: a backend without the kernel reports it as not run.
  const widest = opened.filter((b) => b.name !== 'wasm' || b.info.details.threads === Math.max(...threads));
  const verification = await verifyCases({ cases, backends: widest, goldenRoot: '/golden' });
  say(
    `verification: ${verification.filter((v) => v.status === 'pass').length} pass, ${verification.filter((v) => v.status === 'fail' || v.status === 'error').length} failing`,
  );
  const sizes = q.get('sizes')?.split(',').map(Number);
  const timed = opened.filter((b) => b.info.details.software !== true);
  // The roof of the report's roofline, measured in this page with the benchmarks it bounds.
  const peaks = q.get('peaks') === '0' ? undefined : await measurePeaks({ kernels: PEAK_KERNELS, backends: timed });
  const benchmarks = await benchCases({
    cases,
    backends: timed,
    sizes,
    filter: q.get('filter') ?? undefined,
    timeMs: Number(q.get('time') ?? 200),
  });
  say(
    `benchmarks: ${benchmarks.filter((b) => b.status === 'ok').length} timed, ${benchmarks.filter((b) => b.status === 'error').length} errors`,
  );
  // In reduced form unless the command asked for the full experiments.
  const mode = (q.get('mode') ?? 'reduced') as ClaimMode;
  const wanted =
    q
      .get('claims')
      ?.split(',')
      .filter((id) => id !== '') ?? [];
  const claimDefs = ALL_CLAIMS.filter((c) => wanted.includes(c.id));
  const claims = await runClaims({ claims: claimDefs, backends: widest.filter((b) => b.name === 'wasm'), mode });
  say(
    `claims (${mode}): ${claims.filter((c) => c.status === 'reproduced').length} reproduced, ${claims.filter((c) => c.status === 'mechanism verified').length} mechanism verified, ${claims.filter((c) => c.status === 'not reproduced').length} not reproduced, ${claims.filter((c) => c.status === 'error').length} errors`,
  );
  const gpu = opened.find((b) => b.name === 'webgpu')?.info.details;
  const results: ResultsFile = {
    schemaVersion: RESULTS_SCHEMA_VERSION,
    tool: { name: 'lowrank-bench', version: '0.1.0' },
    runId: newRunId(),
    command: 'run',
    status: 'complete',
    startedAt,
    finishedAt: new Date().toISOString(),
    git: null,
    machine: await machineFingerprint(
      undefined,
      gpu === undefined
        ? null
        : {
            vendor: String(gpu.vendor ?? ''),
            architecture: String(gpu.architecture ?? ''),
            device: String(gpu.runtime ?? ''),
            description: String(gpu.adapter ?? ''),
          },
    ),
    options: {
      browser: navigator.userAgent,
      query: location.search,
      crossOriginIsolated: globalThis.crossOriginIsolated === true,
    },
    backends: statuses,
    verification,
    benchmarks,
    peaks,
    claims,
    interleaved: null,
  };
  await Promise.all(opened.map((b) => b.close()));
  const response = await fetch('/results', {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-lowrank-token': token() },
    body: JSON.stringify(results),
  });
  say(response.ok ? 'done' : `posting results failed: HTTP ${response.status}`);
}

main().catch(async (e: unknown) => {
  const message = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
  say(`error: ${message}`);
  await fetch('/results', {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-lowrank-token': token() },
    body: JSON.stringify({ error: message }),
  });
});
