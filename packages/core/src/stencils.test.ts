import { describe, expect, it } from 'vitest';
import { badDiagonalRow, checkSweepOrder, sweepOrder } from './sparse.ts';
import { convectionDiffusion2d, poisson2d, youngOmega } from './stencils.ts';

/** The dense matrix of a generated stencil (repeats summed). */
function dense(m: ReturnType<typeof poisson2d>): number[][] {
  const n = m.pattern.n;
  const a = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  for (let e = 0; e < m.pattern.nnz; e++) a[m.pattern.rows[e]][m.pattern.cols[e]] += m.vals[e];
  return a;
}

describe('finite-difference stencils and sweep orders', () => {
  it('poisson2d is the symmetric 5-point Laplacian plus c·I with the textbook Jacobi radius', () => {
    const m = poisson2d(3, 0.5);
    expect(m.pattern.nnz).toBe(9 * 5 - 4 * 3);
    const a = dense(m);
    for (let i = 0; i < 9; i++) {
      expect(a[i][i]).toBe(4.5);
      for (let j = 0; j < 9; j++) expect(a[i][j]).toBe(a[j][i]);
    }
    expect(a[4]).toEqual([0, -1, 0, -1, 4.5, -1, 0, -1, 0]);
    // ρ_J = 4cos(πh)/(4 + c) with h = 1/(N + 1); ω* ∈ (1, 2) and grows with N.
    expect(youngOmega(3, 0.5).rhoJacobi).toBeCloseTo((4 * Math.cos(Math.PI / 4)) / 4.5, 15);
    expect(youngOmega(64).omega).toBeGreaterThan(youngOmega(16).omega);
    expect(() => poisson2d(0)).toThrow(/grid side N must be an integer in \[1, 4096\], got 0/);
    expect(() => poisson2d(4, -1)).toThrow(/shift c must be finite and > −8·sin²\(πh\/2\)/);
    expect(poisson2d(10, -0.15).vals[0]).toBeCloseTo(3.85, 15); // the paper's smallest offset on its 10×10 grid
  });

  it('convectionDiffusion2d is an upwind M-matrix: row sums ≥ 0, off-diagonals ≤ 0, nonsymmetric for P > 0', () => {
    const a = dense(convectionDiffusion2d(4, 2));
    let symmetric = true;
    for (let i = 0; i < 16; i++) {
      expect(a[i].reduce((s, v) => s + v, 0)).toBeGreaterThanOrEqual(0);
      for (let j = 0; j < 16; j++) {
        if (i !== j) expect(a[i][j]).toBeLessThanOrEqual(0);
        if (a[i][j] !== a[j][i]) symmetric = false;
      }
    }
    expect(symmetric).toBe(false);
    expect(a[5][4]).toBe(-3);
    expect(a[5][6]).toBe(-1);
    expect(() => convectionDiffusion2d(4, Number.NaN)).toThrow(/Péclet number must be finite/);
  });

  it('multicolor orders the 5-point stencil red–black and every order it makes passes its own check', () => {
    const m = poisson2d(5);
    const rb = sweepOrder(m.pattern, 'multicolor');
    expect(Array.from(rb.classPtr)).toEqual([0, 13, 25]);
    expect(Array.from(rb.order.subarray(0, 13)).every((i) => ((i % 5) + Math.floor(i / 5)) % 2 === 0)).toBe(true);
    checkSweepOrder(m.pattern, rb);
    checkSweepOrder(m.pattern, sweepOrder(m.pattern, 'lexicographic'));
    expect(() => checkSweepOrder(m.pattern, { ...rb, order: rb.order.map((i) => (i === 0 ? 1 : i)) })).toThrow(
      /not a row left to visit/,
    );
    expect(badDiagonalRow(m.pattern, m.vals)).toBe(-1);
    expect(
      badDiagonalRow(
        m.pattern,
        m.vals.map((v) => (v > 0 ? Number.NaN : v)),
      ),
    ).toBe(0);
  });
});
