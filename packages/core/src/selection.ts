/**
 * Index selection on the host, exact and reproducible: the r largest scores (S05's column selection)
 * and weighted sampling without replacement (S26's singular-vector draws). Their goldens are index
 * lists from an independent Python implementation (scripts/golden/optim/selection.py), which repeats
 * the same f64 operations in the same order, so the lists agree exactly.
 */
import { ArgumentError } from './errors.ts';
import { fillRandom, type StreamId } from './rng/index.ts';

function checkCount(k: number, n: number): void {
  if (!Number.isInteger(k) || k < 0 || k > n) throw new ArgumentError(`k must be an integer in [0, ${n}], got ${k}`);
}

function checkFinite(name: string, values: ArrayLike<number>, nonNegative: boolean): void {
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!Number.isFinite(v) || (nonNegative && v < 0))
      throw new ArgumentError(
        `${name}[${i}] is ${v}: ${nonNegative ? 'weights must be finite and ≥ 0' : 'not finite'}`,
      );
  }
}

/**
 * Indices of the k largest values, largest first; equal values in increasing index order (so the
 * lowest index wins a tie at the boundary). Non-finite values are an ArgumentError.
 */
export function topK(values: ArrayLike<number>, k: number): Int32Array {
  checkCount(k, values.length);
  checkFinite('values', values, false);
  const order = Array.from({ length: values.length }, (_, i) => i);
  order.sort((a, b) => values[b] - values[a] || a - b);
  return Int32Array.from(order.slice(0, k));
}

/**
 * k distinct indices drawn one at a time with probability proportional to the weights of those not yet
 * drawn (successive sampling, as torch.multinomial without replacement): draw t takes the uniform u_t of
 * stream `id` (element t), scales it by the remaining total and walks the cumulative sum in index order.
 * Zero weights are never drawn; k above the number of positive weights is an ArgumentError.
 */
export function sampleWithoutReplacement(weights: ArrayLike<number>, k: number, id: StreamId): Int32Array {
  checkCount(k, weights.length);
  checkFinite('weights', weights, true);
  const w = Float64Array.from(weights);
  const positive = w.reduce((c, v) => c + (v > 0 ? 1 : 0), 0);
  if (k > positive) throw new ArgumentError(`cannot draw ${k} distinct indices from ${positive} positive weights`);
  const u = fillRandom(id, 'uniform', 'f64', k);
  const out = new Int32Array(k);
  for (let t = 0; t < k; t++) {
    let total = 0;
    for (let i = 0; i < w.length; i++) total += w[i];
    const target = u[t] * total;
    let cum = 0,
      pick = -1;
    for (let i = 0; i < w.length; i++) {
      if (w[i] === 0) continue;
      cum += w[i];
      pick = i;
      if (cum > target) break;
    }
    out[t] = pick;
    w[pick] = 0;
  }
  return out;
}
