import { fillRandom } from '@lowrank/core';

/** The samples at `indices` (rows of x, d inputs each) and their labels: a minibatch. */
export function gatherBatch(
  data: { x: Float64Array; labels: Int32Array },
  d: number,
  indices: ArrayLike<number>,
): { x: Float64Array; labels: Int32Array } {
  const x = new Float64Array(indices.length * d);
  for (let i = 0; i < indices.length; i++) x.set(data.x.subarray(indices[i] * d, (indices[i] + 1) * d), i * d);
  return { x, labels: Int32Array.from(indices, (i) => data.labels[i]) };
}

/**
 * A Gaussian mixture classification set (S39's data): `classes` cluster means drawn N(0, separation²·I)
 * in d dimensions, N points split evenly (point i has class i mod classes) at mean + N(0, I).
 */
export function gaussianMixture(
  n: number,
  d: number,
  classes: number,
  separation: number,
  seed: number,
): { x: Float64Array; labels: Int32Array } {
  const means = fillRandom({ seed, stream: 50 }, 'normal', 'f64', classes * d);
  const noise = fillRandom({ seed, stream: 51 }, 'normal', 'f64', n * d);
  const x = new Float64Array(n * d),
    labels = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    labels[i] = i % classes;
    for (let j = 0; j < d; j++) x[i * d + j] = separation * means[labels[i] * d + j] + noise[i * d + j];
  }
  return { x, labels };
}
