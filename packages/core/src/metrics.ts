/**
 * Scaled error ratios in the style of LAPACK's test suite: an error divided by the bound that
 * rounding-error analysis gives for it, in units of the machine epsilon of the dtype the backend
 * computed in. A ratio of order 1 is as good as the arithmetic allows; thresholds (30 for linear
 * algebra, as LAPACK's LIN tests) flag real bugs, not rounding.
 */

/**
 * err / bound, as LAPACK's tests take a ratio whose bound can vanish (a zero matrix, b = 0): 0 when the
 * error is exactly 0 — a zero input reproduced exactly passes —, +Inf when only the bound is 0, never
 * the 0/0 = NaN that failed a correct kernel.
 */
export function scaledRatio(err: number, bound: number): number {
  if (err === 0) return 0;
  return bound === 0 ? Infinity : err / bound;
}

/**
 * max_i |computed_i − expected_i| / (eps · scale_i). Elements where both values are the same
 * non-finite value (NaN and NaN, +Inf and +Inf) agree; a zero scale demands an exact match.
 */
export function componentwiseRatio(
  computed: ArrayLike<number>,
  expected: ArrayLike<number>,
  scale: ArrayLike<number> | number,
  eps: number,
): number {
  if (computed.length !== expected.length) return Infinity;
  let worst = 0;
  for (let i = 0; i < computed.length; i++) {
    const c = computed[i],
      e = expected[i];
    if (Object.is(c, e) || (Number.isNaN(c) && Number.isNaN(e)) || c === e) continue;
    if (!Number.isFinite(c) || !Number.isFinite(e)) return Infinity;
    const s = typeof scale === 'number' ? scale : scale[i];
    const r = Math.abs(c - e) / (eps * s);
    if (!(r <= worst)) worst = Number.isNaN(r) ? Infinity : r;
  }
  return worst;
}

/** Count of elements that are not bit-for-bit equal (NaN equals NaN): for exact kernels. */
export function mismatches(computed: ArrayLike<number>, expected: ArrayLike<number>): number {
  if (computed.length !== expected.length) return Infinity;
  let n = 0;
  for (let i = 0; i < computed.length; i++) if (!Object.is(computed[i], expected[i])) n++;
  return n;
}

/**
 * The magnitude that bounds GEMM rounding error, G_ij = |α|·(|op(A)|·|op(B)|)_ij + |β|·|C_ij|,
 * times (k + 2): Higham, Accuracy and Stability of Numerical Algorithms, §3.5, |Ĉ − C| ≤ γ_{k+2}·G.
 */
export function gemmErrorScale(
  a: Float64Array | Float32Array,
  b: Float64Array | Float32Array,
  c0: ArrayLike<number> | null,
  p: { m: number; n: number; k: number; transA: boolean; transB: boolean; alpha: number; beta: number },
  aOff = 0,
  bOff = 0,
  cOff = 0,
): Float64Array {
  const { m, n, k, transA, transB, alpha, beta } = p;
  const lda = transA ? m : k;
  const ldb = transB ? k : n;
  const out = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let l = 0; l < k; l++) {
        s +=
          Math.abs(transA ? a[aOff + l * lda + i] : a[aOff + i * lda + l]) *
          Math.abs(transB ? b[bOff + j * ldb + l] : b[bOff + l * ldb + j]);
      }
      const cTerm = beta !== 0 && c0 !== null ? Math.abs(beta) * Math.abs(c0[cOff + i * n + j]) : 0;
      out[i * n + j] = (k + 2) * (Math.abs(alpha) * s + cTerm);
    }
  }
  return out;
}

/** The arithmetic mean (NaN for none). */
export function mean(xs: readonly number[]): number {
  return xs.length === 0 ? NaN : xs.reduce((s, v) => s + v, 0) / xs.length;
}

/** The median (the mean of the two middle values for an even count; NaN for none). */
export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const n = s.length;
  return n === 0 ? NaN : n % 2 === 1 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
}

/** max |x̂ − x| / max |x|: the entrywise error in units of the largest expected entry (a case divides by its ε-scaled bound). */
export function errorOverLargest(computed: ArrayLike<number>, expected: ArrayLike<number>): number {
  if (computed.length !== expected.length) return Infinity;
  let err = 0,
    scale = 0;
  for (let i = 0; i < expected.length; i++) {
    const d = Math.abs(computed[i] - expected[i]);
    err = Number.isNaN(d) ? Infinity : Math.max(err, d);
    scale = Math.max(scale, Math.abs(expected[i]));
  }
  return err / scale;
}

/**
 * Area under the ROC curve of scores for binary labels (1 positive, 0 negative), as the Mann–Whitney
 * statistic: AUC = (R₊ − n₊(n₊ + 1)/2)/(n₊·n₋) with R₊ the sum of the positives' ranks among all
 * scores, tied scores sharing their average rank (so a tied pair counts ½, as sklearn's roc_auc_score).
 */
export function rocAuc(scores: ArrayLike<number>, labels: ArrayLike<number>): number {
  const n = scores.length;
  if (labels.length !== n) throw new RangeError(`rocAuc: ${n} scores but ${labels.length} labels`);
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => scores[a] - scores[b]);
  let positives = 0,
    rankSum = 0;
  for (let i = 0; i < n;) {
    let j = i;
    while (j + 1 < n && scores[order[j + 1]] === scores[order[i]]) j++;
    const rank = (i + j) / 2 + 1; // ranks i + 1 … j + 1 share their mean
    for (let t = i; t <= j; t++)
      if (labels[order[t]] === 1) {
        positives++;
        rankSum += rank;
      }
    i = j + 1;
  }
  const negatives = n - positives;
  if (positives === 0 || negatives === 0)
    throw new RangeError('rocAuc: needs at least one positive and one negative label');
  return (rankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}
