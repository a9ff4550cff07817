/** The linear-algebra family on every backend: goldens from LAPACK, solves, LDU, and typed errors. */
import {
  ArgumentError,
  fillRandom,
  hostTensor,
  NonFiniteError,
  NumericalError,
  ops,
  ShapeError,
  type Backend,
  type DType,
} from '@lowrank/core';
import { goldenTests, guardWasmMemory, planTestBackends, skipTitle } from '@lowrank/harness';
import { createRefBackend } from '@lowrank/backend-ref';
import { createWasmBackend } from '@lowrank/backend-wasm';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cases } from './index.ts';
import { leastSquaresCase, luCase } from './factor.case.ts';
import { cholesky, choleskyQr2, choleskySolve, ldu, luSolve, solveTriangular } from './factor.ts';
import { EIG_METHODS, lanczos, symmetricEig, symmetricEigValues } from './eig.ts';
import { randomizedSvd, rankForEnergy, svd, truncatedSvd } from './svd.ts';
import { tsqr } from './tsqr.ts';
import { expm } from './expm.ts';
import { eigenvectorCondition, generalEig } from './general-eig.ts';
import { frobenius, matmul, permuteRows } from './host.ts';

const GOLDEN = fileURLToPath(new URL('../../../golden', import.meta.url));
guardWasmMemory();
const PLAN = await planTestBackends();

describe('TSQR input checks (reference backend)', () => {
  it('refuses wide matrices and mismatched operands by name', async () => {
    const be = createRefBackend();
    await expect(tsqr(be, await be.upload(hostTensor('f64', [2, 3], [1, 2, 3, 4, 5, 6])))).rejects.toThrow(
      /a must be tall \(m ≥ n\), got 2×3/,
    );
    const f = await tsqr(be, await be.upload(hostTensor('f64', [6, 2], [1, 0, 0, 1, 1, 1, 2, 0, 0, 2, 1, 3])), 2);
    await expect(f.applyQt(await be.upload(hostTensor('f64', [5, 1], [1, 2, 3, 4, 5])))).rejects.toThrow(
      /B must have 6 rows, got 5/,
    );
    await expect(f.applyQ(await be.upload(hostTensor('f64', [3, 1], [1, 2, 3])))).rejects.toThrow(
      /C must have 2 rows, got 3/,
    );
  });
});

describe('ranks and counts out of their domain are typed errors', () => {
  it('a negative, zero or fractional k, oversampling or step count names itself', async () => {
    const be = createRefBackend();
    const a = await be.upload(hostTensor('f64', [3, 2], [1, 2, 3, 4, 5, 6]));
    for (const k of [-1, 0, 1.5, NaN]) {
      await expect(truncatedSvd(be, a, k)).rejects.toThrow(/^k must be a positive integer, got/);
      await expect(randomizedSvd(be, a, k)).rejects.toThrow(ArgumentError);
      await expect(lanczos(be, (x) => ops.gemv(be, a, x), 2, k, 'f64')).rejects.toThrow(
        /^k must be a positive integer/,
      );
    }
    await expect(randomizedSvd(be, a, 1, { oversampling: -2 })).rejects.toThrow(
      /oversampling must be a non-negative integer, got -2/,
    );
    await expect(lanczos(be, (x) => x, -3, 1, 'f64')).rejects.toThrow(/n must be a positive integer, got -3/);
  });
});

describe('the general eigensolver (reference backend)', () => {
  const be = createRefBackend();
  const up = (n: number, data: ArrayLike<number>) => be.upload(hostTensor('f64', [n, n], Float64Array.from(data)));

  it("HiPPO-LegS: exact eigenvalues −1 … −N (balancing isolates them), and eigenvectors of condition ≥ 1e10 (S06's ill-posedness)", async () => {
    const n = 16;
    const a = new Float64Array(n * n);
    for (let i = 0; i < n; i++)
      for (let k = 0; k <= i; k++) a[i * n + k] = i > k ? -Math.sqrt((2 * i + 1) * (2 * k + 1)) : -(i + 1);
    const r = await generalEig(be, await up(n, a));
    const values = Array.from((await be.download(r.valuesRe)).data).sort((x, y) => x - y);
    values.forEach((v, i) => expect(v).toBe(-(n - i)));
    expect(await eigenvectorCondition(be, r.vectorsRe, r.vectorsIm)).toBeGreaterThan(1e10);
  });

  it('a rotation has the pair ±i with unit vectors whose largest component is real; a symmetric matrix κ(V) = 1', async () => {
    const r = await generalEig(be, await up(2, [0, -1, 1, 0]));
    expect(Array.from((await be.download(r.valuesIm)).data).sort()).toEqual([-1, 1]);
    const vr = (await be.download(r.vectorsRe)).data,
      vi = (await be.download(r.vectorsIm)).data;
    for (let j = 0; j < 2; j++) expect(Math.hypot(vr[j], vi[j], vr[2 + j], vi[2 + j])).toBeCloseTo(1, 14);
    const s = await generalEig(be, await up(3, [2, 1, 0, 1, 3, 1, 0, 1, 4]));
    expect(await eigenvectorCondition(be, s.vectorsRe, s.vectorsIm)).toBeCloseTo(1, 10);
  });

  it('names non-finite input', async () => {
    await expect(generalEig(be, await up(2, [1, NaN, 0, 1]))).rejects.toThrow(/geev: a contains NaN or ±Inf/);
  });
});

describe('the matrix exponential (reference backend)', () => {
  const be = createRefBackend();
  const up = (n: number, data: number[]) => be.upload(hostTensor('f64', [n, n], data));
  const host = async (x: Parameters<Backend['download']>[0]) => Array.from((await be.download(x)).data);

  it('picks the least Padé degree whose θ covers ‖A‖₁, scales beyond θ₁₃, and exp(A)·exp(−A) = I', async () => {
    expect((await expm(be, await up(2, [0, 0.01, 0, 0]))).degree).toBe(3);
    expect(await expm(be, await up(2, [0, 2, -2, 0]))).toMatchObject({ degree: 9, squarings: 0 });
    const big = await expm(be, await up(2, [0, 40, -40, 0]));
    expect(big).toMatchObject({ degree: 13, squarings: 3 }); // ⌈log₂(40/5.37)⌉
    const [c, s] = [Math.cos(40), Math.sin(40)];
    (await host(big.x)).forEach((v, i) => expect(v).toBeCloseTo([c, s, -s, c][i], 12));
    const a = fillRandom({ seed: 2, stream: 0 }, 'normal', 'f64', 25).map((x) => 2 * x);
    const e = await expm(be, await up(5, Array.from(a)));
    const back = await expm(
      be,
      await up(
        5,
        Array.from(a, (x) => -x),
      ),
    );
    const prod = await host(await ops.gemm(be, e.x, back.x));
    prod.forEach((v, i) => expect(v).toBeCloseTo(i % 6 === 0 ? 1 : 0, 9));
  });

  it('names a non-square or non-finite argument', async () => {
    await expect(expm(be, await be.upload(hostTensor('f64', [2, 3])))).rejects.toThrow(/a must be square, got \[2×3\]/);
    await expect(expm(be, await up(2, [1, NaN, 0, 1]))).rejects.toThrow(NonFiniteError);
    await expect(expm(be, await up(2, [1, Infinity, 0, 1]))).rejects.toThrow(/NaN or ±Inf/);
  });
});

describe('one-sided Jacobi on a numerically low-rank matrix (WASM, f64)', () => {
  // exp(QKᵀ) with 4-dimensional rows: rank about 200 of 512 to working precision. The Jacobi kernel
  // needs ~45 sweeps on A (the noise subspace converges slowly; the old fixed cap of 40 raised
  // NumericalError); on A·Z, 22–25. The ~300 columns of A·Z in the numerical null space start from
  // an arbitrary basis of it (AᵀA fixes those eigenvectors only to O(ε‖A‖²/gap)), so Jacobi does full
  // work there whichever eigensolver gave Z: seeds 0–3 measured 24–25 of 44–46 sweeps with the
  // divide-and-conquer vectors, 22 of 45 with the earlier QL ones. The band is therefore 0.6·plain.
  // WASM only: 512² is minutes for the TypeScript oracle and the single-workgroup WebGPU kernel on lavapipe.
  it('converges under the default sweep cap and gives the values of the Gram matrix', async () => {
    const be = await createWasmBackend({ threads: 1 });
    const n = 512,
      q = fillRandom({ seed: 0, stream: 1 }, 'normal', 'f64', n * 4),
      k = fillRandom({ seed: 0, stream: 2 }, 'normal', 'f64', n * 4);
    const e = new Float64Array(n * n);
    for (let i = 0; i < n; i++)
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let t = 0; t < 4; t++) s += q[i * 4 + t] * k[j * 4 + t];
        e[i * n + j] = Math.exp(s / 4);
      }
    const a = await be.upload(hostTensor('f64', [n, n], e));
    const plain = await ops.svd(be, a, { valuesOnly: true }); // the kernel on A itself
    expect(plain.sweeps).toBeGreaterThan(40);
    const preconditioned = await svd(be, a, { valuesOnly: true }); // on A·Z, Z the eigenvectors of AᵀA
    expect(preconditioned.sweeps).toBeLessThan(0.6 * plain.sweeps);
    for (const r of [plain, preconditioned]) {
      const s = (await be.download(r.s)).data;
      expect(s.reduce((acc, v) => acc + v * v, 0) / frobenius(e) ** 2).toBeCloseTo(1, 12); // Σσ² = ‖A‖²_F
    }
    await be.close();
  }, 60_000);
});

describe.each(PLAN)('linalg on $label', (tb) => {
  const absent = tb.absent;
  let be: Backend;
  beforeAll(async () => {
    if (absent === null) be = await tb.open();
  });
  afterAll(async () => {
    await be?.close();
  });

  describe.each(['f32', 'f64'] as DType[])('%s', (dtype) => {
    const skip = (p: 'cholesky' | 'lu' | 'trsm' | 'svd') => tb.skip(p, dtype);
    for (const t of goldenTests(cases, tb, GOLDEN, [dtype])) {
      it.skipIf(t.skip)(t.title, async () => {
        const { actual, declared, measured } = await t.run(be);
        expect(actual, measured).toEqual(declared);
      });
    }

    it.skipIf(skip('lu') !== undefined)(
      skipTitle('luSolve, choleskySolve and ldu reproduce their inputs', skip('lu')),
      async () => {
        const n = 23,
          m = 4;
        const g = fillRandom({ seed: 4, stream: 0 }, 'normal', 'f64', n * n);
        const spd = matmul(g, n, n, g, n, n, false, true);
        for (let i = 0; i < n; i++) spd[i * n + i] += n;
        const b = hostTensor(dtype, [n, m], fillRandom({ seed: 4, stream: 1 }, 'normal', dtype, n * m));
        const eps = dtype === 'f32' ? 2 ** -23 : 2 ** -52;
        const check = (a: Float64Array, x: ArrayLike<number>) => {
          const r = matmul(a, n, n, x, n, m).map((v, i) => v - b.data[i]);
          return frobenius(r) / (frobenius(a) * frobenius(x) * n * eps);
        };
        const x1 = Float64Array.from(
          (await be.download(await luSolve(be, await be.upload(hostTensor(dtype, [n, n], g)), await be.upload(b))))
            .data,
        );
        expect(check(g, x1)).toBeLessThan(30);
        const x2 = Float64Array.from(
          (
            await be.download(
              await choleskySolve(be, await be.upload(hostTensor(dtype, [n, n], spd)), await be.upload(b)),
            )
          ).data,
        );
        expect(check(spd, x2)).toBeLessThan(30);
        const f = await ldu(be, await be.upload(hostTensor(dtype, [n, n], g)));
        const [l, d, u] = await Promise.all(
          [f.l, f.d, f.u].map(async (t) => Float64Array.from((await be.download(t)).data)),
        );
        const du = u.map((v, i) => v * d[Math.floor(i / n)]);
        const pa = permuteRows(g, n, f.pivots);
        for (let i = 0; i < n; i++) expect(u[i * n + i]).toBe(1);
        expect(frobenius(matmul(l, n, n, du, n, n).map((v, i) => v - pa[i])) / (frobenius(g) * n * eps)).toBeLessThan(
          30,
        );
      },
    );

    it.skipIf(skip('lu') !== undefined)(
      skipTitle('SVD of zero, exactly rank-one, tiny and huge matrices: exact values, orthonormal factors', skip('lu')),
      async () => {
        const eps = dtype === 'f32' ? 2 ** -23 : 2 ** -52;
        const rankOne = Float64Array.from({ length: 16 }, (_, i) => (1 + (i >> 2)) * (1 + (i & 3))); // (1,2,3,4)ᵀ(1,2,3,4): σ = 30, 0, 0, 0
        const cases: Array<[string, number, Float64Array, number[]]> = [
          ['zero', 1, new Float64Array(9), [0, 0, 0]],
          ['rank one', 1, rankOne, [30, 0, 0, 0]],
          ['tiny', dtype === 'f32' ? 2 ** -60 : 2 ** -900, rankOne, [30, 0, 0, 0]],
          ['huge', dtype === 'f32' ? 2 ** 60 : 2 ** 900, rankOne, [30, 0, 0, 0]],
        ];
        for (const [name, scale, data, sigma] of cases) {
          const n = sigma.length;
          const f = await svd(
            be,
            await be.upload(
              hostTensor(
                dtype,
                [n, n],
                data.map((x) => x * scale),
              ),
            ),
          );
          const s = (await be.download(f.s)).data;
          sigma.forEach((v, i) =>
            expect(Math.abs(s[i] - v * scale), `${name} σ${i}`).toBeLessThanOrEqual(50 * n * eps * 30 * scale),
          );
          for (const t of [f.u, f.v]) {
            const q = Float64Array.from((await be.download(t)).data);
            expect(
              frobenius(matmul(q, n, n, q, n, n, true).map((x, i) => x - (i % (n + 1) === 0 ? 1 : 0))),
              `${name} orthogonality`,
            ).toBeLessThan(50 * n * eps);
          }
        }
      },
    );

    it.skipIf(skip('lu') !== undefined)(
      skipTitle(
        'QR of rank-deficient and tiny matrices: finite, backward stable, orthonormal Q (dlarfg scaling)',
        skip('lu'),
      ),
      async () => {
        const eps = dtype === 'f32' ? 2 ** -23 : 2 ** -52;
        const m = 20,
          n = 10;
        const tiny = dtype === 'f32' ? 1e-30 : 1e-300;
        const inputs: Array<[string, (i: number, j: number) => number]> = [
          ['constant', () => 1],
          ['exact u·vᵀ', (i, j) => (i + 1) * (j + 1)],
          ['duplicated columns', (i, j) => Math.sin(1 + i * 7 + (j % 3))],
          ['graded rows', (i, j) => Math.cos(i + 2 * j) * 2 ** (-3 * i)],
          [`constant × ${tiny}`, () => tiny],
          [`Gaussian-like × ${tiny}`, (i, j) => tiny * Math.sin(1 + i * n + j)],
        ];
        for (const [name, f] of inputs) {
          const a = Float64Array.from({ length: m * n }, (_, k) => f(Math.floor(k / n), k % n));
          const { q, r } = await ops.qr(be, await be.upload(hostTensor(dtype, [m, n], a)));
          const [Q, R] = await Promise.all([q, r].map(async (t) => Float64Array.from((await be.download(t)).data)));
          expect([...Q, ...R].every(Number.isFinite), `${name}: finite`).toBe(true);
          const resid = frobenius(matmul(Q, m, n, R, n, n).map((v, i) => v - a[i])) / (frobenius(a) * m * eps);
          expect(resid, `${name}: ‖A − QR‖/(‖A‖·m·ε)`).toBeLessThan(30);
          expect(
            frobenius(matmul(Q, m, n, Q, m, n, true).map((x, i) => x - (i % (n + 1) === 0 ? 1 : 0))) / (m * eps),
            `${name}: ‖QᵀQ − I‖/(m·ε)`,
          ).toBeLessThan(30);
        }
      },
    );

    it.skipIf(skip('lu') !== undefined)(
      skipTitle(
        'both eigensolvers near underflow and overflow: λ(s·A) = s·λ(A), orthonormal vectors, no "did not converge"',
        skip('lu'),
      ),
      async () => {
        const eps = dtype === 'f32' ? 2 ** -23 : 2 ** -52;
        const n = 6;
        const g = fillRandom({ seed: 11, stream: 0 }, 'normal', 'f64', n * n);
        const sym = Float64Array.from({ length: n * n }, (_, k) => g[k] + g[(k % n) * n + Math.floor(k / n)]);
        const norm = frobenius(sym);
        const scales = dtype === 'f32' ? [1e18, 1e-18, 1e30, 1e-30] : [1e150, 1e-150, 1e300, 1e-300];
        for (const method of EIG_METHODS) {
          const base = await symmetricEig(be, await be.upload(hostTensor(dtype, [n, n], sym)), { method });
          for (const s of scales) {
            const f = await symmetricEig(
              be,
              await be.upload(
                hostTensor(
                  dtype,
                  [n, n],
                  sym.map((x) => x * s),
                ),
              ),
              { method },
            );
            const worst = Math.max(...Array.from(f.values, (v, i) => Math.abs(v / s - base.values[i])));
            expect(worst / (norm * n * eps), `${method} ×${s}: |λ/s − λ|/(‖A‖nε)`).toBeLessThan(60);
            const z = Float64Array.from((await be.download(f.vectors)).data);
            expect(
              frobenius(matmul(z, n, n, z, n, n, true).map((x, i) => x - (i % (n + 1) === 0 ? 1 : 0))) / (n * eps),
              `${method} ×${s}: orthogonality`,
            ).toBeLessThan(60);
            expect(
              Array.from(
                await symmetricEigValues(
                  be,
                  await be.upload(
                    hostTensor(
                      dtype,
                      [n, n],
                      sym.map((x) => x * s),
                    ),
                  ),
                  { method },
                ),
                (v) => v / s,
              ).every((v, i) => Math.abs(v - base.values[i]) <= 60 * norm * n * eps),
              `${method} ×${s}: values only`,
            ).toBe(true);
          }
          const big = dtype === 'f32' ? 1e30 : 1e160;
          const one = await symmetricEig(be, await be.upload(hostTensor(dtype, [1, 1], [big])), { method });
          expect(Math.abs(one.values[0] - big) / big, `${method}: [[${big}]]`).toBeLessThan(4 * eps);
        }
        // A subnormal-scale eigenvalue beside a normal one (graded): the QL deflation test alone underflows.
        const tinyDiag = dtype === 'f32' ? 1e-40 : 1e-310;
        const d = await symmetricEig(
          be,
          await be.upload(hostTensor(dtype, [3, 3], [1, 0, 0, 0, 0.5, tinyDiag, 0, tinyDiag, tinyDiag])),
        );
        expect(Math.abs(d.values[0] - 1) + Math.abs(d.values[1] - 0.5)).toBeLessThan(8 * eps);
        expect(Math.abs(d.values[2])).toBeLessThan(8 * eps);
      },
    );

    it.skipIf(skip('lu') !== undefined)(
      skipTitle('the checks of a zero LU and of least squares with b = 0 are 0, not 0/0', skip('lu')),
      async () => {
        const z = (shape: number[]) => hostTensor('f64', shape, new Float64Array(shape.reduce((a, b) => a * b, 1)));
        const lu = await luCase.verify!.check(be, dtype, {
          id: 'zero',
          params: { m: 4, n: 4, singularAt: 0 },
          dtypes: [dtype],
          inputs: { a: z([4, 4]) },
          outputs: { lu: z([4, 4]), piv: hostTensor('f64', [4], [0, 1, 2, 3]) },
        });
        expect(lu).toEqual({ reconstruction: 0, pivots: 0, singular: 0 });
        const a = hostTensor(
          'f64',
          [6, 3],
          Float64Array.from({ length: 18 }, (_, k) => Math.sin(k + 1) + (k % 4 === 0 ? 3 : 0)),
        );
        const ls = await leastSquaresCase.verify!.check(be, dtype, {
          id: 'b=0',
          params: { m: 6, n: 3, cond: 10 },
          dtypes: [dtype],
          inputs: { a, b: z([6]) },
          outputs: { x: z([3]) },
        });
        expect(ls).toEqual({ normalEquations: 0, solution: 0 });
      },
    );

    it.skipIf(skip('cholesky') !== undefined)(
      skipTitle(
        'CholeskyQR2: orthonormal Q near under/overflow; outside κ ≤ u^-1/2 a NumericalError naming the domain',
        skip('cholesky'),
      ),
      async () => {
        const eps = dtype === 'f32' ? 2 ** -23 : 2 ** -52;
        const m = 40,
          n = 5;
        // Columns e_j·(1 + …) with graded norms: κ(A) ≈ the ratio of the largest to the smallest grade.
        const graded = (kappa: number) =>
          Float64Array.from({ length: m * n }, (_, k) => {
            const i = Math.floor(k / n),
              j = k % n;
            return (Math.sin(1 + 3 * i + 7 * j) + (i === j ? 4 : 0)) * kappa ** (-j / (n - 1));
          });
        for (const s of dtype === 'f32' ? [1, 1e30, 1e-30] : [1, 1e300, 1e-300]) {
          const a = graded(10).map((x) => x * s);
          const { q, r } = await choleskyQr2(be, await be.upload(hostTensor(dtype, [m, n], a)));
          const [Q, R] = await Promise.all([q, r].map(async (t) => Float64Array.from((await be.download(t)).data)));
          expect(
            frobenius(matmul(Q, m, n, Q, m, n, true).map((x, i) => x - (i % (n + 1) === 0 ? 1 : 0))) / (m * eps),
            `×${s}: orthogonality`,
          ).toBeLessThan(30);
          expect(
            frobenius(matmul(Q, m, n, R, n, n).map((v, i) => v - a[i])) / (frobenius(a) * m * eps),
            `×${s}: backward error`,
          ).toBeLessThan(30);
        }
        await expect(
          choleskyQr2(be, await be.upload(hostTensor(dtype, [m, n], graded(dtype === 'f32' ? 1e6 : 1e13)))),
        ).rejects.toThrow(/outside the method's domain κ\(A\) ≤ u\^-1\/2/);
      },
    );

    it.skipIf(skip('lu') !== undefined)(
      skipTitle('SVD of Gaussian 256² and 512²: U and V orthogonal to ‖QᵀQ − I‖/(nε) < 50', skip('lu')),
      async () => {
        // The Jacobi kernels stopped at |cos| ≤ len·ε, and U's orthogonality ratio grew with n (32 at 512,
        // 46 of 50 at 1024 in f64); at dgesvj's √len·ε it is 4–6 up to 1024 (issue #14 item 5). 1024 is
        // measured, not tested: its host-side check costs minutes under coverage.
        const eps = dtype === 'f32' ? 2 ** -23 : 2 ** -52;
        for (const n of [256, 512]) {
          const a = await be.upload(
            hostTensor(dtype, [n, n], fillRandom({ seed: 1, stream: 0 }, 'normal', dtype, n * n)),
          );
          const f = await svd(be, a);
          for (const [name, t] of [
            ['U', f.u],
            ['V', f.v],
          ] as const) {
            const q = Float64Array.from((await be.download(t)).data);
            expect(
              frobenius(matmul(q, n, n, q, n, n, true).map((x, i) => x - (i % (n + 1) === 0 ? 1 : 0))) / (n * eps),
              `${name} at n = ${n}`,
            ).toBeLessThan(50);
          }
          for (const t of [a, f.u, f.s, f.v]) be.dispose(t);
        }
      },
      120_000,
    );

    it.skipIf(skip('svd') !== undefined)(
      skipTitle("the kernel's basis Z: the same rotations, v = Z·V (within n·ε), u and s the same bits", skip('svd')),
      async () => {
        const [m, n] = [30, 20];
        const a = await be.upload(
          hostTensor(dtype, [m, n], fillRandom({ seed: 7, stream: 0 }, 'normal', 'f64', m * n)),
        );
        const z = (
          await ops.qr(
            be,
            await be.upload(hostTensor(dtype, [n, n], fillRandom({ seed: 7, stream: 1 }, 'normal', 'f64', n * n))),
          )
        ).q;
        const plain = await ops.svd(be, a);
        const based = await ops.svd(be, a, { basis: z });
        const host = async (t: typeof a) => Float64Array.from((await be.download(t)).data);
        expect(await host(based.s)).toEqual(await host(plain.s));
        expect(await host(based.u)).toEqual(await host(plain.u));
        const zv = matmul(await host(z), n, n, await host(plain.v), n, n);
        const diff = frobenius((await host(based.v)).map((x, i) => x - zv[i]));
        expect(diff / (n * (dtype === 'f32' ? 2 ** -23 : 2 ** -52))).toBeLessThan(30);
        expect(based.sweeps).toBe(plain.sweeps);
        const wide = await be.upload(hostTensor(dtype, [n, m], new Float64Array(m * n)));
        await expect(ops.svd(be, wide, { basis: z })).rejects.toThrow(ArgumentError);
        await expect(ops.svd(be, a, { basis: a })).rejects.toThrow(ShapeError);
        await expect(ops.svd(be, a, { basis: z, valuesOnly: true })).rejects.toThrow(ArgumentError);
      },
    );

    it.skipIf(skip('lu') !== undefined)(
      skipTitle('values-only modes give the same values as the full decompositions', skip('lu')),
      async () => {
        for (const [m, n] of [
          [30, 30],
          [90, 20],
          [20, 90],
        ]) {
          const a = await be.upload(
            hostTensor(dtype, [m, n], fillRandom({ seed: m + n, stream: 0 }, 'normal', 'f64', m * n)),
          );
          const full = Array.from((await be.download((await svd(be, a)).s)).data);
          const only = await svd(be, a, { valuesOnly: true });
          expect(only.u.shape[0]).toBe(0);
          const vals = Array.from((await be.download(only.s)).data);
          const tol = (dtype === 'f32' ? 2 ** -23 : 2 ** -52) * full[0] * 200;
          vals.forEach((v, i) => expect(Math.abs(v - full[i])).toBeLessThan(tol));
        }
        const s = fillRandom({ seed: 1, stream: 0 }, 'normal', 'f64', 24 * 24);
        const sym = await be.upload(
          hostTensor(
            dtype,
            [24, 24],
            s.map((_, i) => s[i] + s[(i % 24) * 24 + Math.floor(i / 24)]),
          ),
        );
        for (const method of EIG_METHODS) {
          const e1 = (await symmetricEig(be, sym, { method })).values,
            e2 = await symmetricEigValues(be, sym, { method });
          e2.forEach((v, i) =>
            expect(Math.abs(v - e1[i])).toBeLessThan((dtype === 'f32' ? 1e-4 : 1e-12) * Math.abs(e1[0])),
          );
        }
        expect(rankForEnergy([3, 2, 1, 0], 0.9)).toBe(2);
        expect(rankForEnergy([0, 0], 0.5)).toBe(0);
        expect(() => rankForEnergy([1], 0)).toThrow(RangeError);
      },
    );

    it.skipIf(skip('svd') !== undefined)(
      skipTitle(
        'Jacobi SVD: converges in exactly the sweeps it reports, one sweep short is "did not converge"',
        skip('svd'),
      ),
      async () => {
        // The kernel alone on shapes whose sweep counts cross the WebGPU kernel's batches (2, 4, 8 … sweeps
        // read back at once): a cap equal to the count converges with that count, one less raises.
        for (const [m, n] of [
          [40, 40],
          [57, 23],
          [9, 70],
        ]) {
          const a = await ops.random(be, dtype, [m, n], { dist: 'normal', seed: m * n, stream: 0 });
          const { sweeps } = await ops.svd(be, a, { valuesOnly: true });
          expect(sweeps, `${m}×${n}`).toBeGreaterThan(2);
          expect((await ops.svd(be, a, { valuesOnly: true, maxSweeps: sweeps })).sweeps).toBe(sweeps);
          await expect(ops.svd(be, a, { maxSweeps: sweeps - 1 })).rejects.toThrow(
            new RegExp(`did not converge in ${sweeps - 1} sweeps`),
          );
          await expect(ops.svd(be, a, { maxSweeps: 1 })).rejects.toThrow(NumericalError);
        }
        const diagonal = await be.upload(hostTensor(dtype, [3, 3], [3, 0, 0, 0, -2, 0, 0, 0, 5]));
        const d = await ops.svd(be, diagonal, { maxSweeps: 1 });
        expect(d.sweeps).toBe(1);
        expect(Array.from((await be.download(d.s)).data)).toEqual([5, 3, 2]);
        await expect(ops.svd(be, await be.upload(hostTensor(dtype, [2, 3], [1, 0, 0, NaN, 1, 0])))).rejects.toThrow(
          NonFiniteError,
        );
      },
    );

    it.skipIf(skip('cholesky') !== undefined)(
      skipTitle('typed errors: indefinite, singular, non-finite, not square', skip('cholesky')),
      async () => {
        const indefinite = hostTensor(dtype, [3, 3], [4, 0, 0, 0, -1, 0, 0, 0, 2]);
        await expect(cholesky(be, await be.upload(indefinite))).rejects.toThrow(NumericalError);
        await expect(cholesky(be, await be.upload(indefinite))).rejects.toThrow(/leading minor of order 2 .*pivot 1/);
        // Pivots in a later panel than the first (the blocked kernels' panels are 32 columns): the failure is
        // reported where it is, and a zero LU pivot lets the factorization go on to the end.
        const diagonal = (at: number, v: number) =>
          hostTensor(
            dtype,
            [100, 100],
            Array.from({ length: 100 * 100 }, (_, e) => (e % 101 ? 0 : e === at * 101 ? v : 2)),
          );
        await expect(cholesky(be, await be.upload(diagonal(70, -1)))).rejects.toThrow(/order 71 .*pivot 70\)/);
        const late = await ops.lu(be, await be.upload(diagonal(70, 0)));
        expect(late.singularAt).toBe(70);
        expect((await be.download(late.lu)).data[99 * 101]).toBe(2);
        await expect(cholesky(be, await be.upload(hostTensor(dtype, [2, 2], [1, 0, NaN, 1])))).rejects.toThrow(
          NonFiniteError,
        );
        await expect(cholesky(be, await be.upload(hostTensor(dtype, [2, 3])))).rejects.toThrow(ShapeError);
        const singularT = await be.upload(hostTensor(dtype, [2, 2], [1, 0, 3, 0]));
        await expect(solveTriangular(be, singularT, await be.upload(hostTensor(dtype, [2], [1, 1])))).rejects.toThrow(
          /diagonal element 1 is zero/,
        );
        await expect(
          luSolve(
            be,
            await be.upload(hostTensor(dtype, [2, 2], [1, 2, 2, 4])),
            await be.upload(hostTensor(dtype, [2], [1, 1])),
          ),
        ).rejects.toThrow(/singular/);
        await expect(ldu(be, await be.upload(hostTensor(dtype, [2, 2], [1, 2, 2, 4])))).rejects.toThrow(NumericalError);
        await expect(symmetricEig(be, await be.upload(hostTensor(dtype, [2, 2], [1, 0, Infinity, 1])))).rejects.toThrow(
          /syev: a contains NaN or ±Inf/,
        );
        await expect(symmetricEig(be, await be.upload(hostTensor(dtype, [2, 3])))).rejects.toThrow(ShapeError);
      },
    );
  });
});
