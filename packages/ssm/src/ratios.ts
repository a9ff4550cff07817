import { scaledRatio } from '@lowrank/core';

/** Worst |x̂_i − x_i| / unit(i) over the entries, NaN read as a failure: the cases' scaled ratios. */
export function worstRatio(got: ArrayLike<number>, want: ArrayLike<number>, unit: (i: number) => number): number {
  let r = 0;
  for (let i = 0; i < want.length; i++) {
    const q = scaledRatio(Math.abs(got[i] - want[i]), unit(i));
    if (!(q <= r)) r = Number.isNaN(q) ? Infinity : q;
  }
  return r;
}
