/** Tensor primitives on every backend (golden: numpy.einsum), and the HOSVD's exactness on a Tucker tensor. */
import { createRefBackend } from '@lowrank/backend-ref';
import { hostTensor, ops } from '@lowrank/core';
import { familySuite } from '@lowrank/harness/vitest';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { maternSde } from '@lowrank/ssm';
import {
  binnedTucker,
  cases,
  chebBasis,
  chebCoefficients,
  claims,
  erf,
  funbatLite,
  hooi,
  hosvd,
  modeSpectra,
  modeSpectraQr,
  modeProduct,
  ranksForTolerance,
  sampleOnGrid,
  tuckerReconstruct,
  twoModeSample,
} from './index.ts';

const GOLDEN = fileURLToPath(new URL('../../../golden', import.meta.url));

describe('Tucker algebra (reference backend)', () => {
  const be = createRefBackend();

  it('the truncated HOSVD of a tensor of multilinear rank r reconstructs it to rounding', async () => {
    const shape = [6, 5, 4],
      ranks = [3, 2, 2];
    const core = await ops.random(be, 'f64', [12], { dist: 'normal', seed: 4, stream: 0 });
    const factors = await Promise.all(
      shape.map((n, k) => ops.random(be, 'f64', [n, ranks[k]], { dist: 'normal', seed: 4, stream: 1 + k })),
    );
    const x = (await tuckerReconstruct(be, core, ranks, factors)).tensor;
    const h = await hosvd(be, x, shape, ranks);
    expect(h.coreShape).toEqual(ranks);
    const back = (await tuckerReconstruct(be, h.core, h.coreShape, h.factors)).tensor;
    const d = await ops.binary(be, 'sub', back, x);
    expect((await ops.nrm2(be, d)) / (await ops.nrm2(be, x))).toBeLessThan(1e-13);
  });

  it('shapes and modes are checked by name', async () => {
    const x = await ops.random(be, 'f64', [24], { dist: 'normal', seed: 1 });
    const a = await ops.random(be, 'f64', [2, 3], { dist: 'normal', seed: 2 });
    await expect(modeProduct(be, x, [2, 3, 4], a, 3)).rejects.toThrow(/mode 3 is not in \[0, 3\)/);
    await expect(modeProduct(be, x, [2, 3, 5], a, 1)).rejects.toThrow(/24 values cannot have shape \[2×3×5\]/);
    await expect(modeProduct(be, x, [2, 3, 4], a, 0)).rejects.toThrow(/A must be J×2 for mode 0/);
    await expect(hosvd(be, x, [2, 3, 4], [1, 4, 1])).rejects.toThrow(
      /ranks \[1, 4, 1\] must be integers in \[1, n_k\]/,
    );
  });
});

describe('continuous-index Tucker against the binned baseline (reference backend)', () => {
  const be = createRefBackend();
  const { data, query } = twoModeSample('separable', 300, 60, 0.05, 3);
  const options = {
    ranks: [2, 2] as const,
    sde: maternSde(1.5, 0.2, 1),
    noiseVariance: 0.0025,
    sweeps: 8,
    coreVariance: 10,
    seed: 3,
  };

  it('FunBaT-lite fits the separable target below the binned grid, and its error falls with the sweeps', async () => {
    const rmse = (a: ArrayLike<number>) =>
      Math.sqrt(Array.from(a, (v, i) => (v - query.f[i]) ** 2).reduce((s, v) => s + v, 0) / a.length);
    const early = rmse(await funbatLite(be, 'f64', data, query, { ...options, sweeps: 1 }));
    const fitted = rmse(await funbatLite(be, 'f64', data, query, options));
    const binned = rmse(binnedTucker(data, query, { bins: 10, rank: 2, sweeps: 30, ridge: 0.1, seed: 3 }));
    expect(fitted).toBeLessThan(early);
    expect(fitted).toBeLessThan(binned);
    // A constant target is a rank-one Tucker both methods represent.
    const flat = { ...data, f: new Float64Array(data.f.length).fill(2) };
    const constant = binnedTucker(flat, query, { bins: 5, rank: 1, sweeps: 20, ridge: 1e-6, seed: 1 });
    constant.forEach((v) => expect(v).toBeCloseTo(2, 4));
  });

  it('names bad data and options', async () => {
    await expect(funbatLite(be, 'f64', { ...data, f: data.f.subarray(1) }, query, options)).rejects.toThrow(
      /one value per point/,
    );
    await expect(funbatLite(be, 'f64', data, query, { ...options, sweeps: 0 })).rejects.toThrow(/sweeps must be ≥ 1/);
    const nan = Float64Array.from(data.f);
    nan[4] = NaN;
    expect(() =>
      binnedTucker({ ...data, f: nan }, query, { bins: 5, rank: 1, sweeps: 2, ridge: 0.1, seed: 1 }),
    ).toThrow(/value 4 is not finite/);
    expect(() => binnedTucker(data, query, { bins: 0, rank: 1, sweeps: 2, ridge: 0.1, seed: 1 })).toThrow(
      /integers ≥ 1/,
    );
  });
});

describe('Chebyshev–Tucker pieces (reference backend)', () => {
  const be = createRefBackend();

  it('the coefficients of T₃(x)T₂(y)T₀(z) are one unit entry, and the basis reproduces T_k', async () => {
    const n = 8,
      m = n + 1;
    const t = (k: number, x: number) => Math.cos(k * Math.acos(Math.max(-1, Math.min(1, x))));
    const c = await chebCoefficients(
      be,
      'f64',
      sampleOnGrid((x, y) => t(3, x) * t(2, y), n),
      n,
    );
    c.forEach((v, i) => expect(v).toBeCloseTo(i === (3 * m + 2) * m ? 1 : 0, 13));
    const basis = chebBasis([0.3, -1, 1], n);
    for (let k = 0; k <= n; k++) expect(basis[k]).toBeCloseTo(t(k, 0.3), 14);
    expect(basis[m + n]).toBe(1); // T_8(−1)
  });

  it('erf to a few ulps on both sides of its switch, odd, and saturating', () => {
    // erf(0.5), erf(1), erf(2.5), erf(3) from tables (Abramowitz & Stegun 7.1, 15 digits).
    expect(erf(0.5)).toBeCloseTo(0.520499877813047, 15);
    expect(erf(1)).toBeCloseTo(0.842700792949715, 15);
    expect(erf(2.5)).toBeCloseTo(0.999593047982555, 15);
    expect(erf(3)).toBeCloseTo(0.999977909503001, 15);
    expect(erf(-1)).toBe(-erf(1));
    expect(erf(30)).toBe(1);
    expect(erf(1e-300)).toBeCloseTo((2 / Math.sqrt(Math.PI)) * 1e-300, 310);
  });

  it('ranks at a tolerance keep the discarded energy within ε²‖X‖²/N, and HOOI refuses a non-Tucker rank', async () => {
    const spectra = [Float64Array.of(100, 1, 1e-4, 1e-8), Float64Array.of(100, 1e-2, 0, 0)];
    expect(ranksForTolerance(spectra, 1e-1)).toEqual([2, 1]);
    expect(ranksForTolerance(spectra, 1e-3)).toEqual([3, 2]);
    expect(ranksForTolerance(spectra, 0)).toEqual([4, 2]);
    expect(() => ranksForTolerance(spectra, 1)).toThrow(/tolerance must lie in \[0, 1\)/);
    const x = await be.upload(
      hostTensor(
        'f64',
        [24],
        Float64Array.from({ length: 24 }, (_, i) => Math.sin(i)),
      ),
    );
    // The QR route and the Gram route agree on a well-resolved spectrum, mode by mode.
    const [gram, qr] = [await modeSpectra(be, x, [2, 3, 4]), await modeSpectraQr(be, x, [2, 3, 4])];
    gram.forEach((s, k) => s.forEach((v, i) => expect(qr[k][i]).toBeCloseTo(v, 10)));
    await expect(hooi(be, x, [2, 3, 4], [1, 1, 2], 1)).rejects.toThrow(
      /rank 2 of mode 2 exceeds the product of the others' ranks \(1\)/,
    );
  });
});

await familySuite({ family: 'tensor', cases, claims, goldenRoot: GOLDEN });
