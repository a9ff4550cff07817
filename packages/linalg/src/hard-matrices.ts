/**
 * Hard test matrices, after LAPACK's TESTING matrix types (dlatms/dlatmr, LAWN 41 §6): the inputs on
 * which factorizations fail in practice — zero, identity, constant, exactly rank-deficient with integer
 * entries, duplicated columns, graded rows and columns, clustered and multiple singular values, Kahan,
 * Wilkinson W±, scaled near the underflow and overflow thresholds of the dtype, and odd shapes. Built on
 * the host in float64, deterministic, exact where the type promises it (integer rank-one entries), so a
 * sweep can hold every factorization on every backend to its scaled ratios.
 */
import { fillRandom, type DType } from '@lowrank/core';
import { matmul } from './host.ts';

export interface HardMatrix {
  /** e.g. 'graded rows 40×12'. */
  readonly name: string;
  readonly m: number;
  readonly n: number;
  /** Row-major m×n. */
  readonly data: Float64Array;
  /** Symmetric (square) by construction: eigensolvers take it. */
  readonly symmetric: boolean;
  /** Symmetric positive definite with a modest condition number: Cholesky takes it. */
  readonly spd: boolean;
  /** Exactly rank-deficient (or zero): methods that need full rank must refuse it by a typed error. */
  readonly rankDeficient: boolean;
  /** Roughly κ₂(A) where the construction fixes it (graded, geometric): numerically rank-deficient once κ·max(m, n)·ε ≥ 1. */
  readonly cond: number;
}

/** An m×n row-major matrix with entries f(i, j). */
export const matrix = (m: number, n: number, f: (i: number, j: number) => number) =>
  Float64Array.from({ length: m * n }, (_, k) => f(Math.floor(k / n), k % n));

function hard(
  name: string,
  m: number,
  n: number,
  data: Float64Array,
  o: Partial<Pick<HardMatrix, 'symmetric' | 'spd' | 'rankDeficient' | 'cond'>> = {},
): HardMatrix {
  return {
    name: `${name} ${m}×${n}`,
    m,
    n,
    data,
    symmetric: o.symmetric ?? false,
    spd: o.spd ?? false,
    rankDeficient: o.rankDeficient ?? false,
    cond: o.cond ?? 1,
  };
}

/** A seeded Householder vector v with ‖v‖ = 1: H = I − 2·v·vᵀ is exactly orthogonal (to rounding). */
function householder(n: number, seed: number): Float64Array {
  const v = Float64Array.from(fillRandom({ seed, stream: 90 }, 'normal', 'f64', n));
  const norm = Math.hypot(...v);
  return v.map((x) => x / norm);
}

/** x ← H·x (left, on the rows of an m×n x) or x ← x·H (right, on its columns), in O(m·n). */
function reflect(x: Float64Array, m: number, n: number, v: Float64Array, side: 'left' | 'right'): void {
  if (side === 'left') {
    const w = new Float64Array(n); // vᵀ·x
    for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) w[j] += v[i] * x[i * n + j];
    for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) x[i * n + j] -= 2 * v[i] * w[j];
  } else {
    for (let i = 0; i < m; i++) {
      let d = 0;
      for (let j = 0; j < n; j++) d += x[i * n + j] * v[j];
      for (let j = 0; j < n; j++) x[i * n + j] -= 2 * d * v[j];
    }
  }
}

/**
 * U·diag(σ)·Vᵀ with U = H₁·H₂ and V = H₃·H₄ products of seeded reflectors, applied implicitly (O(m·n)
 * each, so 1024×1024 costs milliseconds): a matrix with exactly these singular values (to rounding).
 */
export function withSingularValues(m: number, n: number, sigma: readonly number[], seed: number): Float64Array {
  const a = matrix(m, n, (i, j) => (i === j && j < sigma.length ? sigma[j] : 0));
  reflect(a, m, n, householder(m, seed + 1), 'left');
  reflect(a, m, n, householder(m, seed), 'left');
  reflect(a, m, n, householder(n, seed + 3), 'right'); // ·Vᵀ = ·H₄·H₃ (reflectors are symmetric)
  reflect(a, m, n, householder(n, seed + 2), 'right');
  return a;
}

/** Kahan's matrix (LAPACK dlatme's 'Kahan', Higham §8.3): upper triangular, s^{i}·(1, −c, −c, …), c² + s² = 1. */
function kahan(n: number, theta = 1.2): Float64Array {
  const s = Math.sin(theta),
    c = Math.cos(theta);
  return matrix(n, n, (i, j) => (j < i ? 0 : s ** i * (i === j ? 1 : -c)));
}

/** Wilkinson's W±_{2k+1}: tridiagonal with ones off the diagonal and |k − i| (W+) or k − i (W−) on it; pairs of close eigenvalues. */
function wilkinson(n: number, sign: 1 | -1): Float64Array {
  const k = (n - 1) / 2;
  return matrix(n, n, (i, j) => (i === j ? (sign > 0 ? Math.abs(k - i) : k - i) : Math.abs(i - j) === 1 ? 1 : 0));
}

/** The underflow and overflow scales a dtype is tested at (issue #14): f64 1e±150 and 1e±300, f32 1e±18 and 1e±30. */
export function extremeScales(dtype: DType): number[] {
  return dtype === 'f64' ? [1e150, 1e-150, 1e300, 1e-300] : [1e18, 1e-18, 1e30, 1e-30];
}

/**
 * The sweep's matrices for one dtype. Sizes are small enough that every backend, a software WebGPU
 * adapter included, runs the whole set in seconds; the odd shapes are the ones that broke kernels
 * (7×300, 300×7, 129×65, 1×n, n×1, empty).
 */
export function hardMatrices(dtype: DType): HardMatrix[] {
  const m = 40,
    n = 12;
  const gauss = (r: number, c: number, seed: number) => {
    const g = Float64Array.from(fillRandom({ seed, stream: 91 }, 'normal', 'f64', r * c));
    return dtype === 'f32' ? Float64Array.from(Float32Array.from(g)) : g;
  };
  const base = gauss(m, n, 1);
  const spd = (() => {
    const g = gauss(n, n, 2);
    const a = matmul(g, n, n, g, n, n, false, true);
    for (let i = 0; i < n; i++) a[i * n + i] += n;
    return a;
  })();
  const sym = (() => {
    const g = gauss(n, n, 3);
    return matrix(n, n, (i, j) => g[i * n + j] + g[j * n + i]);
  })();
  const out: HardMatrix[] = [
    hard('zero', m, n, new Float64Array(m * n), { rankDeficient: true }),
    hard('zero', n, n, new Float64Array(n * n), { symmetric: true, rankDeficient: true }),
    hard(
      'identity',
      n,
      n,
      matrix(n, n, (i, j) => (i === j ? 1 : 0)),
      { symmetric: true, spd: true },
    ),
    hard(
      'constant',
      m,
      n,
      matrix(m, n, () => 1),
      { rankDeficient: true },
    ),
    hard(
      'constant',
      n,
      n,
      matrix(n, n, () => 3),
      { symmetric: true, rankDeficient: true },
    ),
    hard(
      'integer rank one',
      m,
      n,
      matrix(m, n, (i, j) => (i + 1) * (j + 1)),
      { rankDeficient: true },
    ),
    hard(
      'integer rank two',
      m,
      n,
      matrix(m, n, (i, j) => (i + 1) * (j + 1) + (i % 3) * (j % 2)),
      { rankDeficient: true },
    ),
    hard(
      'duplicated columns',
      m,
      n,
      matrix(m, n, (i, j) => base[i * n + (j % 4)]),
      { rankDeficient: true },
    ),
    hard(
      'graded rows',
      m,
      n,
      matrix(m, n, (i, j) => base[i * n + j] * 2 ** -i),
    ),
    hard(
      'graded columns',
      m,
      n,
      matrix(m, n, (i, j) => base[i * n + j] * 2 ** (-2 * j)),
      { cond: 2 ** (2 * (n - 1)) },
    ),
    hard(
      'clustered σ',
      m,
      n,
      withSingularValues(
        m,
        n,
        Array.from({ length: n }, (_, i) => 1 + i * 1e-9),
        4,
      ),
    ),
    hard(
      'multiple σ',
      m,
      n,
      withSingularValues(
        m,
        n,
        Array.from({ length: n }, (_, i) => (i < n / 2 ? 2 : 1)),
        5,
      ),
    ),
    hard(
      'geometric σ 1e-12',
      m,
      n,
      withSingularValues(
        m,
        n,
        Array.from({ length: n }, (_, i) => 10 ** ((-12 * i) / (n - 1))),
        6,
      ),
      { cond: 1e12 },
    ),
    hard('Kahan', n, n, kahan(n), { cond: 1 / Math.sin(1.2) ** (n - 1) }),
    hard('Wilkinson W+', 13, 13, wilkinson(13, 1), { symmetric: true }),
    hard('Wilkinson W−', 13, 13, wilkinson(13, -1), { symmetric: true, rankDeficient: true }), // eigenvalue 0: singular
    hard('symmetric', n, n, sym, { symmetric: true }),
    hard('SPD', n, n, spd, { symmetric: true, spd: true }),
    // SPD graded from 1 at the top-left to 1e-31 at the bottom-right (D·S·D, D = diag(10^{-1.4i})): the shape of
    // a Gram of rapidly decaying coefficients, whose tridiagonal form is large at the top — QL iterations stall
    // on it unless the block is turned around (dsteqr's QL/QR choice).
    hard(
      'graded SPD',
      n,
      n,
      matrix(n, n, (i, j) => spd[i * n + j] * 10 ** (-1.4 * (i + j))),
      { symmetric: true, spd: true, cond: 1e31 },
    ),
    hard('row', 1, 30, gauss(1, 30, 7)),
    hard('column', 30, 1, gauss(30, 1, 8)),
    hard('wide', 7, 300, gauss(7, 300, 9)),
    hard('tall', 300, 7, gauss(300, 7, 10)),
    hard('odd', 129, 65, gauss(129, 65, 11)),
    hard('empty', 0, 0, new Float64Array(0), { symmetric: true, spd: true }),
  ];
  for (const s of extremeScales(dtype)) {
    out.push(
      hard(
        `Gaussian × ${s}`,
        m,
        n,
        base.map((x) => x * s),
      ),
    );
    out.push(
      hard(
        `constant × ${s}`,
        m,
        n,
        matrix(m, n, () => s),
        { rankDeficient: true },
      ),
    );
    out.push(
      hard(
        `symmetric × ${s}`,
        n,
        n,
        sym.map((x) => x * s),
        { symmetric: true },
      ),
    );
    out.push(
      hard(
        `SPD × ${s}`,
        n,
        n,
        spd.map((x) => x * s),
        { symmetric: true, spd: true },
      ),
    );
  }
  return out;
}
