/**
 * The suite inside a browser page (lowrank run --browser): opens the WASM backend (threads when the
 * page is cross-origin isolated) and WebGPU when the browser offers an adapter, verifies every case
 * against the goldens served from /golden, runs the benchmarks requested in the page's query string,
 * and posts the results file to the server that served the page.
 */
import type { Backend } from '@lowrank/core';
import { benchCases, machineFingerprint, newRunId, openBackends, RESULTS_SCHEMA_VERSION, verifyCases, type BackendName, type ResultsFile } from '@lowrank/harness';
import { ALL_CASES } from './cases.ts';

const log = document.getElementById('log') as HTMLElement;
const say = (s: string) => { log.textContent += `\n${s}`; console.log(s); };

async function main(): Promise<void> {
  const q = new URLSearchParams(location.search);
  const startedAt = new Date().toISOString();
  const names = (q.get('backends') ?? 'wasm,webgpu').split(',') as BackendName[];
  const opened: Backend[] = [];
  const statuses = [];
  for (const name of names) {
    const r = await openBackends([name], { threads: navigator.hardwareConcurrency });
    opened.push(...r.backends);
    statuses.push(...r.status);
  }
  say(`backends: ${statuses.map((s) => `${s.name} ${s.available ? s.description : `unavailable (${s.reason})`}`).join('; ')}`);
  const families = q.get('families')?.split(',');
  const cases = ALL_CASES.filter((c) => families === undefined || families.includes(c.family));
  const verification = await verifyCases({ cases, backends: opened, goldenRoot: '/golden', dtypes: ['f32', 'f64'] });
  say(`verification: ${verification.filter((v) => v.status === 'pass').length} pass, ${verification.filter((v) => v.status === 'fail' || v.status === 'error').length} failing`);
  const sizes = q.get('sizes')?.split(',').map(Number);
  const benchmarks = await benchCases({ cases, backends: opened.filter((b) => b.info.details.software !== true), sizes, filter: q.get('filter') ?? undefined, timeMs: Number(q.get('time') ?? 200), dtypes: ['f32', 'f64'] });
  say(`benchmarks: ${benchmarks.length}`);
  const gpu = opened.find((b) => b.name === 'webgpu')?.info.details;
  const results: ResultsFile = {
    schemaVersion: RESULTS_SCHEMA_VERSION, tool: { name: 'lowrank-bench', version: '0.1.0' }, runId: newRunId(), command: 'run', status: 'complete',
    startedAt, finishedAt: new Date().toISOString(), git: null,
    machine: await machineFingerprint(undefined, gpu === undefined ? null : { vendor: String(gpu.vendor ?? ''), architecture: String(gpu.architecture ?? ''), device: String(gpu.runtime ?? ''), description: String(gpu.adapter ?? '') }),
    options: { browser: navigator.userAgent, query: location.search, crossOriginIsolated: globalThis.crossOriginIsolated === true },
    backends: statuses, verification, benchmarks, claims: [], interleaved: null,
  };
  await Promise.all(opened.map((b) => b.close()));
  const response = await fetch('/results', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(results) });
  say(response.ok ? 'done' : `posting results failed: HTTP ${response.status}`);
}

main().catch(async (e: unknown) => {
  const message = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
  say(`error: ${message}`);
  await fetch('/results', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ error: message }) });
});
