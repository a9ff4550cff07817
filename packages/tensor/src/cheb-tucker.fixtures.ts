/**
 * S31's targets (catalogue): the long-range part of the Newton kernel summed over charges on a lattice,
 * f_lr(x) = Σ_ν q_ν·erf(β‖x − x_ν‖)/‖x − x_ν‖ (2β/√π at the charge), on [−1, 1]³ — one charge at the origin, a
 * 2×2×2 lattice at ±½, or a 3×3×3 lattice at {−½, 0, ½} — with checkerboard charges q = (−1)^{i+j+k}.
 */

/**
 * erf(x) to about an ulp: |x| ≤ 1.5 by the series (2/√π)·e^{−x²}·Σ 2ⁿx^{2n+1}/(1·3⋯(2n+1)) (positive terms, no
 * cancellation; its rounding grows with the number of terms, 8 ulps by x = 2.5); beyond, 1 − erfc(x) with
 * erfc(x) = e^{−x²}/(√π·K), K the continued fraction x + ½/(x + 1/(x + 3/2/…)) evaluated from depth 100 (converged
 * for x > 1.5; erfc ≤ 0.034 there, so its relative error reaches erf divided by 30).
 */
export function erf(x: number): number {
  const a = Math.abs(x);
  if (a <= 1.5) {
    let term = a,
      sum = a;
    for (let n = 0; term > 1e-17 * sum; n++) {
      term *= (2 * a * a) / (2 * n + 3);
      sum += term;
    }
    return Math.sign(x) * (2 / Math.sqrt(Math.PI)) * Math.exp(-a * a) * sum;
  }
  let k = a;
  for (let j = 100; j >= 1; j--) k = a + j / 2 / k;
  return Math.sign(x) * (1 - Math.exp(-a * a) / (Math.sqrt(Math.PI) * k));
}

export interface Charges {
  positions: Float64Array;
  charges: Float64Array;
}

/** 1, 8 or 27 charges on their lattice, alternating signs. */
export function latticeCharges(count: 1 | 8 | 27): Charges {
  const axis = count === 1 ? [0] : count === 8 ? [-0.5, 0.5] : [-0.5, 0, 0.5];
  const positions: number[] = [],
    charges: number[] = [];
  axis.forEach((x, i) =>
    axis.forEach((y, j) =>
      axis.forEach((z, k) => {
        positions.push(x, y, z);
        charges.push((i + j + k) % 2 === 0 ? 1 : -1);
      }),
    ),
  );
  return { positions: Float64Array.from(positions), charges: Float64Array.from(charges) };
}

/** f_lr for the charges and β. */
export function newtonLongRange(c: Charges, beta: number): (x: number, y: number, z: number) => number {
  return (x, y, z) => {
    let s = 0;
    for (let v = 0; v < c.charges.length; v++) {
      const r = Math.hypot(x - c.positions[3 * v], y - c.positions[3 * v + 1], z - c.positions[3 * v + 2]);
      s += c.charges[v] * (r === 0 ? (2 * beta) / Math.sqrt(Math.PI) : erf(beta * r) / r);
    }
    return s;
  };
}
