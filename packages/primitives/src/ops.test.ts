import { createRefBackend } from '@lowrank/backend-ref';
import { describe, expect, it } from 'vitest';
import {
  ArgumentError,
  DTypeError,
  DisposedError,
  NonFiniteError,
  ShapeError,
  UnsupportedError,
  assertFinite,
  hostTensor,
  ops,
  sizeOf,
  poisson2d,
  sparsePattern,
  sweepOrder,
  transposePattern,
  youngOmega,
  wrapTensor,
} from '@lowrank/core';

const be = createRefBackend();
const other = createRefBackend();
const m = (r: number, c: number) => be.upload(hostTensor('f64', [r, c]));

describe('argument checking in ops (one place for every backend)', () => {
  it('names the operands when gemm inner dimensions differ', async () => {
    await expect(ops.gemm(be, await m(3, 4), await m(5, 2))).rejects.toThrow(ShapeError);
    await expect(ops.gemm(be, await m(3, 4), await m(5, 2))).rejects.toThrow(/op\(a\) is 3×4 but op\(b\) is 5×2/);
    await expect(ops.gemm(be, await m(3, 4), await m(3, 2), { transA: true })).resolves.toBeDefined();
  });
  it('rejects a c of the wrong shape, non-finite α, β without c, foreign tensors', async () => {
    await expect(ops.gemm(be, await m(2, 2), await m(2, 2), { c: await m(3, 2) })).rejects.toThrow(
      /c has shape \[3×2\], expected \[2×2\]/,
    );
    await expect(ops.gemm(be, await m(2, 2), await m(2, 2), { alpha: NaN })).rejects.toThrow(ArgumentError);
    await expect(ops.gemm(be, await m(2, 2), await m(2, 2), { beta: 1 })).rejects.toThrow(/no c was given/);
    await expect(ops.gemm(be, await m(2, 2), await other.upload(hostTensor('f64', [2, 2])))).rejects.toThrow(
      /b is not a tensor of backend 'ref'/,
    );
  });
  it('checks ranks, batch, vector lengths and reduce on empty extents', async () => {
    const v = await be.upload(hostTensor('f64', [3]));
    await expect(ops.gemm(be, v, await m(3, 3))).rejects.toThrow(/a must have rank 2/);
    const b3 = (n: number) => be.upload(hostTensor('f64', [n, 2, 2]));
    await expect(ops.batchedGemm(be, await b3(2), await b3(3))).rejects.toThrow(/batch 2 but b has batch 3/);
    await expect(ops.gemv(be, await m(3, 4), v)).rejects.toThrow(/x has shape \[3\], expected \[4\]/);
    await expect(ops.dot(be, v, await be.upload(hostTensor('f64', [4])))).rejects.toThrow(
      /x has 3 elements but y has 4/,
    );
    await expect(ops.reduce(be, 'max', await m(3, 0), 'rows')).rejects.toThrow(/empty row/);
    await expect(ops.reduce(be, 'sum', await m(3, 0), 'rows')).resolves.toBeDefined();
    await expect(ops.unary(be, 'cube' as never, v)).rejects.toThrow(/op must be one of/);
    await expect(ops.binary(be, 'add', v, await m(1, 3))).rejects.toThrow(ShapeError);
  });
  it('fft and dct take power-of-two rows only, name the domain, and keep empty extents empty', async () => {
    await expect(ops.fft(be, await m(2, 12), await m(2, 12))).rejects.toThrow(
      /fft needs a power-of-two length along the last axis \(radix 2\), got 12/,
    );
    await expect(ops.dct(be, await m(3, 6))).rejects.toThrow(ArgumentError);
    await expect(ops.dct(be, await m(3, 8), { type: 1 })).rejects.toThrow(
      /dct type 1 needs a length 2\^k \+ 1 .*, got 8/,
    );
    await expect(ops.dct(be, await m(3, 1), { type: 1 })).rejects.toThrow(/got 1/);
    await expect(ops.dct(be, await m(3, 4), { type: 3 as never })).rejects.toThrow(/dct type must be 1 or 2, got 3/);
    expect((await ops.dct(be, await m(2, 9), { type: 1 })).shape).toEqual([2, 9]);
    await expect(ops.fft(be, await m(2, 8), await m(2, 4))).rejects.toThrow(/im has shape \[2×4\] but re has \[2×8\]/);
    await expect(ops.dct(be, await be.upload(hostTensor('f64', [])))).rejects.toThrow(/rank ≥ 1/);
    expect((await ops.dct(be, await m(0, 8))).shape).toEqual([0, 8]);
    expect((await ops.fft(be, await m(3, 0), await m(3, 0))).re.shape).toEqual([3, 0]);
  });
  it('kalman checks shapes, finiteness and precisions, and names a predicted covariance that is not definite', async () => {
    const t = (shape: number[], data: number[]) => be.upload(hostTensor('f64', shape, Float64Array.from(data)));
    const eye = [1, 0, 0, 1];
    const model = async (p0: number[], w: number[]) => ({
      a: await t([3, 2, 2], [...eye, ...eye, ...eye]),
      q: await t([3, 2, 2], Array(12).fill(0)),
      h: await t([2], [1, 0]),
      y: await t([1, 3], [0.5, 0.2, -0.1]),
      w: await t([1, 3], w),
      m0: await t([2], [0, 0]),
      p0: await t([2, 2], p0),
    });
    const ok = await model([2, 0.5, 0.5, 1], [1, 0, 4]);
    const r = await ops.kalman(be, ok);
    expect(r.mean.shape).toEqual([1, 3, 2]);
    expect(r.cov.shape).toEqual([1, 3, 2, 2]);
    await expect(ops.kalman(be, { ...ok, h: await t([3], [1, 0, 0]) })).rejects.toThrow(/h must be \[2\], got \[3\]/);
    await expect(ops.kalman(be, { ...ok, y: await t([1, 2], [0, 0]) })).rejects.toThrow(ShapeError);
    await expect(ops.kalman(be, await model([2, 0.5, 0.5, 1], [1, -1, 4]))).rejects.toThrow(/precisions must be ≥ 0/);
    await expect(ops.kalman(be, { ...ok, y: await t([1, 3], [0, NaN, 0]) })).rejects.toThrow(NonFiniteError);
    await expect(ops.kalman(be, await model([1, 1, 1, 1], [1, 0, 4]))).rejects.toThrow(
      /P₀ must be symmetric positive definite/,
    );
    // Q outside its domain (negative definite) cancels the prior: the predicted covariances from step 1 on are
    // zero, and the smoother, running back, meets step 2 first.
    const q = await t([3, 2, 2], [0, 0, 0, 0, -1, 0, 0, -1, 0, 0, 0, 0]);
    const none = await t([1, 3], [0, 0, 0]);
    await expect(ops.kalman(be, { ...ok, p0: await t([2, 2], eye), q, w: none })).rejects.toThrow(
      /step 2 is not positive definite/,
    );
  });

  it('reshape keeps the row-major order and refuses a different element count', async () => {
    const x = await be.upload(hostTensor('f64', [2, 3], [1, 2, 3, 4, 5, 6]));
    const y = await ops.reshape(be, x, [3, 2]);
    expect(y.shape).toEqual([3, 2]);
    expect(Array.from((await be.download(y)).data)).toEqual([1, 2, 3, 4, 5, 6]);
    await expect(ops.reshape(be, x, [4, 2])).rejects.toThrow(/cannot reshape \[2×3\] \(6 elements\) to \[4×2\] \(8\)/);
  });
  it('track releases what was made since the mark, except what it keeps; copy owns new memory', async () => {
    const before = await m(2, 2);
    const release = be.track();
    const [scratch, kept] = [await m(2, 2), await ops.copy(be, before)];
    release(kept);
    await expect(be.download(scratch)).rejects.toThrow(DisposedError);
    expect(Array.from((await be.download(kept)).data)).toEqual([0, 0, 0, 0]);
    expect((await be.download(before)).shape).toEqual([2, 2]);
  });

  it('sparse patterns name the offending entry; sddmm checks the factors against the pattern', async () => {
    expect(() => sparsePattern(3, 4, [0, 3], [1, 1])).toThrow(/entry 1 has row 3, outside \[0, 3\)/);
    expect(() => sparsePattern(3, 4, [0, 1.5], [1, 1])).toThrow(/entry 1 has row 1.5/);
    expect(() => sparsePattern(3, 4, [0], [1, 2])).toThrow(/1 row indices but 2 column indices/);
    expect(() => sparsePattern(-1, 4, [], [])).toThrow(/m must be a non-negative integer/);
    const p = sparsePattern(3, 4, [2, 0], [3, 1]);
    const u = await be.upload(hostTensor('f64', [3, 2], [1, 2, 3, 4, 5, 6]));
    const v = await be.upload(hostTensor('f64', [4, 2], [1, 0, 0, 1, 1, 1, 2, 2]));
    expect(Array.from((await be.download(await ops.sddmm(be, u, v, p, { alpha: 2 }))).data)).toEqual([
      2 * (5 * 2 + 6 * 2),
      2 * 2,
    ]);
    await expect(ops.sddmm(be, v, u, p)).rejects.toThrow(/u has shape \[4×2\], expected \[3×2\]/);
    expect((await ops.sddmm(be, u, v, sparsePattern(3, 4, [], []))).shape).toEqual([0]);
    // SpMM through the transposed pattern: (Sᵀ·U) for S with values [10, 1] at (2, 3) and (0, 1).
    const t = transposePattern(p);
    expect([t.m, t.n, Array.from(t.rowPtr), Array.from(t.rowOrder)]).toEqual([4, 3, [0, 0, 1, 1, 2], [1, 0]]);
    const sv = await ops.spmm(be, t, await be.upload(hostTensor('f64', [2], [10, 1])), u);
    expect(Array.from((await be.download(sv)).data)).toEqual([0, 0, 1, 2, 0, 0, 50, 60]);
    await expect(ops.spmm(be, t, await be.upload(hostTensor('f64', [3])), u)).rejects.toThrow(
      /vals has shape \[3\], expected \[2\]/,
    );
  });
  it("SOR checks its domain and order, and at Young's ω converges faster than Gauss–Seidel", async () => {
    const a = poisson2d(8, 0.5);
    const n = 64;
    const vals = await be.upload(hostTensor('f64', [a.pattern.nnz], a.vals));
    const b = await be.upload(hostTensor('f64', [n], new Float64Array(n).fill(1)));
    const order = sweepOrder(a.pattern, 'multicolor');
    expect(Array.from(order.classPtr)).toEqual([0, 32, 64]); // red–black
    const x = be.zeros('f64', [n]);
    await expect(ops.sor(be, a.pattern, vals, b, x, { omega: 2, sweeps: 1, order })).rejects.toThrow(
      /SOR's ω must lie in \(0, 2\), got 2/,
    );
    await expect(ops.sor(be, a.pattern, vals, b, x, { omega: 1, sweeps: 1.5, order })).rejects.toThrow(/sweeps/);
    const badOrder = { ...order, classPtr: Int32Array.from([0, 64]) };
    await expect(ops.sor(be, a.pattern, vals, b, x, { omega: 1, sweeps: 1, order: badOrder })).rejects.toThrow(
      /rows 0 and 1 share an entry but are in one class/,
    );
    const noDiagonal = await be.upload(
      hostTensor(
        'f64',
        [a.pattern.nnz],
        a.vals.map((v) => (v > 0 ? 0 : v)),
      ),
    );
    await expect(ops.sor(be, a.pattern, noDiagonal, b, x, { omega: 1, sweeps: 1, order })).rejects.toThrow(
      /SOR needs a finite nonzero diagonal; row 0's is not/,
    );
    // Residual after 20 sweeps from 0: Young's ω beats ω = 1 by orders of magnitude on this SPD system.
    const residual = async (omega: number) => {
      const y = be.zeros('f64', [n]);
      await ops.sor(be, a.pattern, vals, b, y, { omega, sweeps: 20, order });
      const r = await ops.spmm(be, a.pattern, vals, await ops.reshape(be, y, [n, 1]));
      return ops.nrm2(be, await ops.axpy(be, -1, await ops.reshape(be, b, [n, 1]), r));
    };
    expect(await residual(youngOmega(8, 0.5).omega)).toBeLessThan((await residual(1)) / 100);
  });
  it('a dtype the backend has no kernel for is an UnsupportedError, not a fallback', async () => {
    expect(() => be.zeros('f32', [2])).toThrow(DTypeError);
    const fake = { ...be, capabilities: {}, kernels: be.kernels, zeros: be.zeros.bind(be) } as typeof be;
    const t = await be.upload(hostTensor('f64', [2]));
    await expect(ops.nrm2(fake, { ...t, backend: fake } as never)).rejects.toThrow(UnsupportedError);
  });
  it('rejects negative, fractional and absurd sizes and mismatched data', () => {
    expect(() => sizeOf([2, -1])).toThrow(/shape\[1\] must be a non-negative integer/);
    expect(() => sizeOf([2.5])).toThrow(ArgumentError);
    expect(() => sizeOf([1 << 20, 1 << 20])).toThrow(/more than the limit/);
    expect(() => hostTensor('f64', [2, 2], [1, 2, 3])).toThrow(/data has 3 elements/);
    expect(() => wrapTensor([3], new Float64Array(2))).toThrow(ShapeError);
  });
  it('assertFinite names the first bad element', () => {
    expect(() => assertFinite('A', [1, 2, Infinity])).toThrow(NonFiniteError);
    expect(() => assertFinite('A', [1, NaN])).toThrow(/A\[1\] is NaN/);
    expect(() => assertFinite('A', [1, 2])).not.toThrow();
  });
  it('random validates its stream and a disposed tensor cannot be used', async () => {
    await expect(ops.random(be, 'f64', [3], { dist: 'normal', seed: -2 })).rejects.toThrow(ArgumentError);
    await expect(ops.random(be, 'f64', [3], { dist: 'normal', seed: 1, offset: -1 })).rejects.toThrow(/offset/);
    const t = await be.upload(hostTensor('f64', [2]));
    be.dispose(t);
    await expect(ops.nrm2(be, t)).rejects.toThrow(DisposedError);
  });
});

describe('completeOrthonormal', () => {
  /** Columns `cols` of the rows×rows orthogonal DCT-II basis, as a rows×cols.length matrix. */
  const dct = (rows: number, cols: readonly number[]) => {
    const x = new Float64Array(rows * cols.length);
    for (let t = 0; t < rows; t++)
      cols.forEach((j, c) => {
        x[t * cols.length + c] =
          Math.sqrt((j === 0 ? 1 : 2) / rows) * Math.cos((Math.PI * (2 * t + 1) * j) / (2 * rows));
      });
    return x;
  };
  const worstOrthogonality = (x: Float64Array, rows: number, k: number) => {
    let worst = 0;
    for (let a = 0; a < k; a++)
      for (let b = 0; b < k; b++) {
        let d = 0;
        for (let t = 0; t < rows; t++) d += x[t * k + a] * x[t * k + b];
        worst = Math.max(worst, Math.abs(d - (a === b ? 1 : 0)));
      }
    return worst;
  };

  it.each([
    // A square basis whose missing directions have no coordinate above ½ (entries ≤ √(2/17) ≈ 0.34).
    { rows: 17, k: 17, zeroed: [5, 11] },
    // Tall, most columns missing (a rank-3 factor of a 60×20 matrix), and every column missing (A = 0).
    { rows: 60, k: 20, zeroed: Array.from({ length: 17 }, (_, i) => i + 3) },
    { rows: 9, k: 4, zeroed: [0, 1, 2, 3] },
  ])('completes $k columns of $rows rows with $zeroed.length missing to orthonormal ones', ({ rows, k, zeroed }) => {
    const x = dct(
      rows,
      Array.from({ length: k }, (_, j) => (j * 7) % rows),
    );
    for (const j of zeroed) for (let t = 0; t < rows; t++) x[t * k + j] = 0;
    ops.completeOrthonormal(x, rows, k, zeroed);
    expect(worstOrthogonality(x, rows, k)).toBeLessThan(rows * 2.3e-16);
  });
});
