/**
 * The state-space primitives against numpy/scipy, interleaved in one run (interleave.ts): the general eigensolver,
 * the matrix exponential, the FFT, the DCT-II and the Kalman filter + RTS smoother. Ours are the cases' own
 * benchmarks (linalg/generalEig, linalg/expm, primitives/fft, primitives/dct, primitives/kalman: the same setup the
 * `lowrank bench` numbers come from) on WASM f64 with one and two threads, and with --webgpu on WebGPU f32 as well;
 * the anchors are a scripts/anchors/statespace.py server — with --lapack a second one on OpenBLAS's generic
 * 128-bit kernel (OPENBLAS_CORETYPE=Prescott) for the LAPACK-bound cases (geev, expm). Without Python the anchors are
 * left out and said so.
 * Usage: node benchmarks/dist/statespace-anchors.js [--rounds 6] [--slice 300] [--lapack] [--webgpu]
 *        [--python /usr/bin/python3] [--only geev,expm,fft,dct2,kalman] [--json]
 */
import { UnsupportedError, type Backend, type CaseDef, type DType } from '@lowrank/core';
import { openBackends } from '@lowrank/harness';
import { cases as linalgCases } from '@lowrank/linalg';
import { cases as primitiveCases } from '@lowrank/primitives';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { formatRows, interleave, machineOf, timed, type Impl } from './interleave.ts';
import { LapackServer } from './lapack-server.ts';

const USAGE =
  'usage: node benchmarks/dist/statespace-anchors.js [--rounds 6] [--slice 300] [--lapack] [--webgpu] ' +
  '[--python PATH] [--only geev,expm,fft,dct2,kalman] [--json]\n';
const { values } = parseArgs({
  options: {
    rounds: { type: 'string' },
    slice: { type: 'string' },
    lapack: { type: 'boolean' },
    webgpu: { type: 'boolean' },
    python: { type: 'string' },
    only: { type: 'string' },
    json: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  },
});
if (values.help === true) {
  process.stdout.write(USAGE);
  process.exit(0);
}
const rounds = Number(values.rounds ?? 6);
const sliceMs = Number(values.slice ?? 300);
if (!(Number.isInteger(rounds) && rounds >= 2) || !(sliceMs > 0)) {
  process.stderr.write(`statespace-anchors: --rounds must be an integer ≥ 2 and --slice > 0 (ms)\n${USAGE}`);
  process.exit(2);
}

/** The anchor's label for each of our benchmark instances: kind, the case that times ours, its parameters. */
const SPECS = [
  ...[16, 64, 256, 512].map((n) => ({ kind: 'geev', label: `geev ${n}`, caseId: 'linalg/generalEig', params: { n } })),
  ...[16, 64, 256].map((n) => ({ kind: 'expm', label: `expm ${n}`, caseId: 'linalg/expm', params: { n } })),
  ...[
    [1024, 1024],
    [1 << 20, 1],
  ].map(([n, batch]) => ({ kind: 'fft', label: `fft ${n}x${batch}`, caseId: 'primitives/fft', params: { n, batch } })),
  ...[256, 1024].map((n) => ({
    kind: 'dct2',
    label: `dct2 ${n}x${n}`,
    caseId: 'primitives/dct',
    params: { n, batch: n, method: 'fast' },
  })),
  ...[
    [10_000, 8],
    [10_000, 64],
  ].map(([steps, batch]) => ({
    kind: 'kalman',
    label: `kalman ${steps}x${batch}`,
    caseId: 'primitives/kalman',
    params: { steps, batch },
  })),
];
const only = values.only?.split(',').map((s) => s.trim());
const unknown = only?.filter((k) => !SPECS.some((s) => s.kind === k)) ?? [];
if (unknown.length > 0) {
  process.stderr.write(`statespace-anchors: --only: unknown kind ${unknown.join(', ')}\n${USAGE}`);
  process.exit(2);
}
const specs = SPECS.filter((s) => only === undefined || only.includes(s.kind));

const all = new Map<string, CaseDef>([...primitiveCases, ...linalgCases].map((c) => [c.id, c]));
const ours: Array<{ name: string; be: Backend; dtype: DType }> = [];
for (const threads of [1, 2]) {
  const { backends } = await openBackends(['wasm'], { threads });
  ours.push({ name: `lowrank wasm f64 ${threads}t`, be: backends[0], dtype: 'f64' });
}
if (values.webgpu === true) {
  const { backends, status } = await openBackends(['webgpu']);
  if (backends.length === 0) process.stderr.write(`statespace-anchors: WebGPU left out: ${status[0].reason}\n`);
  else {
    process.stderr.write(`statespace-anchors: WebGPU is ${backends[0].info.description}\n`);
    ours.push({ name: 'lowrank webgpu f32', be: backends[0], dtype: 'f32' });
  }
}

const servers: Array<{ server: LapackServer; lapackOnly: boolean }> = [];
const script = fileURLToPath(new URL('../../scripts/anchors/statespace.py', import.meta.url));
try {
  const python = values.python ?? '/usr/bin/python3';
  servers.push({ server: await LapackServer.start(python, script), lapackOnly: false });
  if (values.lapack === true)
    servers.push({ server: await LapackServer.start(python, script, { coretype: 'Prescott' }), lapackOnly: true });
} catch (e) {
  process.stderr.write(`statespace-anchors: scipy anchors left out: ${e instanceof Error ? e.message : String(e)}\n`);
}

/** What the anchor runs: LAPACK (and which OpenBLAS kernel) for geev and expm, pocketfft, or a numpy loop. */
const anchorName = (kind: string, kernel: string) =>
  kind === 'geev' || kind === 'expm'
    ? `scipy, OpenBLAS ${kernel}`
    : kind === 'kalman'
      ? 'numpy, loop over time'
      : 'numpy/scipy pocketfft';
const cases = new Map<string, Impl[]>();
const disposers: Array<() => void> = [];
for (const spec of specs) {
  const def = all.get(spec.caseId);
  if (def?.bench === undefined) throw new Error(`statespace-anchors: no benchmark in case ${spec.caseId}`);
  const impls: Impl[] = [];
  for (const o of ours) {
    if (!def.dtypes.includes(o.dtype) || !def.primitives.every((p) => o.be.capabilities[p]?.includes(o.dtype)))
      continue;
    const instance = await def.bench.setup(o.be, o.dtype, spec.params);
    disposers.push(() => instance.dispose());
    try {
      await instance.run();
    } catch (e) {
      // A size the backend's kernel does not take (WebGPU's geev: n ≤ 256) is left out and said so.
      if (!(e instanceof UnsupportedError)) throw e;
      process.stderr.write(`statespace-anchors: ${spec.label} on ${o.name} left out: ${e.message}\n`);
      continue;
    }
    impls.push({
      impl: o.name,
      slice: timed(async () => {
        await instance.run();
        await o.be.sync();
      }),
    });
  }
  for (const { server, lapackOnly } of servers)
    if (!lapackOnly || spec.kind === 'geev' || spec.kind === 'expm')
      impls.push({ impl: anchorName(spec.kind, server.kernel), slice: (reps) => server.time(spec.label, reps) });
  cases.set(spec.label, impls);
}

const machine = machineOf(ours);
const rows = await interleave(cases, rounds, sliceMs, (line) => process.stderr.write(`${line}\n`));
disposers.forEach((d) => d());
for (const o of ours) await o.be.close();
for (const { server } of servers) server.close();
if (values.json === true) {
  process.stdout.write(
    `${JSON.stringify({ machine, rounds, sliceMs, kernels: servers.map((s) => s.server.kernel), rows }, null, 1)}\n`,
  );
} else {
  process.stdout.write(formatRows(rows, rounds, ours[0].name));
}
