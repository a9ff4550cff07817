/**
 * Linear algebra against its anchors, interleaved in one run: our WASM backend (f64, one thread, and every core
 * when there are more: the ratios stay against one thread; LAPACK runs on one), ml-matrix
 * 6.15 (plain JavaScript, f64) and — with --lapack — LAPACK through numpy/scipy over OpenBLAS twice, with the
 * kernel OpenBLAS picks for this CPU and with its generic 128-bit kernel (OPENBLAS_CORETYPE=Prescott, the SIMD
 * width WebAssembly has), each a scripts/anchors/lapack.py server, timed in interleaved rounds (interleave.ts).
 * Usage: node benchmarks/dist/linalg-anchors.js [--rounds 6] [--slice 300] [--lapack] [--python /usr/bin/python3] [--json]
 */
import { createWasmBackend } from '@lowrank/backend-wasm';
import { fillRandom, hostTensor, ops } from '@lowrank/core';
import { randomizedSvd, svd, symmetricEig } from '@lowrank/linalg';
import { EigenvalueDecomposition, Matrix, QrDecomposition, SingularValueDecomposition } from 'ml-matrix';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { formatRows, interleave, machineOf, timed, type Impl } from './interleave.ts';
import { LapackServer } from './lapack-server.ts';

const { values } = parseArgs({
  options: {
    rounds: { type: 'string' },
    slice: { type: 'string' },
    lapack: { type: 'boolean' },
    python: { type: 'string' },
    json: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  },
});
if (values.help === true) {
  process.stdout.write(
    'usage: node benchmarks/dist/linalg-anchors.js [--rounds 6] [--slice 300] [--lapack] [--python PATH] [--json]\n',
  );
  process.exit(0);
}
const rounds = Number(values.rounds ?? 6);
const sliceMs = Number(values.slice ?? 300);
if (!(Number.isInteger(rounds) && rounds >= 2) || !(sliceMs > 0)) {
  process.stderr.write('linalg-anchors: --rounds must be an integer ≥ 2 and --slice > 0 (ms)\n');
  process.exit(2);
}

const servers: LapackServer[] = [];
if (values.lapack === true) {
  const script = fileURLToPath(new URL('../../scripts/anchors/lapack.py', import.meta.url));
  const python = values.python ?? '/usr/bin/python3';
  try {
    for (const coretype of [undefined, 'Prescott']) servers.push(await LapackServer.start(python, script, coretype));
  } catch (e) {
    process.stderr.write(`linalg-anchors: ${e instanceof Error ? e.message : String(e)}\n`);
    for (const s of servers) s.close();
    process.exit(1);
  }
}

// Ours on one thread (the ratios' reference) and on every core of the machine when it has more than one.
const cores = availableParallelism();
const ours = [{ be: await createWasmBackend({ threads: 1 }), name: 'lowrank wasm f64' }];
if (cores > 1) ours.push({ be: await createWasmBackend({ threads: cores }), name: `lowrank wasm f64 ${cores}t` });
const cases = new Map<string, Impl[]>();
const dims = {
  'svd 512x512': [512, 512],
  'svd 1000x100': [1000, 100],
  'eigh 512x512': [512, 512],
  'qr 1024x1024': [1024, 1024],
  'rsvd 2000x2000 k32': [2000, 2000],
} as const;
for (const [label, [m, n]] of Object.entries(dims)) {
  const data = fillRandom({ seed: 1, stream: 0 }, 'normal', 'f64', m * n);
  if (label.startsWith('eigh'))
    for (let i = 0; i < m; i++) for (let j = 0; j < i; j++) data[j * n + i] = data[i * n + j];
  const impls: Impl[] = [];
  cases.set(label, impls);
  const add = (impl: string, f: () => unknown) => impls.push({ impl, slice: timed(f) });
  for (const { be, name } of ours) {
    const a = await be.upload(hostTensor('f64', [m, n], data));
    const dispose = (ts: Array<{ backend: unknown }>) => ts.forEach((t) => be.dispose(t as never));
    if (label.startsWith('svd'))
      add(name, async () => {
        const f = await svd(be, a);
        dispose([f.u, f.s, f.v]);
      });
    else if (label.startsWith('eigh'))
      for (const method of ['tridiagonal', 'jacobi'] as const)
        add(`${name} ${method}`, async () => {
          const f = await symmetricEig(be, a, { method });
          dispose([f.vectors]);
        });
    else if (label.startsWith('qr'))
      add(name, async () => {
        const f = await ops.qr(be, a);
        dispose([f.q, f.r]);
      });
    else
      add(name, async () => {
        const f = await randomizedSvd(be, a, 32);
        dispose([f.u, f.s, f.v]);
      });
  }
  const ml = new Matrix(Array.from({ length: m }, (_, i) => Array.from(data.subarray(i * n, (i + 1) * n))));
  if (label.startsWith('svd'))
    add('ml-matrix', () => {
      new SingularValueDecomposition(ml, { autoTranspose: true });
    });
  else if (label.startsWith('eigh'))
    add('ml-matrix', () => {
      new EigenvalueDecomposition(ml, { assumeSymmetric: true });
    });
  else if (label.startsWith('qr'))
    add('ml-matrix', () => {
      void new QrDecomposition(ml).orthogonalMatrix;
    });
}
for (const [label, impls] of cases)
  if (!label.startsWith('rsvd'))
    for (const server of servers)
      impls.push({ impl: `LAPACK ${server.kernel}`, slice: (reps) => server.time(label, reps) });

const machine = machineOf(ours);
const rows = await interleave(cases, rounds, sliceMs, (line) => process.stderr.write(`${line}\n`));
for (const { be } of ours) await be.close();
for (const s of servers) s.close();
if (values.json === true) {
  process.stdout.write(
    `${JSON.stringify({ machine, rounds, sliceMs, kernels: servers.map((s) => s.kernel), rows }, null, 1)}\n`,
  );
} else {
  process.stdout.write(formatRows(rows, rounds, 'lowrank'));
}
