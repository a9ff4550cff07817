/**
 * GEMM against its anchors, in one process and one run, so that ratios (not absolute times, which
 * drift on a shared machine) are what is reported:
 *   - this project's WASM backend, f32 and f64, one thread and all threads;
 *   - tfjs-backend-wasm 4.22 (XNNPACK, SIMD; it has no threads in Node);
 *   - a naive i-k-j loop over Float32Array.
 * Usage: node benchmarks/dist/gemm-anchors.js [--sizes 256,512,1024] [--time 1000] [--json]
 */
import { createWasmBackend, type WasmBackend } from '@lowrank/backend-wasm';
import { fillRandom, hostTensor, ops, type DType } from '@lowrank/core';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-wasm';
import { availableParallelism } from 'node:os';
import { parseArgs } from 'node:util';
import { Bench } from 'tinybench';

interface Row {
  impl: string;
  dtype: DType;
  threads: number;
  n: number;
  medianMs: number;
  gflops: number;
}

const { values } = parseArgs({
  options: { sizes: { type: 'string' }, time: { type: 'string' }, json: { type: 'boolean' } },
});
const sizes = (values.sizes ?? '256,512,1024').split(',').map(Number);
const time = Number(values.time ?? 1000);

function naiveGemm(a: Float32Array, b: Float32Array, c: Float32Array, n: number): void {
  c.fill(0);
  for (let i = 0; i < n; i++) {
    for (let l = 0; l < n; l++) {
      const ail = a[i * n + l];
      for (let j = 0; j < n; j++) c[i * n + j] += ail * b[l * n + j];
    }
  }
}

async function main(): Promise<void> {
  await tf.setBackend('wasm');
  await tf.ready();
  const cores = availableParallelism();
  const backends: WasmBackend[] = [await createWasmBackend({ threads: 1 })];
  if (cores > 1) backends.push(await createWasmBackend({ threads: cores }));
  const rows: Row[] = [];
  for (const n of sizes) {
    const bench = new Bench({ time, warmupTime: 200, warmupIterations: 3, iterations: 5 });
    const meta = new Map<string, Omit<Row, 'medianMs' | 'gflops'>>();
    const aData = fillRandom({ seed: 1, stream: 0 }, 'normal', 'f32', n * n) as Float32Array;
    const bData = fillRandom({ seed: 1, stream: 1 }, 'normal', 'f32', n * n) as Float32Array;
    const disposers: Array<() => void> = [];
    for (const be of backends) {
      for (const dtype of ['f32', 'f64'] as const) {
        const a = await be.upload(hostTensor(dtype, [n, n], aData));
        const b = await be.upload(hostTensor(dtype, [n, n], bData));
        const c = be.zeros(dtype, [n, n]);
        disposers.push(() => [a, b, c].forEach((t) => be.dispose(t)));
        const name = `lowrank ${be.info.description} ${dtype}`;
        meta.set(name, {
          impl: `lowrank ${be.info.details.variant}`,
          dtype,
          threads: Number(be.info.details.threads),
          n,
        });
        bench.add(name, async () => {
          await ops.gemm(be, a, b, { c });
        });
      }
    }
    const ta = tf.tensor2d(aData, [n, n]),
      tb = tf.tensor2d(bData, [n, n]);
    meta.set('tfjs-backend-wasm f32', { impl: 'tfjs-backend-wasm (XNNPACK)', dtype: 'f32', threads: 1, n });
    bench.add('tfjs-backend-wasm f32', () => {
      tf.matMul(ta, tb).dispose();
    });
    if (n <= 512) {
      const c = new Float32Array(n * n);
      meta.set('naive f32', { impl: 'naive JS loop', dtype: 'f32', threads: 1, n });
      bench.add('naive f32', () => naiveGemm(aData, bData, c, n));
    }
    if (values.json !== true) process.stderr.write(`n = ${n}: ${bench.tasks.length} implementations…\n`);
    await bench.run();
    for (const task of bench.tasks) {
      const r = task.result;
      if (r.state !== 'completed') throw new Error(`${task.name}: ${r.state}`);
      rows.push({ ...meta.get(task.name)!, medianMs: r.latency.p50, gflops: (2 * n ** 3) / (r.latency.p50 * 1e6) });
    }
    disposers.forEach((d) => d());
    ta.dispose();
    tb.dispose();
  }
  await Promise.all(backends.map((b) => b.close()));

  if (values.json === true) {
    process.stdout.write(`${JSON.stringify(rows, null, 1)}\n`);
    return;
  }
  const tfjs = new Map(rows.filter((r) => r.impl.startsWith('tfjs')).map((r) => [r.n, r.gflops]));
  process.stdout.write(
    '\nimplementation                         dtype  threads     n   median ms   GFLOP/s   × tfjs-wasm\n',
  );
  for (const r of rows) {
    process.stdout.write(
      `${r.impl.padEnd(38)} ${r.dtype}  ${String(r.threads).padStart(7)} ${String(r.n).padStart(5)} ${r.medianMs.toFixed(3).padStart(11)} ${r.gflops.toFixed(1).padStart(9)} ${(r.gflops / tfjs.get(r.n)!).toFixed(2).padStart(13)}\n`,
    );
  }
}

await main();
