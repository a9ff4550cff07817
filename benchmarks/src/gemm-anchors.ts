/**
 * GEMM against its anchors and its limit, interleaved in one run (interleave.ts: ABBA rounds of slices), so that
 * ratios, not absolute times, are reported — on a shared machine two sequential runs of one implementation after
 * another differed up to 2.6× in their ratio:
 *   - this project's WASM backend, one thread (every ratio's reference) and every core;
 *   - the machine's 128-bit WebAssembly multiply-add peak (fma-peak.ts) run for the case's flops, in the variant
 *     our backend loaded: its time over ours is the fraction of that peak ours reaches;
 *   - tfjs-backend-wasm 4.22 (XNNPACK, SIMD; no threads in Node), f32;
 *   - with --blas: numpy's matmul over OpenBLAS, one thread, with the kernel OpenBLAS picks for this CPU and with
 *     its generic 128-bit kernel (OPENBLAS_CORETYPE=Prescott, WebAssembly's SIMD width), scripts/anchors/blas.py;
 *   - a naive i-k-j loop over Float32Array (f32, n ≤ 512).
 * Cases: square GEMMs at each size in f32 and f64, and batches of small products (--batched 1024x16).
 * Usage: node benchmarks/dist/gemm-anchors.js [--sizes 256,512,1024] [--batched 1024x16] [--rounds 6] [--slice 300]
 *        [--blas] [--python /usr/bin/python3] [--json]
 */
import { createWasmBackend } from '@lowrank/backend-wasm';
import { fillRandom, hostTensor, ops, type DType } from '@lowrank/core';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-wasm';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { fmaPeak } from './fma-peak.ts';
import { formatRows, interleave, machineOf, timed, type Impl } from './interleave.ts';
import { LapackServer } from './lapack-server.ts';

const USAGE =
  'usage: node benchmarks/dist/gemm-anchors.js [--sizes 256,512,1024] [--batched 1024x16] [--rounds 6] [--slice 300] [--blas] [--python PATH] [--json]\n';
const { values } = parseArgs({
  options: {
    sizes: { type: 'string' },
    batched: { type: 'string' },
    rounds: { type: 'string' },
    slice: { type: 'string' },
    blas: { type: 'boolean' },
    python: { type: 'string' },
    json: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  },
});
if (values.help === true) {
  process.stdout.write(USAGE);
  process.exit(0);
}
const sizes = (values.sizes ?? '256,512,1024').split(',').filter(Boolean).map(Number);
const batches = (values.batched ?? '1024x16')
  .split(',')
  .filter(Boolean)
  .map((s) => s.split('x').map(Number) as [number, number]);
const rounds = Number(values.rounds ?? 6);
const sliceMs = Number(values.slice ?? 300);
const positive = (x: number) => Number.isInteger(x) && x > 0;
if (
  !sizes.every(positive) ||
  !batches.every((b) => b.length === 2 && b.every(positive)) ||
  !(Number.isInteger(rounds) && rounds >= 2) ||
  !(sliceMs > 0)
) {
  process.stderr.write(
    `gemm-anchors: sizes and batches are positive integers (1024x16), --rounds ≥ 2, --slice > 0\n${USAGE}`,
  );
  process.exit(2);
}

let servers: LapackServer[] = [];
if (values.blas === true) {
  const script = fileURLToPath(new URL('../../scripts/anchors/blas.py', import.meta.url));
  const args = ['--sizes', sizes.join(','), '--batched', batches.map((b) => b.join('x')).join(',')];
  try {
    servers = await LapackServer.startKernels(values.python ?? '/usr/bin/python3', script, { args });
  } catch (e) {
    process.stderr.write(`gemm-anchors: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  }
}

await tf.setBackend('wasm');
await tf.ready();
const cores = availableParallelism();
const ours = [{ be: await createWasmBackend({ threads: 1 }), name: 'lowrank wasm' }];
if (cores > 1) ours.push({ be: await createWasmBackend({ threads: cores }), name: `lowrank wasm ${cores}t` });
const variant = ours[0].be.info.details.relaxedSimd === true ? 'relaxed' : 'simd';
const peak = await fmaPeak(variant);

function naiveGemm(a: Float32Array, b: Float32Array, c: Float32Array, n: number): void {
  c.fill(0);
  for (let i = 0; i < n; i++) {
    for (let l = 0; l < n; l++) {
      const ail = a[i * n + l];
      for (let j = 0; j < n; j++) c[i * n + j] += ail * b[l * n + j];
    }
  }
}

/** Flops of each case, for GFLOP/s and the peak's slice. */
const flops = new Map<string, number>();
const cases = new Map<string, Impl[]>();
const cleanup: Array<() => void> = [];
for (const dtype of ['f32', 'f64'] as const satisfies readonly DType[]) {
  const shapes: Array<[label: string, batch: number, n: number]> = [
    ...sizes.map((n): [string, number, number] => [`gemm ${n} ${dtype}`, 1, n]),
    ...batches.map(([batch, n]): [string, number, number] => [`batched ${batch}x${n} ${dtype}`, batch, n]),
  ];
  for (const [label, batch, n] of shapes) {
    const shape = batch === 1 ? [n, n] : [batch, n, n];
    const aData = fillRandom({ seed: 1, stream: 0 }, 'normal', 'f32', batch * n * n) as Float32Array;
    const bData = fillRandom({ seed: 1, stream: 1 }, 'normal', 'f32', batch * n * n) as Float32Array;
    const impls: Impl[] = [];
    flops.set(label, 2 * batch * n ** 3);
    for (const { be, name } of ours) {
      const a = await be.upload(hostTensor(dtype, shape, aData));
      const b = await be.upload(hostTensor(dtype, shape, bData));
      const c = be.zeros(dtype, shape);
      cleanup.push(() => [a, b, c].forEach((t) => be.dispose(t)));
      impls.push({
        impl: name,
        slice: timed(() => (batch === 1 ? ops.gemm(be, a, b, { c }) : ops.batchedGemm(be, a, b, { c }))),
      });
    }
    const iterations = flops.get(label)! / peak.flopsPerIteration(dtype);
    impls.push({ impl: `wasm ${variant} FMA peak`, slice: timed(() => peak.run(dtype, iterations)) });
    if (dtype === 'f32') {
      const ta = tf.tensor(aData, shape),
        tb = tf.tensor(bData, shape);
      cleanup.push(() => [ta, tb].forEach((t) => t.dispose()));
      impls.push({ impl: 'tfjs-backend-wasm', slice: timed(() => tf.matMul(ta, tb).dispose()) });
      if (batch === 1 && n <= 512) {
        const c = new Float32Array(n * n);
        impls.push({ impl: 'naive JS loop', slice: timed(() => naiveGemm(aData, bData, c, n)) });
      }
    }
    for (const s of servers) impls.push({ impl: `OpenBLAS ${s.kernel}`, slice: (reps) => s.time(label, reps) });
    cases.set(label, impls);
  }
}

const machine = machineOf(ours);
const rows = await interleave(cases, rounds, sliceMs, (line) => process.stderr.write(`${line}\n`));
cleanup.forEach((f) => f());
for (const { be } of ours) await be.close();
for (const s of servers) s.close();

const withRates = rows.map((r) => ({ ...r, gflops: flops.get(r.label)! / (r.medianMs * 1e6) }));
/** A batch's rate on one thread over the largest square GEMM's, same dtype (from separate cases of this run). */
const batchedShare = withRates
  .filter((r) => r.label.startsWith('batched') && r.impl === ours[0].name)
  .map((r) => {
    const dtype = r.label.slice(-3);
    const big = withRates.find((q) => q.label === `gemm ${Math.max(...sizes)} ${dtype}` && q.impl === ours[0].name)!;
    return { label: r.label, gflops: r.gflops, largeGemmGflops: big.gflops, share: r.gflops / big.gflops };
  });

if (values.json === true) {
  const kernels = servers.map((s) => s.kernel);
  process.stdout.write(
    `${JSON.stringify({ machine, rounds, sliceMs, peakVariant: variant, kernels, rows: withRates, batchedShare }, null, 1)}\n`,
  );
} else {
  process.stdout.write(formatRows(rows, rounds, ours[0].name));
  process.stdout.write(
    `\nGFLOP/s (median round); the FMA peak's time / ours is the fraction of the ${variant} WebAssembly peak ours reaches\n`,
  );
  for (const r of withRates)
    process.stdout.write(`${r.label.padEnd(21)} ${r.impl.padEnd(29)} ${r.gflops.toFixed(1).padStart(8)}\n`);
  for (const b of batchedShare)
    process.stdout.write(
      `\n${b.label}: ${b.gflops.toFixed(1)} GFLOP/s on one thread = ${(100 * b.share).toFixed(0)} % of gemm ${Math.max(...sizes)}'s ${b.largeGemmGflops.toFixed(1)}`,
    );
  process.stdout.write('\n');
}
