// What the reference factorization kernels share: the finite check, LAPACK's dlarfg reflector (from core) and plane rotations.
export { householderVector, SAFMIN_F64 } from '@lowrank/core';

export function hasNonFinite(x: Float64Array): boolean {
  return x.some((v) => !Number.isFinite(v));
}

/** (x, y) ← (c·x − s·y, s·x + c·y) for the rows of `buf` at offsets x and y. */
export function rotateRows(buf: Float64Array, x: number, y: number, len: number, c: number, s: number): void {
  for (let i = 0; i < len; i++) {
    const a = buf[x + i],
      b = buf[y + i];
    buf[x + i] = c * a - s * b;
    buf[y + i] = s * a + c * b;
  }
}
