/**
 * The cross-backend suite: every primitive on every backend and dtype, against the goldens
 * (LAPACK/numpy) and against the reference backend on awkward shapes, with NaN/Inf inputs.
 * Skips are the backends' declared skip lists, printed by vitest as skipped tests with the reason.
 */
import { createRefBackend } from '@lowrank/backend-ref';
import {
  componentwiseRatio,
  EPSILON,
  fillRandom,
  gemmErrorScale,
  hostTensor,
  ops,
  type Backend,
  type DType,
  type PrimitiveName,
} from '@lowrank/core';
import { goldenTests, guardWasmMemory, planTestBackends, skipTitle, verifyCases } from '@lowrank/harness';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cases } from './index.ts';
import { gemmCase } from './gemm.case.ts';
import { rowRatio } from './transform.case.ts';

const GOLDEN = fileURLToPath(new URL('../../../golden', import.meta.url));
const DTYPES: DType[] = ['f16', 'f32', 'f64'];
const ref = createRefBackend();
const GEMM_THRESHOLD = gemmCase.verify!.thresholds.componentwise.value;

function rand(dtype: DType, shape: number[], stream: number, seed = 42) {
  const n = shape.reduce((a, b) => a * b, 1);
  return hostTensor(dtype, shape, fillRandom({ seed, stream }, 'normal', 'f32', n));
}

async function toHost(be: Backend, t: Parameters<Backend['download']>[0]) {
  return Float64Array.from((await be.download(t)).data);
}

/** Same NaN positions, same infinities, finite values within `tol` (absolute). */
function samePattern(a: Float64Array, b: Float64Array): boolean {
  return (
    a.length === b.length &&
    a.every((v, i) => (Number.isNaN(v) ? Number.isNaN(b[i]) : Number.isFinite(v) ? Number.isFinite(b[i]) : v === b[i]))
  );
}

// Availability is settled before the suite is collected, so an absent backend shows as skipped tests.
guardWasmMemory();
const PLAN = await planTestBackends();

describe('backend availability', () => {
  // In CI every backend must run: a missing driver there is a broken set-up, not a reason to skip.
  it.each(PLAN.map((tb) => [tb.label, tb.absent]))('%s runs here (required when CI=true)', (label, reason) => {
    if (reason !== null && process.env.CI !== 'true') {
      console.warn(`backend ${label} skipped: ${reason}`);
      return;
    }
    expect(reason).toBeNull();
  });
});

describe.each(PLAN)('backend $label', (tb) => {
  const absent = tb.absent;
  let be: Backend;
  beforeAll(async () => {
    if (absent === null) be = await tb.open();
  });
  afterAll(async () => {
    await be?.close();
  });

  describe.each(DTYPES)('%s', (dtype) => {
    const primitiveSkip = (p: PrimitiveName) => tb.skip(p, dtype);

    for (const t of goldenTests(cases, tb, GOLDEN, [dtype])) {
      it.skipIf(t.skip)(t.title, async () => {
        const { actual, declared, measured } = await t.run(be);
        expect(actual, measured).toEqual(declared);
      });
    }

    it.skipIf(primitiveSkip('gemm') !== undefined)(
      skipTitle('gemm agrees with the reference on awkward shapes, both transposes, α and β', primitiveSkip('gemm')),
      async () => {
        const dims = [0, 1, 3, 17, 63, 129];
        let s = 0;
        // Odd shapes exercise the guarded edges; multiples of 4 the vectorized (vec4) paths; a long k split-K.
        const aligned = [
          [67, 36, 132],
          [64, 128, 64],
          [8, 12, 4096],
          [520, 516, 20],
        ];
        for (const [m, n, k] of [
          [1, 129, 3],
          [129, 1, 17],
          [63, 17, 129],
          [3, 3, 0],
          [0, 4, 4],
          [257, 3, 5],
          [5, 257, 3],
          [17, 63, 1],
        ].concat(
          dims.map((d) => [d, d, d]),
          aligned,
        )) {
          for (const transA of [false, true]) {
            for (const transB of [false, true]) {
              s++;
              const a = rand(dtype, transA ? [k, m] : [m, k], 3 * s);
              const b = rand(dtype, transB ? [n, k] : [k, n], 3 * s + 1);
              const c0 = rand(dtype, [m, n], 3 * s + 2);
              const p = { transA, transB, alpha: 0.75, beta: -1.5 };
              const expect64 = await toHost(
                ref,
                await ops.gemm(
                  ref,
                  await ref.upload(hostTensor('f64', a.shape, a.data)),
                  await ref.upload(hostTensor('f64', b.shape, b.data)),
                  { ...p, c: await ref.upload(hostTensor('f64', c0.shape, c0.data)) },
                ),
              );
              const got = await toHost(
                be,
                await ops.gemm(be, await be.upload(a), await be.upload(b), { ...p, c: await be.upload(c0) }),
              );
              const scale = gemmErrorScale(a.data, b.data, c0.data, { m, n, k, ...p });
              const ratio = componentwiseRatio(got, expect64, scale, EPSILON[be.info.computeDType[dtype]]);
              expect(ratio, `${m}×${n}×${k} transA=${transA} transB=${transB}`).toBeLessThanOrEqual(GEMM_THRESHOLD);
            }
          }
        }
      },
    );

    it.skipIf(primitiveSkip('fft') !== undefined)(
      skipTitle(
        'fft and dct (types 2 and 1) of a batch split between threads agree with the reference and invert',
        primitiveSkip('fft'),
      ),
      async () => {
        const [batch, n] = [64, 1024];
        const eps = EPSILON[be.info.computeDType[dtype]];
        const x = rand(dtype, [batch, n], 11),
          y = rand(dtype, [batch, n], 12);
        const up64 = (t: typeof x) => ref.upload(hostTensor('f64', t.shape, t.data));
        const host = async (b: Backend, ts: Parameters<Backend['download']>[0][]) =>
          Promise.all(ts.map((t) => toHost(b, t)));
        const want = await ops.fft(ref, await up64(x), await up64(y));
        const got = await ops.fft(be, await be.upload(x), await be.upload(y));
        const [gotRe, gotIm] = await host(be, [got.re, got.im]);
        expect(rowRatio([gotRe, gotIm], await host(ref, [want.re, want.im]), n, eps)).toBeLessThanOrEqual(30);
        const back = await ops.fft(be, got.re, got.im, { inverse: true });
        expect(rowRatio(await host(be, [back.re, back.im]), [x.data, y.data], n, eps)).toBeLessThanOrEqual(30);
        const c = await ops.dct(be, await be.upload(x));
        const [cHost] = await host(be, [c]);
        expect(rowRatio([cHost], await host(ref, [await ops.dct(ref, await up64(x))]), n, eps)).toBeLessThanOrEqual(30);
        const inverse = await ops.dct(be, c, { inverse: true });
        expect(rowRatio(await host(be, [inverse]), [x.data], n, eps)).toBeLessThanOrEqual(30);
        // The DCT-I on 2^k + 1 points (FFT length 2n − 2), against the reference, and its own inverse.
        const z = rand(dtype, [batch, n + 1], 13);
        const one = await ops.dct(be, await be.upload(z), { type: 1 });
        const oneRef = await ops.dct(ref, await up64(z), { type: 1 });
        expect(rowRatio(await host(be, [one]), await host(ref, [oneRef]), n + 1, eps, 2 * n)).toBeLessThanOrEqual(30);
        const twice = await ops.dct(be, one, { type: 1 });
        expect(rowRatio(await host(be, [twice]), [z.data], n + 1, eps, 2 * n)).toBeLessThanOrEqual(30);
      },
    );

    const noSpecials = tb.ieeeSpecials
      ? undefined
      : 'WGSL lets implementations assume NaN and Inf never occur (spec: floating-point evaluation), so propagation is not defined';

    it.skipIf(primitiveSkip('gemm') !== undefined)(
      skipTitle('gemm with β = 0 writes every element of a poisoned C and never reads it', primitiveSkip('gemm')),
      async () => {
        for (const [m, n, k] of [
          [9, 13, 7],
          [130, 67, 33],
          [8, 8, 4096],
        ]) {
          const a = rand(dtype, [m, k], 1),
            b = rand(dtype, [k, n], 2);
          const poisoned = hostTensor(dtype, [m, n], new Array(m * n).fill(NaN));
          const got = await toHost(
            be,
            await ops.gemm(be, await be.upload(a), await be.upload(b), { c: await be.upload(poisoned), beta: 0 }),
          );
          expect(got.filter((v) => !Number.isFinite(v)).length, `${m}×${n}×${k}`).toBe(0);
        }
      },
    );

    it.skipIf(primitiveSkip('reduce') !== undefined)(
      skipTitle('every kernel writes every element of a poisoned output (ragged shapes)', primitiveSkip('reduce')),
      async () => {
        const poison = (shape: number[]) =>
          be.upload(hostTensor(dtype, shape, new Array(shape.reduce((a, b) => a * b, 1)).fill(NaN)));
        const finite = async (t: Parameters<Backend['download']>[0], what: string) => {
          const v = await toHost(be, t);
          expect(v.filter((x) => !Number.isFinite(x)).length, what).toBe(0);
        };
        for (const [r, c] of [
          [1, 1],
          [3, 17],
          [17, 3],
          [129, 63],
          [1, 1000],
        ]) {
          const x = await be.upload(rand(dtype, [r, c], r + c));
          const y = await be.upload(rand(dtype, [r, c], r * c));
          for (const axis of ['rows', 'cols'] as const) {
            const out = await poison([axis === 'rows' ? r : c]);
            await be.kernels.reduce!({ op: 'sum', axis, x, out, rows: r, cols: c });
            await finite(out, `reduce ${axis} ${r}×${c}`);
          }
          const t = await poison([c, r]);
          await be.kernels.transpose!({ x, out: t, rows: r, cols: c });
          await finite(t, `transpose ${r}×${c}`);
          const u = await poison([r, c]);
          await be.kernels.unary!({ op: 'exp', x, out: u, n: r * c });
          await finite(u, `unary ${r}×${c}`);
          const b = await poison([r, c]);
          await be.kernels.binary!({ op: 'mul', x, y, out: b, n: r * c });
          await finite(b, `binary ${r}×${c}`);
          for (const trans of [false, true]) {
            const v = await be.upload(rand(dtype, [trans ? r : c], 9));
            const out = await poison([trans ? c : r]);
            await be.kernels.gemv!({ a: x, x: v, y: out, m: r, n: c, trans, alpha: 1, beta: 0 });
            await finite(out, `gemv trans=${trans} ${r}×${c}`);
          }
          const z = await poison([r * c]);
          await be.kernels.random!({ out: z, n: r * c, dist: 'normal', seed: 3, stream: 1, offset: 5 });
          await finite(z, `random ${r * c}`);
        }
      },
    );

    it.skipIf(primitiveSkip('gemm') !== undefined || noSpecials !== undefined)(
      skipTitle('gemm propagates NaN and Inf like the reference', primitiveSkip('gemm') ?? noSpecials),
      async () => {
        const [m, n, k] = [9, 13, 7];
        const a = rand(dtype, [m, k], 1),
          b = rand(dtype, [k, n], 2);
        a.data[2 * k + 3] = NaN; // row 2 of C becomes NaN
        a.data[5 * k + 1] = Infinity; // row 5: ±Inf, NaN where B[1, j] = 0
        b.data[1 * n + 4] = 0;
        const up = (be2: Backend, t: typeof a) => be2.upload(hostTensor(be2 === ref ? 'f64' : dtype, t.shape, t.data));
        const want = await toHost(ref, await ops.gemm(ref, await up(ref, a), await up(ref, b)));
        const got = await toHost(be, await ops.gemm(be, await up(be, a), await up(be, b)));
        expect(samePattern(got, want)).toBe(true);
        expect(Number.isNaN(got[2 * n])).toBe(true);
        expect(got[5 * n + 4]).toBeNaN(); // Inf · 0
      },
    );

    it.skipIf(primitiveSkip('nrm2') !== undefined || noSpecials !== undefined)(
      skipTitle('level-1 and reductions propagate NaN and Inf', primitiveSkip('nrm2') ?? noSpecials),
      async () => {
        const x = rand(dtype, [64], 7);
        x.data[10] = NaN;
        const y = rand(dtype, [64], 8);
        y.data[3] = Infinity;
        const [dx, dy] = [await be.upload(x), await be.upload(y)];
        expect(await ops.nrm2(be, dx)).toBeNaN();
        expect(await ops.nrm2(be, dy)).toBe(Infinity);
        expect(await ops.dot(be, dx, dy)).toBeNaN();
        const m = await be.upload(hostTensor(dtype, [8, 8], y.data));
        const maxRows = await toHost(be, await ops.reduce(be, 'max', m, 'rows'));
        expect(maxRows[0]).toBe(Infinity);
        const withNaN = await toHost(
          be,
          await ops.reduce(be, 'max', await be.upload(hostTensor(dtype, [8, 8], x.data)), 'cols'),
        );
        expect(withNaN[2]).toBeNaN();
      },
    );

    it.skipIf(primitiveSkip('gemv') !== undefined)(
      skipTitle('gemv, transpose and elementwise agree with the reference on ragged lengths', primitiveSkip('gemv')),
      async () => {
        for (const [m, n] of [
          [1, 1],
          [3, 17],
          [17, 3],
          [63, 129],
          [0, 5],
          [5, 0],
        ]) {
          const a = rand(dtype, [m, n], m * 31 + n);
          for (const trans of [false, true]) {
            const x = rand(dtype, [trans ? m : n], 5);
            const want = await toHost(
              ref,
              await ops.gemv(
                ref,
                await ref.upload(hostTensor('f64', a.shape, a.data)),
                await ref.upload(hostTensor('f64', x.shape, x.data)),
                { trans },
              ),
            );
            const got = await toHost(be, await ops.gemv(be, await be.upload(a), await be.upload(x), { trans }));
            const [rows, inner] = trans ? [n, m] : [m, n];
            const scale = gemmErrorScale(a.data, x.data, null, {
              m: rows,
              n: 1,
              k: inner,
              transA: trans,
              transB: false,
              alpha: 1,
              beta: 0,
            });
            expect(componentwiseRatio(got, want, scale, EPSILON[be.info.computeDType[dtype]])).toBeLessThanOrEqual(
              GEMM_THRESHOLD,
            );
          }
          const t = await toHost(be, await ops.transpose(be, await be.upload(a)));
          for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) expect(t[j * m + i]).toBe(a.data[i * n + j]);
        }
      },
    );
  });
});

describe('verification memory', () => {
  it('frees the device tensors of every entry (a second verify run leaves the heap as the first did)', async () => {
    const { createWasmBackend } = await import('@lowrank/backend-wasm');
    const be = await createWasmBackend({ threads: 1 });
    await verifyCases({ cases, backends: [be], goldenRoot: GOLDEN, dtypes: ['f32'] });
    const after = be.liveBytes;
    await verifyCases({ cases, backends: [be], goldenRoot: GOLDEN, dtypes: ['f32'] });
    expect(be.liveBytes).toBe(after);
    await be.close();
  });
});

describe('benchmark cases', () => {
  it('every case sets up, runs and disposes on the WASM backend at a small size', async () => {
    const { createWasmBackend } = await import('@lowrank/backend-wasm');
    const { benchCases } = await import('@lowrank/harness');
    const be = await createWasmBackend({ threads: 2 });
    const before = be.liveBytes;
    const records = await benchCases({
      cases,
      backends: [be],
      sizes: [40],
      timeMs: 5,
      warmupMs: 1,
      dtypes: ['f32', 'f64'],
    });
    expect(records.filter((r) => r.status !== 'ok').map((r) => `${r.case} ${r.message}`)).toEqual([]);
    expect(new Set(records.map((r) => r.case)).size).toBe(cases.length);
    expect(
      records
        .filter((r) => r.case === 'primitives/gemm')
        .every((r) => r.accuracy !== undefined && r.accuracy.value! < 1),
    ).toBe(true);
    const scratchAndNothingElse = be.liveBytes - before;
    expect(scratchAndNothingElse).toBeLessThan(4 << 20); // inputs were disposed; only per-thread GEMM scratch stays
    await be.close();
  });
});
