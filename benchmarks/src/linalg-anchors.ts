/**
 * Linear algebra against its anchors, interleaved in one run: our WASM backend (f64, one thread, and every core
 * when there are more: the ratios stay against one thread), ml-matrix
 * 6.15 (plain JavaScript, f64) and — with --lapack — LAPACK through numpy/scipy over OpenBLAS, on one thread
 * with the kernel OpenBLAS picks for this CPU and with its generic 128-bit kernel (OPENBLAS_CORETYPE=Prescott,
 * the SIMD width WebAssembly has), and with the machine's kernel on every core (how far the native library's
 * own threads go here, beside ours), each a scripts/anchors/lapack.py server, timed in interleaved rounds
 * (interleave.ts).
 * Usage: node benchmarks/dist/linalg-anchors.js [--rounds 6] [--slice 300] [--lapack] [--python /usr/bin/python3] [--json]
 */
import { createWasmBackend } from '@lowrank/backend-wasm';
import { fillRandom, hostTensor, ops, type Backend, type DeviceTensor } from '@lowrank/core';
import { randomizedSvd, svd, symmetricEig } from '@lowrank/linalg';
import {
  CholeskyDecomposition,
  EigenvalueDecomposition,
  LuDecomposition,
  Matrix,
  QrDecomposition,
  SingularValueDecomposition,
} from 'ml-matrix';
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

let servers: LapackServer[] = [];
if (values.lapack === true) {
  const script = fileURLToPath(new URL('../../scripts/anchors/lapack.py', import.meta.url));
  try {
    servers = await LapackServer.startKernels(values.python ?? '/usr/bin/python3', script, {
      threads: availableParallelism(),
    });
  } catch (e) {
    process.stderr.write(`linalg-anchors: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  }
}

// Ours on one thread (the ratios' reference) and on every core of the machine when it has more than one.
const cores = availableParallelism();
const ours = [{ be: await createWasmBackend({ threads: 1 }), name: 'lowrank wasm f64' }];
if (cores > 1) ours.push({ be: await createWasmBackend({ threads: cores }), name: `lowrank wasm f64 ${cores}t` });
type Be = Backend;
type Dev = DeviceTensor;
/** One case: its shape, how its input is made from a Gaussian, ours (name suffix → call) and ml-matrix's call. */
interface Case {
  dims: [number, number];
  input?: (g: Float64Array, n: number) => Float64Array | Promise<Float64Array>;
  ours: (be: Be, a: Dev) => Record<string, () => Promise<unknown>>;
  ml?: (a: Matrix) => unknown;
}
const free = (be: Be, ts: Dev[]) => ts.forEach((t) => be.dispose(t));
const symmetric = (g: Float64Array, n: number) => {
  for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) g[j * n + i] = g[i * n + j];
  return g;
};
/** The Cholesky case's input, as lapack.py's: G·Gᵀ/n + I (formed by our GEMM). */
async function spd(g: Float64Array, n: number): Promise<Float64Array> {
  const be: Be = ours[0].be;
  const t = await be.upload(hostTensor('f64', [n, n], g));
  const c = await ops.gemm(be, t, t, { transB: true, alpha: 1 / n });
  const out = Float64Array.from((await be.download(c)).data);
  free(be, [t, c]);
  for (let i = 0; i < n; i++) out[i * n + i] += 1;
  return out;
}
const svdCase = (m: number, n: number): Case => ({
  dims: [m, n],
  ours: (be, a) => ({ '': async () => svd(be, a).then((f) => free(be, [f.u, f.s, f.v])) }),
  ml: (a) => new SingularValueDecomposition(a, { autoTranspose: true }),
});
const CASES: Record<string, Case> = {
  'svd 512x512': svdCase(512, 512),
  'svd 1000x100': svdCase(1000, 100),
  'eigh 512x512': {
    dims: [512, 512],
    input: symmetric,
    ours: (be, a) =>
      Object.fromEntries(
        (['tridiagonal', 'jacobi'] as const).map((method) => [
          ` ${method}`,
          async () => symmetricEig(be, a, { method }).then((f) => free(be, [f.vectors])),
        ]),
      ),
    ml: (a) => new EigenvalueDecomposition(a, { assumeSymmetric: true }),
  },
  // QR, LU and Cholesky at both orders #21's two-thread target names (n ≥ 512).
  ...Object.fromEntries(
    [512, 1024].flatMap((n): Array<[string, Case]> => [
      [
        `qr ${n}x${n}`,
        {
          dims: [n, n],
          ours: (be, a) => ({ '': async () => ops.qr(be, a).then((f) => free(be, [f.q, f.r])) }),
          ml: (a) => new QrDecomposition(a).orthogonalMatrix,
        },
      ],
      [
        `lu ${n}x${n}`,
        {
          dims: [n, n],
          ours: (be, a) => ({ '': async () => ops.lu(be, a).then((f) => free(be, [f.lu])) }),
          ml: (a) => new LuDecomposition(a),
        },
      ],
      [
        `cholesky ${n}x${n}`,
        {
          dims: [n, n],
          input: spd,
          ours: (be, a) => ({ '': async () => ops.cholesky(be, a).then((l) => free(be, [l])) }),
          ml: (a) => new CholeskyDecomposition(a),
        },
      ],
    ]),
  ),
  // Our own GEMM rate beside the factorizations (#21: LU, Cholesky and QR at ≥ 70 % of it).
  'gemm 1024x1024': {
    dims: [1024, 1024],
    ours: (be, a) => {
      const c = be.zeros('f64', [1024, 1024]);
      return { '': () => ops.gemm(be, a, a, { c }) };
    },
  },
  'rsvd 2000x2000 k32': {
    dims: [2000, 2000],
    ours: (be, a) => ({ '': async () => randomizedSvd(be, a, 32).then((f) => free(be, [f.u, f.s, f.v])) }),
  },
};
const cases = new Map<string, Impl[]>();
for (const [label, c] of Object.entries(CASES)) {
  const [m, n] = c.dims;
  const gauss = fillRandom({ seed: 1, stream: 0 }, 'normal', 'f64', m * n) as Float64Array;
  const data = c.input === undefined ? gauss : await c.input(gauss, n);
  const impls: Impl[] = [];
  cases.set(label, impls);
  for (const { be, name } of ours) {
    const a = await be.upload(hostTensor('f64', [m, n], data));
    for (const [suffix, f] of Object.entries(c.ours(be, a))) impls.push({ impl: name + suffix, slice: timed(f) });
  }
  if (c.ml !== undefined) {
    const ml = new Matrix(Array.from({ length: m }, (_, i) => Array.from(data.subarray(i * n, (i + 1) * n))));
    const run = c.ml;
    impls.push({ impl: 'ml-matrix', slice: timed(() => run(ml)) });
  }
}
for (const [label, impls] of cases)
  if (!label.startsWith('rsvd'))
    for (const server of servers)
      impls.push({ impl: `LAPACK ${server.label}`, slice: (reps) => server.time(label, reps) });

const machine = machineOf(ours);
const rows = await interleave(cases, rounds, sliceMs, (line) => process.stderr.write(`${line}\n`));
for (const { be } of ours) await be.close();
for (const s of servers) s.close();
if (values.json === true) {
  process.stdout.write(
    `${JSON.stringify({ machine, rounds, sliceMs, kernels: servers.map((s) => s.label), rows }, null, 1)}\n`,
  );
} else {
  process.stdout.write(formatRows(rows, rounds, 'lowrank'));
}
