/**
 * Tucker approximation at a tolerance: the modes' spectra, the ranks they imply, and HOOI (higher-order orthogonal
 * iteration; De Lathauwer, De Moor & Vandewalle, "On the best rank-(R₁, …, R_N) approximation of higher-order
 * tensors", SIAM J. Matrix Anal. Appl. 21(4), 2000). With HOSVD factors A_k (the leading eigenvectors of each mode's
 * Gram) the error obeys ‖X − X̂‖² ≤ Σ_k Σ_{i>r_k} σ_{k,i}², so ranks with Σ_{i>r_k} σ_{k,i}² ≤ ε²‖X‖²/N for every
 * mode keep ‖X − X̂‖ ≤ ε‖X‖. HOOI then sweeps the modes: A_k ← the r_k leading eigenvectors of the mode-k Gram of
 * Y = X ×_{j≠k} A_jᵀ; each sweep does not decrease ‖G‖ (= ‖X̂‖), so ‖X − X̂‖² = ‖X‖² − ‖G‖² does not increase.
 * Every product and Gram on the backend (batched GEMMs, tucker.ts), the eigenproblems by syev.
 */
import { ArgumentError, hostTensor, ops, type Backend, type DeviceTensor } from '@lowrank/core';
import { firstColumns, frobenius, svd, symmetricEig } from '@lowrank/linalg';
import { hosvd, modeCross, projectModes, type TensorShape } from './tucker.ts';

/** Each mode's Gram eigenvalues σ²_{k,i}, descending (clamped at 0: a Gram is semidefinite). */
export async function modeSpectra(be: Backend, x: DeviceTensor, shape: TensorShape): Promise<Float64Array[]> {
  const out: Float64Array[] = [];
  for (let k = 0; k < shape.length; k++) {
    const gram = await modeCross(be, x, shape, x, shape, k);
    const { values, vectors } = await symmetricEig(be, gram);
    be.dispose(gram);
    be.dispose(vectors);
    out.push(values.map((v) => Math.max(0, v)));
  }
  return out;
}

/**
 * Each mode's σ²_{k,i} from its unfolding directly: Householder QR of X_(k)ᵀ (P·Q × n_k) on the backend, then the SVD
 * of R (n_k × n_k). Singular values come out accurate to ε·σ₁ absolute, so a spectrum's tail is resolved down to
 * ε²·‖X‖² — where the Gram's eigenvalues (modeSpectra) stop at ~n_k·ε·‖X‖², too coarse for tolerances below
 * √(n_k·ε) ≈ 1e-7. The unfoldings come from rotating the modes by 2-D transposes ([rest, n_k] → [n_k, rest]).
 */
export async function modeSpectraQr(be: Backend, x: DeviceTensor, shape: TensorShape): Promise<Float64Array[]> {
  const N = shape.length,
    total = shape.reduce((a, b) => a * b, 1);
  const out: Float64Array[] = new Array<Float64Array>(N);
  const release = be.track();
  try {
    let t = await ops.reshape(be, x, [total / shape[N - 1], shape[N - 1]]);
    for (let k = N - 1; k >= 0; k--) {
      const { r } = await ops.qr(be, t);
      const f = await svd(be, r, { valuesOnly: true });
      out[k] = Float64Array.from((await be.download(f.s)).data, (v) => v * v);
      if (k > 0) t = await ops.reshape(be, await ops.transpose(be, t), [total / shape[k - 1], shape[k - 1]]);
    }
    return out;
  } finally {
    release();
  }
}

/** The least r_k per mode with Σ_{i ≥ r_k} σ²_{k,i} ≤ ε²‖X‖²/N (‖X‖² = the trace of any mode's Gram); at least 1. */
export function ranksForTolerance(spectra: readonly Float64Array[], eps: number): number[] {
  if (!(eps >= 0 && eps < 1)) throw new ArgumentError(`the relative tolerance must lie in [0, 1), got ${eps}`);
  const total = spectra[0].reduce((a, b) => a + b, 0);
  const budget = (eps * eps * total) / spectra.length;
  return spectra.map((s) => {
    let tail = 0,
      r = s.length;
    while (r > 1 && tail + s[r - 1] <= budget) tail += s[--r];
    return r;
  });
}

export interface Tucker {
  core: DeviceTensor;
  coreShape: number[];
  factors: DeviceTensor[];
  /** ‖X − X̂‖/‖X‖ after the HOSVD (index 0) and after each HOOI sweep. */
  errors: number[];
}

/** HOSVD at the given ranks, then `sweeps` HOOI sweeps; the relative error after each. */
export async function hooi(
  be: Backend,
  x: DeviceTensor,
  shape: TensorShape,
  ranks: readonly number[],
  sweeps: number,
): Promise<Tucker> {
  if (!Number.isInteger(sweeps) || sweeps < 0)
    throw new ArgumentError(`HOOI: sweeps must be an integer ≥ 0, got ${sweeps}`);
  // The domain: mode k's update reads a matrix of rank ≤ Π_{j≠k} r_j, so a larger r_k leaves the factor undetermined.
  ranks.forEach((r, k) => {
    const others = ranks.reduce((p, q, j) => (j === k ? p : p * q), 1);
    if (r > others)
      throw new ArgumentError(
        `HOOI: rank ${r} of mode ${k} exceeds the product of the others' ranks (${others}): not a Tucker rank`,
      );
  });
  const norm = frobenius((await be.download(x)).data);
  const error = async (core: DeviceTensor) => {
    const g = frobenius((await be.download(core)).data);
    return norm === 0 ? 0 : Math.sqrt(Math.max(0, norm * norm - g * g)) / norm;
  };
  const start = await hosvd(be, x, shape, ranks);
  const factors = start.factors;
  let core = start.core,
    coreShape = start.coreShape;
  const errors = [await error(core)];
  for (let sweep = 0; sweep < sweeps; sweep++) {
    for (let k = 0; k < shape.length; k++) {
      const y = await projectModes(be, x, shape, factors, k);
      const gram = await modeCross(be, y.tensor, y.shape, y.tensor, y.shape, k);
      if (y.tensor !== x) be.dispose(y.tensor);
      const { vectors } = await symmetricEig(be, gram);
      be.dispose(gram);
      const n = shape[k],
        v = (await be.download(vectors)).data;
      be.dispose(vectors);
      be.dispose(factors[k]);
      factors[k] = await be.upload(hostTensor(x.dtype, [n, ranks[k]], firstColumns(v, n, n, ranks[k])));
    }
    be.dispose(core);
    const next = await projectModes(be, x, shape, factors);
    core = next.tensor;
    coreShape = next.shape;
    errors.push(await error(core));
  }
  return { core, coreShape, factors, errors };
}
