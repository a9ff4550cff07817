import {
  fillRandom,
  hostTensor,
  ops,
  poisson2d,
  sweepOrder,
  ArgumentError,
  BackendUnavailableError,
  DisposedError,
  NonFiniteError,
  NumericalError,
} from '@lowrank/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GUARD_SLACK_BYTES, WasmHeap } from './heap.ts';
import { detectWasmFeatures } from './loader.ts';
import { splitRange } from './kernel-context.ts';
import { createWasmBackend, type WasmBackend } from './index.ts';
import { THREADED_N as FACTOR_THREADED_N } from './kernels/lu.ts';
import { THREADED_N as SYEV_THREADED_N } from './kernels/syev.ts';
import { THREADED_K as SVD_THREADED_K } from './kernels/svd.ts';
import { SYMMETRIC_ROWS } from './kernels/gemm.ts';

/** Where two results first differ in bits, −1 if nowhere: toEqual on 10⁵ elements spends minutes diffing a failure. */
function firstDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Math.min(a.length, b.length);
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return i;
  return -1;
}

describe('WasmHeap', () => {
  it('aligns to 64 bytes, reuses freed blocks, coalesces neighbours and grows memory', () => {
    const memory = new WebAssembly.Memory({ initial: 2, maximum: 1000 });
    const heap = new WasmHeap(memory);
    const a = heap.alloc(10),
      b = heap.alloc(100),
      c = heap.alloc(64);
    expect([a % 64, b % 64, c % 64]).toEqual([0, 0, 0]);
    expect(b - a).toBe(64);
    heap.free(a);
    heap.free(b);
    expect(heap.alloc(150)).toBe(a); // a and b merged into one 192-byte block
    const big = heap.alloc(1 << 20);
    expect(memory.buffer.byteLength).toBeGreaterThanOrEqual(big + (1 << 20));
    heap.free(big);
    heap.free(c);
    expect(heap.liveBytes).toBe(192);
    expect(() => heap.alloc(2 ** 33)).toThrow(/4 GiB/);
    expect(() => heap.alloc(-(2 ** 31) + 64)).toThrow(/not a byte count/); // a size wrapped in i32
    expect(() => heap.alloc(1.5)).toThrow(ArgumentError);
  });
});

describe('WasmHeap guard mode', () => {
  it('finds a write past the end of a block, and past a smaller request in a reused block', () => {
    const memory = new WebAssembly.Memory({ initial: 2, maximum: 100 });
    const heap = new WasmHeap(memory, true);
    const a = heap.alloc(100),
      b = heap.alloc(8);
    expect(heap.overrun()).toBeNull();
    new Uint8Array(memory.buffer)[a + 99] = 1;
    expect(heap.overrun()).toBeNull();
    new Uint8Array(memory.buffer)[a + 100] = 1;
    expect(heap.overrun()).toMatch(/a block of 100 bytes at \d+ was written 0 bytes past its end/);
    heap.free(a);
    heap.arm(b, 4);
    new Uint8Array(memory.buffer)[b + 5] = 7;
    expect(heap.overrun()).toMatch(/a block of 4 bytes at \d+ was written 1 bytes past its end/);
  });

  it('guards the first GUARD_SLACK_BYTES of a large reused block past a small request, not all of it', () => {
    // All of a 1 MiB slack would be filled and scanned on every kernel call after a small one reused it.
    const memory = new WebAssembly.Memory({ initial: 2, maximum: 100 });
    const heap = new WasmHeap(memory, true);
    const big = heap.alloc(1 << 20);
    heap.arm(big, 10);
    const view = new Uint8Array(memory.buffer);
    view[big + 10 + GUARD_SLACK_BYTES + 64] = 3; // past the window: scratch the kernel may not own, unchecked
    expect(heap.overrun()).toBeNull();
    view[big + 9 + GUARD_SLACK_BYTES - 4] = 3; // the window's last whole word
    expect(heap.overrun()).toMatch(new RegExp(`written ${GUARD_SLACK_BYTES - 5} bytes past its end`));
  });
});

describe('WASM memory safety (guard mode)', () => {
  let be: WasmBackend;
  beforeAll(async () => {
    be = await createWasmBackend({ threads: 1, guard: true });
  });
  afterAll(async () => {
    await be.close();
  });

  it('QR of tall matrices with few columns stays inside its scratch; later results are right', async () => {
    // The T-block clear of the last panel ran past the scratch for k < 11 columns (issue #14 item 1).
    for (const [m, n] of [
      [50, 7],
      [20, 3],
      [12, 10],
      [33, 1],
    ]) {
      const a = await be.upload(hostTensor('f32', [m, n], fillRandom({ seed: m, stream: n }, 'normal', 'f32', m * n)));
      await ops.qr(be, a);
    }
    const a = await be.upload(hostTensor('f64', [3, 3], [2, 0, 0, 0, 3, 0, 0, 0, 4]));
    const { r } = await ops.qr(be, a);
    expect(Array.from((await be.download(r)).data).map(Math.abs)).toEqual([2, 0, 0, 0, 3, 0, 0, 0, 4]);
  });

  it('batched GEMM meets its γ_{k+2} bound on the direct and packed paths, every transpose, α and β', async () => {
    // [batch, m, n, k]: ragged tiles (5×11), whole tiles (16³), 1×1×1, a short-and-deep product, and one past
    // the direct path's 24 KiB (70×45×60 goes through gemm()); k = 0 and α = 0 leave β·C.
    const shapes = [
      [3, 5, 11, 7],
      [2, 16, 16, 16],
      [4, 1, 1, 1],
      [2, 17, 8, 33],
      [2, 70, 45, 60],
      [2, 6, 5, 0],
    ];
    for (const dtype of ['f32', 'f64'] as const) {
      const u = dtype === 'f32' ? 2 ** -24 : 2 ** -53;
      for (const [batch, m, n, k] of shapes) {
        for (const [transA, transB] of [
          [false, false],
          [true, false],
          [false, true],
          [true, true],
        ]) {
          for (const alpha of k === 0 ? [1] : [0.75, 0]) {
            const beta = -0.5;
            const x = fillRandom({ seed: m, stream: 0 }, 'normal', dtype, batch * m * k);
            const y = fillRandom({ seed: n, stream: 1 }, 'normal', dtype, batch * k * n);
            const c0 = fillRandom({ seed: k, stream: 2 }, 'normal', dtype, batch * m * n);
            const up = (d: ArrayLike<number>, s: number[]) => be.upload(hostTensor(dtype, s, Float64Array.from(d)));
            const c = await up(c0, [batch, m, n]);
            const [sa, sb] = [transA ? [batch, k, m] : [batch, m, k], transB ? [batch, n, k] : [batch, k, n]];
            await ops.batchedGemm(be, await up(x, sa), await up(y, sb), { c, alpha, beta, transA, transB });
            const got = (await be.download(c)).data;
            let worst = 0;
            for (let t = 0; t < batch; t++) {
              for (let i = 0; i < m; i++) {
                for (let j = 0; j < n; j++) {
                  let s = 0,
                    mag = 0;
                  for (let l = 0; l < k; l++) {
                    const av = x[t * m * k + (transA ? l * m + i : i * k + l)];
                    const bv = y[t * k * n + (transB ? j * k + l : l * n + j)];
                    s += av * bv;
                    mag += Math.abs(av * bv);
                  }
                  const q = t * m * n + i * n + j;
                  const want = alpha * s + beta * c0[q];
                  const bound = (k + 2) * u * (Math.abs(alpha) * mag + Math.abs(beta * c0[q])) + Number.MIN_VALUE;
                  worst = Math.max(worst, Math.abs(got[q] - want) / bound);
                }
              }
            }
            expect(worst, `${dtype} ${[batch, m, n, k]} tA=${transA} tB=${transB} α=${alpha}`).toBeLessThanOrEqual(1);
          }
        }
      }
    }
  });

  it('SOR refuses a zero or non-finite diagonal in the kernel, before writing x', async () => {
    const a = poisson2d(3);
    const order = sweepOrder(a.pattern, 'lexicographic');
    for (const [dtype, bad] of [
      ['f64', 0],
      ['f32', Infinity],
    ] as const) {
      const vals = Float64Array.from(a.vals);
      vals[a.pattern.rowPtr[4] + 2] = bad; // row 4's entries in CSR order: south, west, diagonal, …
      const x = await be.upload(hostTensor(dtype, [9], new Float64Array(9).fill(7)));
      await expect(
        ops.sor(
          be,
          a.pattern,
          await be.upload(hostTensor(dtype, [a.pattern.nnz], vals)),
          await be.upload(hostTensor(dtype, [9], new Float64Array(9).fill(1))),
          x,
          { omega: 1.2, sweeps: 2, order },
        ),
      ).rejects.toThrow(/SOR needs a finite nonzero diagonal; row 4's is not/);
      expect(Array.from((await be.download(x)).data)).toEqual(new Array(9).fill(7));
    }
  });

  it('refuses a dtype it does not hold at the boundary, with a typed error', async () => {
    expect(() => be.zeros('f128' as never, [3])).toThrow(/wasm: holds f32 and f64 tensors only, got 'f128'/);
    expect(() => be.zeros('f16', [3])).toThrow(/got f16/);
    await expect(be.upload({ dtype: 'f128' as never, shape: [2], data: new Float64Array(2) })).rejects.toThrow(/f128/);
  });
});

describe('splitRange', () => {
  it('covers [0, n) with grain-aligned starts', () => {
    expect(splitRange(10, 2, 4)).toEqual([
      [0, 4],
      [4, 10],
    ]);
    expect(splitRange(3, 4, 4)).toEqual([[0, 3]]);
    expect(splitRange(0, 2, 1)).toEqual([]);
  });
});

describe('WasmBackend', () => {
  let one: WasmBackend, two: WasmBackend;
  beforeAll(async () => {
    one = await createWasmBackend({ threads: 1 });
    two = await createWasmBackend({ threads: 2 });
  });
  afterAll(async () => {
    await one.close();
    await two.close();
  });

  it('reports its features, variant and thread count', async () => {
    const f = await detectWasmFeatures();
    expect(f.simd).toBe(true);
    expect(two.info.details.threads).toBe(f.threads ? 2 : 1);
    expect(one.info.description).toMatch(/^wasm \((simd128|relaxed-simd), 1 thread\)$/);
  });

  it('gives bit-identical GEMM results on 1 and 2 threads (rows are split, not sums)', async () => {
    for (const dtype of ['f32', 'f64'] as const) {
      const [m, n, k] = [301, 130, 257];
      const a = hostTensor(dtype, [k, m], fillRandom({ seed: 1, stream: 0 }, 'normal', dtype, m * k));
      const b = hostTensor(dtype, [k, n], fillRandom({ seed: 1, stream: 1 }, 'normal', dtype, k * n));
      const run = async (be: WasmBackend) =>
        (await be.download(await ops.gemm(be, await be.upload(a), await be.upload(b), { transA: true }))).data;
      expect(firstDifference(await run(two), await run(one))).toBe(-1);
      const batch = async (be: WasmBackend) => {
        const x = hostTensor(dtype, [5, 40, 40], fillRandom({ seed: 2, stream: 0 }, 'normal', dtype, 8000));
        return (await be.download(await ops.batchedGemm(be, await be.upload(x), await be.upload(x)))).data;
      };
      expect(firstDifference(await batch(two), await batch(one))).toBe(-1);
    }
  });

  it('computes AᵀA and A·Aᵀ from one buffer as the upper block triangle and its transpose, with the full bits', async () => {
    // The full product comes from a copy of A (two buffers), so it takes the general path.
    for (const dtype of ['f32', 'f64'] as const) {
      for (const [rows, cols] of [
        [257, 2 * SYMMETRIC_ROWS],
        [130, 301],
      ]) {
        const a = hostTensor(dtype, [rows, cols], fillRandom({ seed: 4, stream: rows }, 'normal', dtype, rows * cols));
        for (const o of [{ transA: true }, { transB: true }]) {
          for (const be of [one, two]) {
            const x = await be.upload(a);
            const sym = (await be.download(await ops.gemm(be, x, x, { ...o, alpha: 0.5 }))).data;
            const full = (await be.download(await ops.gemm(be, x, await be.upload(a), { ...o, alpha: 0.5 }))).data;
            expect(firstDifference(sym, full)).toBe(-1);
          }
        }
      }
    }
  });

  it('solves and forms the eigenvectors of syev on 2 and 3 threads with the bits of one thread', async () => {
    // Past the glue's threading order and odd: divide and conquer's halves differ in size, the last column range
    // ends mid-vector, in the scalar tail. Zero (stedc's early way out) and constant (everything deflates but
    // one value) take the two-thread phases' other branches. Three threads split a pair of the reduction's parts,
    // which the head then adds; values alone take the reduction without the vectors' phases.
    const n = SYEV_THREADED_N + 17;
    const three = await createWasmBackend({ threads: 3 });
    for (const dtype of ['f32', 'f64'] as const) {
      const values = async (be: WasmBackend, a: Float64Array) =>
        (
          await be.download(
            (await ops.syev(be, await be.upload(hostTensor(dtype, [n, n], a)), { valuesOnly: true })).values,
          )
        ).data;
      const x = fillRandom({ seed: 3, stream: 0 }, 'normal', 'f64', n * n);
      for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) x[j * n + i] = x[i * n + j];
      for (const special of [0, 1]) {
        const c = hostTensor(dtype, [n, n], new Float64Array(n * n).fill(special));
        const run = async (be: WasmBackend) =>
          (await be.download((await ops.syev(be, await be.upload(c))).vectors)).data;
        expect(firstDifference(await run(two), await run(one))).toBe(-1);
      }
      const run = async (be: WasmBackend) => {
        const f = await ops.syev(be, await be.upload(hostTensor(dtype, [n, n], x)));
        return [Array.from((await be.download(f.values)).data), Array.from((await be.download(f.vectors)).data)];
      };
      const [w1, z1] = await run(one);
      const [w2, z2] = await run(two);
      expect(firstDifference(w2, w1)).toBe(-1);
      expect(firstDifference(z2, z1)).toBe(-1);
      const [w3, z3] = await run(three);
      expect(firstDifference(w3, w1)).toBe(-1);
      expect(firstDifference(z3, z1)).toBe(-1);
      const v1 = await values(one, x);
      expect(firstDifference(await values(two, x), v1)).toBe(-1);
      expect(firstDifference(await values(three, x), v1)).toBe(-1);
      // Only the lower triangle is read: NaN above it changes nothing (the start's tiles copy a corner of it).
      const lower = Float64Array.from(x, (v, i) => (i % n > Math.floor(i / n) ? NaN : v));
      expect(firstDifference(await values(two, lower), v1)).toBe(-1);
      // and they are eigenvectors: ‖A·z − w·z‖ small for the largest pair
      let r = 0;
      for (let i = 0; i < n; i++) {
        let az = 0;
        for (let k = 0; k < n; k++) az += x[i * n + k] * z1[k * n];
        r = Math.max(r, Math.abs(az - w1[0] * z1[i * n]));
      }
      expect(r).toBeLessThan((dtype === 'f32' ? 1e-4 : 1e-12) * Math.abs(w1[0]));
    }
    await three.close();
  });

  it('forms the Gram matrices of the SVD on 2 and 3 threads with the bits of one thread', async () => {
    // Past the glue's threading order, with a last column block of G short of 64 columns; plain Jacobi on A forms G
    // in its first sweeps and near its end.
    const [m, n] = [SVD_THREADED_K + 61, SVD_THREADED_K + 14];
    const three = await createWasmBackend({ threads: 3 });
    for (const dtype of ['f32', 'f64'] as const) {
      const a = hostTensor(dtype, [m, n], fillRandom({ seed: 6, stream: 0 }, 'normal', dtype, m * n));
      const run = async (be: WasmBackend) => {
        const f = await ops.svd(be, await be.upload(a));
        return [f.sweeps, ...(await Promise.all([f.u, f.s, f.v].map(async (t) => (await be.download(t)).data)))];
      };
      const [sweeps1, ...one1] = await run(one);
      expect(sweeps1).toBeGreaterThan(2);
      for (const be of [two, three]) {
        const [sweeps, ...other] = await run(be);
        expect(sweeps).toBe(sweeps1);
        other.forEach((x, i) => expect(firstDifference(x as ArrayLike<number>, one1[i] as ArrayLike<number>)).toBe(-1));
      }
    }
    await three.close();
  });

  it('factors LU and Cholesky on the look-ahead schedule with the bits of one thread, and reports failures from it', async () => {
    // Past the threading order, odd (ragged last panel and column ranges), LU wide and tall.
    const n = FACTOR_THREADED_N + 37;
    for (const dtype of ['f32', 'f64'] as const) {
      for (const [m, k] of [
        [n, n],
        [n, n + 70],
        [n + 70, n],
      ]) {
        const x = hostTensor(dtype, [m, k], fillRandom({ seed: m, stream: k }, 'normal', dtype, m * k));
        const run = async (be: WasmBackend) => {
          const f = await ops.lu(be, await be.upload(x));
          return [(await be.download(f.lu)).data, f.pivots];
        };
        const [[lu2, piv2], [lu1, piv1]] = [await run(two), await run(one)];
        expect(firstDifference(piv2, piv1)).toBe(-1);
        expect(firstDifference(lu2, lu1)).toBe(-1);
      }
      const g = fillRandom({ seed: 5, stream: 0 }, 'normal', 'f64', n * n);
      const spd = new Float64Array(n * n);
      for (let i = 0; i < n; i++)
        for (let j = 0; j <= i; j++) {
          let s = i === j ? n : 0;
          for (let l = 0; l < n; l++) s += g[i * n + l] * g[j * n + l];
          spd[i * n + j] = spd[j * n + i] = s / n;
        }
      const chol = async (be: WasmBackend, a: Float64Array) =>
        Array.from((await be.download(await ops.cholesky(be, await be.upload(hostTensor(dtype, [n, n], a))))).data);
      expect(firstDifference(await chol(two, spd), await chol(one, spd))).toBe(-1);
      // A negative pivot in a late panel (row 250) is found on the look-ahead thread; a zero column makes LU singular there.
      const bad = Float64Array.from(spd);
      bad[250 * n + 250] = -1;
      for (const be of [one, two]) await expect(chol(be, bad)).rejects.toThrow(/leading minor of order 251 /);
      // NaN in the last rows reaches the start's range on the second thread.
      const nan = Float64Array.from(spd);
      nan[(n - 2) * n + 3] = NaN;
      for (const be of [one, two]) {
        await expect(chol(be, nan)).rejects.toThrow(NonFiniteError);
        await expect(ops.lu(be, await be.upload(hostTensor(dtype, [n, n], nan)))).rejects.toThrow(NonFiniteError);
      }
      const sing = Float64Array.from(spd);
      for (let i = 0; i < n; i++) sing[i * n + 250] = 0;
      for (const be of [one, two])
        expect((await ops.lu(be, await be.upload(hostTensor(dtype, [n, n], sing)))).singularAt).toBe(250);
    }
  });

  it('splits the trailing updates of QR and the columns of Q between threads with the bits of one thread', async () => {
    const n = FACTOR_THREADED_N + 37;
    for (const dtype of ['f32', 'f64'] as const) {
      for (const [m, k] of [
        [n, n],
        [n + 70, n],
        [n, n + 70],
      ]) {
        const x = hostTensor(dtype, [m, k], fillRandom({ seed: k, stream: m }, 'normal', dtype, m * k));
        const run = async (be: WasmBackend) => {
          const f = await ops.qr(be, await be.upload(x));
          return [(await be.download(f.q)).data, (await be.download(f.r)).data];
        };
        const [[q2, r2], [q1, r1]] = [await run(two), await run(one)];
        expect(firstDifference(q2, q1)).toBe(-1);
        expect(firstDifference(r2, r1)).toBe(-1);
      }
    }
  });

  it('splits Kalman sequences between threads with the bits of one thread, and reports a failing step from either', async () => {
    // 5 sequences × 4000 steps: past the 2^14 sequence-steps where the glue takes the threads.
    const [batch, steps, m] = [5, 4000, 2];
    for (const dtype of ['f32', 'f64'] as const) {
      const a = new Float64Array(steps * 4),
        q = new Float64Array(steps * 4);
      for (let j = 0; j < steps; j++) {
        a.set(j === 0 ? [1, 0, 0, 1] : [0.99, 0.01, -0.02, 0.97], j * 4);
        q.set(j === 0 ? [0, 0, 0, 0] : [0.02, 0.001, 0.001, 0.03], j * 4);
      }
      const w = Float64Array.from({ length: batch * steps }, (_, i) => (i % 7 === 3 ? 0 : 4));
      const run = async (be: WasmBackend, qs = q) => {
        const up = (shape: number[], data: ArrayLike<number>) =>
          be.upload(hostTensor(dtype, shape, Float64Array.from(data)));
        const out = await ops.kalman(be, {
          a: await up([steps, m, m], a),
          q: await up([steps, m, m], qs),
          h: await up([m], [1, 0.5]),
          y: await up([batch, steps], fillRandom({ seed: 8, stream: 0 }, 'normal', dtype, batch * steps)),
          w: await up([batch, steps], w),
          m0: await up([m], [0, 0]),
          p0: await up([m, m], [1, 0.2, 0.2, 2]),
        });
        return [out.mean, out.cov, out.logLik].map(async (t) => Array.from((await be.download(t)).data));
      };
      const [threaded, single] = [await run(two), await run(one)];
      for (let i = 0; i < 3; i++) expect(await threaded[i]).toEqual(await single[i]);
      // Q made negative definite at step 3000 (outside the domain) turns every sequence's P⁻ there indefinite:
      // the threaded path reports it as the single thread does.
      const bad = Float64Array.from(q);
      bad.set([-50, 0, 0, -50], 3000 * 4);
      await expect(run(two, bad)).rejects.toThrow(NumericalError);
      await expect(run(one, bad)).rejects.toThrow(NumericalError);
    }
  });

  it('splits a multicolor SOR class between threads with the bits of one thread (and of the sequential order)', async () => {
    const a = poisson2d(363); // 131 769 unknowns: two classes of ≥ 65 536 rows, the threaded path on two threads
    const colour = sweepOrder(a.pattern, 'multicolor');
    // Visiting the rows one by one in the same sequence is the definition the classes must reproduce.
    const n = a.pattern.n;
    const sequential = { ...colour, classPtr: Int32Array.from({ length: n + 1 }, (_, i) => i) };
    for (const dtype of ['f32', 'f64'] as const) {
      const run = async (be: WasmBackend, order: typeof colour) => {
        const x = await be.upload(hostTensor(dtype, [n], fillRandom({ seed: 6, stream: 1 }, 'normal', dtype, n)));
        const b = await be.upload(hostTensor(dtype, [n], fillRandom({ seed: 6, stream: 2 }, 'normal', dtype, n)));
        const vals = await be.upload(hostTensor(dtype, [a.pattern.nnz], a.vals));
        await ops.sor(be, a.pattern, vals, b, x, { omega: 1.7, sweeps: 3, order, symmetric: true });
        return Array.from((await be.download(x)).data);
      };
      const threaded = await run(two, colour);
      expect(threaded).toEqual(await run(one, colour));
      expect(threaded).toEqual(await run(two, sequential));
    }
  });

  it('fills random tensors on several threads exactly as the TypeScript stream', async () => {
    const n = 70_000;
    const t = await ops.random(two, 'f64', [n], { dist: 'normal', seed: 123, stream: 4, offset: 2 ** 33 });
    expect(Array.from((await two.download(t)).data)).toEqual(
      Array.from(fillRandom({ seed: 123, stream: 4 }, 'normal', 'f64', n, 2 ** 33)),
    );
  });

  it('frees memory on dispose and refuses a disposed tensor', async () => {
    const before = one.liveBytes;
    const t = await one.upload(hostTensor('f32', [1000]));
    expect(one.liveBytes).toBeGreaterThan(before);
    one.dispose(t);
    expect(one.liveBytes).toBe(before);
    expect(() => t.ptr).toThrow(DisposedError);
    one.dispose(t); // twice is harmless
  });

  it('rejects a bad thread count and an unavailable relaxed-SIMD build', async () => {
    await expect(createWasmBackend({ threads: 0 })).rejects.toThrow(/threads must be an integer/);
    const f = await detectWasmFeatures();
    if (!f.relaxedSimd) await expect(createWasmBackend({ relaxedSimd: true })).rejects.toThrow(BackendUnavailableError);
    else expect((await createWasmBackend({ relaxedSimd: true, threads: 1 })).info.details.relaxedSimd).toBe(true);
  });
});
