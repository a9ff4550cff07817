/**
 * Linear algebra against its anchors in one process and one run: our WASM backend (one thread,
 * f64) beside ml-matrix 6.15 (plain JavaScript, f64) on the sizes the issue names. LAPACK's own times
 * on this machine come from scripts/anchors/lapack.py (Debian numpy/scipy) and are read from its JSON
 * when given with --lapack FILE, so the table shows all three.
 * Usage: node benchmarks/dist/linalg-anchors.js [--time 2000] [--lapack results/lapack.json] [--json]
 */
import { createWasmBackend } from '@lowrank/backend-wasm';
import { fillRandom, hostTensor, ops } from '@lowrank/core';
import { randomizedSvd, svd, symmetricEig } from '@lowrank/linalg';
import { EigenvalueDecomposition, Matrix, QrDecomposition, SingularValueDecomposition } from 'ml-matrix';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { Bench } from 'tinybench';

const { values } = parseArgs({
  options: { time: { type: 'string' }, lapack: { type: 'string' }, json: { type: 'boolean' } },
});
const time = Number(values.time ?? 2000);
const lapack: Record<string, number> =
  values.lapack === undefined ? {} : JSON.parse(readFileSync(values.lapack, 'utf8'));

const be = await createWasmBackend({ threads: 1 });
const bench = new Bench({ time, warmupTime: 200, warmupIterations: 1, iterations: 3 });
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
  const a = await be.upload(hostTensor('f64', [m, n], data));
  const rows = Array.from({ length: m }, (_, i) => Array.from(data.subarray(i * n, (i + 1) * n)));
  const ml = new Matrix(rows);
  const dispose = (ts: Array<{ backend: unknown }>) => ts.forEach((t) => be.dispose(t as never));
  if (label.startsWith('svd')) {
    bench.add(`${label} | lowrank wasm f64`, async () => {
      const f = await svd(be, a);
      dispose([f.u, f.s, f.v]);
    });
    bench.add(`${label} | ml-matrix`, () => {
      new SingularValueDecomposition(ml, { autoTranspose: true });
    });
  } else if (label.startsWith('eigh')) {
    for (const method of ['tridiagonal', 'jacobi'] as const) {
      bench.add(`${label} | lowrank wasm f64 ${method}`, async () => {
        const f = await symmetricEig(be, a, { method });
        dispose([f.vectors]);
      });
    }
    bench.add(`${label} | ml-matrix`, () => {
      new EigenvalueDecomposition(ml, { assumeSymmetric: true });
    });
  } else if (label.startsWith('qr')) {
    bench.add(`${label} | lowrank wasm f64`, async () => {
      const f = await ops.qr(be, a);
      dispose([f.q, f.r]);
    });
    bench.add(`${label} | ml-matrix`, () => {
      const q = new QrDecomposition(ml);
      void q.orthogonalMatrix;
    });
  } else {
    bench.add(`${label} | lowrank wasm f64`, async () => {
      const f = await randomizedSvd(be, a, 32);
      dispose([f.u, f.s, f.v]);
    });
  }
}
process.stderr.write(`${bench.tasks.length} benchmarks, ${time} ms each…\n`);
await bench.run();
const rows = bench.tasks.map((t) => {
  const [label, impl] = t.name.split(' | ');
  const r = t.result;
  return { label, impl, medianMs: r.state === 'completed' ? r.latency.p50 : NaN };
});
await be.close();
if (values.json === true) {
  process.stdout.write(`${JSON.stringify({ rows, lapack }, null, 1)}\n`);
} else {
  process.stdout.write('\ncase                  implementation                 median ms    × ml-matrix   × LAPACK\n');
  for (const r of rows) {
    const ml = rows.find((x) => x.label === r.label && x.impl === 'ml-matrix')?.medianMs;
    const lp = lapack[r.label];
    process.stdout.write(
      `${r.label.padEnd(21)} ${r.impl.padEnd(29)} ${r.medianMs.toFixed(1).padStart(10)} ${(ml === undefined ? '—' : (ml / r.medianMs).toFixed(1)).padStart(13)} ${(lp === undefined ? '—' : (lp / r.medianMs).toFixed(2)).padStart(10)}\n`,
    );
  }
  for (const [label, ms] of Object.entries(lapack))
    process.stdout.write(`${label.padEnd(21)} ${'LAPACK (scipy)'.padEnd(29)} ${ms.toFixed(1).padStart(10)}\n`);
}
