/**
 * Sparse test matrices from finite differences on the unit square's N×N interior grid (natural,
 * row-major ordering of the unknowns, h = 1/(N + 1), scaled by h² so the diagonal is O(1)): the systems
 * the solvers family sweeps, relaxes and preconditions.
 *
 * - poisson2d: the 5-point Laplacian plus a shift, 4 + c on the diagonal and −1 for each neighbour; SPD
 *   for c > −8·sin²(πh/2) (c ≥ 0 always). Its Jacobi iteration matrix has spectral radius
 *   ρ_J = 4·cos(πh)/(4 + c), which gives Young's optimal SOR parameter ω* = 2/(1 + √(1 − ρ_J²)).
 * - convectionDiffusion2d: −Δu + β·(u_x + u_y) by first-order upwind differences (β ≥ 0, grid Péclet
 *   number P = β·h): diagonal 4 + 2P, west and south −1 − P, east and north −1; nonsymmetric, an
 *   M-matrix for every P ≥ 0, so SOR converges for ω in (0, 1] and Gauss–Seidel always.
 */
import { ArgumentError } from './errors.ts';
import { sparsePattern, type SparsePattern } from './sparse.ts';

export interface SparseMatrix {
  readonly pattern: SparsePattern;
  /** Values in the pattern's entry order. */
  readonly vals: Float64Array;
}

function checkGrid(n: number): void {
  if (!Number.isInteger(n) || n < 1 || n > 4096)
    throw new ArgumentError(`grid side N must be an integer in [1, 4096], got ${n}`);
}

/** The 5-point stencil with the given centre and neighbour weights (west, east, south, north), row by row. */
function stencil(n: number, centre: number, west: number, east: number, south: number, north: number): SparseMatrix {
  const rows: number[] = [],
    cols: number[] = [],
    vals: number[] = [];
  const put = (i: number, j: number, v: number) => {
    rows.push(i);
    cols.push(j);
    vals.push(v);
  };
  for (let y = 0; y < n; y++)
    for (let x = 0; x < n; x++) {
      const i = y * n + x;
      if (y > 0) put(i, i - n, south);
      if (x > 0) put(i, i - 1, west);
      put(i, i, centre);
      if (x < n - 1) put(i, i + 1, east);
      if (y < n - 1) put(i, i + n, north);
    }
  return { pattern: sparsePattern(n * n, n * n, rows, cols), vals: Float64Array.from(vals) };
}

/** h²·(−Δ) + c·I on the N×N grid: 4 + c on the diagonal, −1 per neighbour. */
export function poisson2d(n: number, shift = 0): SparseMatrix {
  checkGrid(n);
  // λ_min of the unshifted matrix is 4 − 4cos(πh) = 8sin²(πh/2): a larger negative shift makes it indefinite.
  const lambdaMin = 8 * Math.sin(Math.PI / (2 * (n + 1))) ** 2;
  if (!Number.isFinite(shift) || !(shift > -lambdaMin))
    throw new ArgumentError(`shift c must be finite and > −8·sin²(πh/2) = ${-lambdaMin} (SPD), got ${shift}`);
  return stencil(n, 4 + shift, -1, -1, -1, -1);
}

/** The Jacobi spectral radius of poisson2d(N, c) and Young's optimal SOR parameter for it. */
export function youngOmega(n: number, shift = 0): { rhoJacobi: number; omega: number } {
  const rhoJacobi = (4 * Math.cos(Math.PI / (n + 1))) / (4 + shift);
  return { rhoJacobi, omega: 2 / (1 + Math.sqrt(1 - rhoJacobi * rhoJacobi)) };
}

/** h²·(−Δ + β·∂ₓ + β·∂ᵧ) by upwind differences on the N×N grid, grid Péclet number P = β·h ≥ 0. */
export function convectionDiffusion2d(n: number, peclet: number): SparseMatrix {
  checkGrid(n);
  if (!Number.isFinite(peclet) || peclet < 0)
    throw new ArgumentError(`Péclet number must be finite and ≥ 0, got ${peclet}`);
  return stencil(n, 4 + 2 * peclet, -1 - peclet, -1, -1 - peclet, -1);
}
