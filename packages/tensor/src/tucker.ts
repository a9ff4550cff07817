/**
 * Dense tensors in row-major order (the last index fastest) and the multilinear algebra of the Tucker
 * format, on any backend. A tensor is a device tensor plus its shape [n₁, …, n_N]; viewing it as
 * [P, n_k, Q] (P = Π_{i<k} n_i, Q = Π_{i>k} n_i) turns every mode-k operation into a batched GEMM over P,
 * so no permutation kernel is needed:
 *   mode-k product  (X ×_k A)[p, j, q] = Σ_t A[j, t]·X[p, t, q]          (A: J×n_k)
 *   mode-k Gram     X_(k)·X_(k)ᵀ = Σ_p X[p]·X[p]ᵀ                        (n_k×n_k)
 *   mode-k cross    X_(k)·Y_(k)ᵀ = Σ_p X[p]·Y[p]ᵀ                        (for gradients of Tucker factors)
 * (De Lathauwer, De Moor & Vandewalle 2000; Kolda & Bader 2009, §2.5 and §4.2.)
 */
import { ArgumentError, hostTensor, ops, ShapeError, type Backend, type DeviceTensor } from '@lowrank/core';
import { firstColumns, symmetricEig } from '@lowrank/linalg';

export type TensorShape = readonly number[];

const product = (xs: readonly number[]) => xs.reduce((a, b) => a * b, 1);

/** P, n_k and Q of the [P, n_k, Q] view of `shape` at `mode`. */
function view(shape: TensorShape, mode: number): [number, number, number] {
  if (!Number.isInteger(mode) || mode < 0 || mode >= shape.length)
    throw new ArgumentError(`tensor: mode ${mode} is not in [0, ${shape.length})`);
  return [product(shape.slice(0, mode)), shape[mode], product(shape.slice(mode + 1))];
}

function checkTensor(what: string, x: DeviceTensor, shape: TensorShape): void {
  if (x.size !== product(shape))
    throw new ShapeError(`${what}: a tensor of ${x.size} values cannot have shape [${shape.join('×')}]`);
}

/** A (rows×cols) repeated `times` as a [times, rows, cols] device tensor: the shared operand of a batched GEMM. */
async function repeated(be: Backend, a: DeviceTensor, times: number): Promise<DeviceTensor> {
  if (times === 1) return ops.reshape(be, a, [1, ...a.shape]);
  const host = (await be.download(a)).data,
    out = new Float64Array(times * host.length);
  for (let p = 0; p < times; p++) out.set(host, p * host.length);
  return be.upload(hostTensor(a.dtype, [times, ...a.shape], out));
}

/** X ×_k A for X of `shape` and A (J×n_k): a new tensor of shape `shape` with n_k replaced by J. */
export async function modeProduct(
  be: Backend,
  x: DeviceTensor,
  shape: TensorShape,
  a: DeviceTensor,
  mode: number,
): Promise<{ tensor: DeviceTensor; shape: number[] }> {
  checkTensor('modeProduct', x, shape);
  const [p, n, q] = view(shape, mode),
    j = a.shape[0];
  if (a.shape.length !== 2 || a.shape[1] !== n)
    throw new ShapeError(
      `modeProduct: A must be J×${n} for mode ${mode} of [${shape.join('×')}], got [${a.shape.join('×')}]`,
    );
  const outShape = shape.map((v, i) => (i === mode ? j : v));
  const x3 = await ops.reshape(be, x, [p, n, q]);
  const a3 = await repeated(be, a, p);
  const y = await ops.batchedGemm(be, a3, x3);
  be.dispose(x3);
  be.dispose(a3);
  const out = await ops.reshape(be, y, [product(outShape)]);
  be.dispose(y);
  return { tensor: out, shape: outShape };
}

/** Σ_p X[p]·Y[p]ᵀ (n_k×m_k) for X of `xShape` and Y of `yShape` that agree outside mode k: X_(k)·Y_(k)ᵀ. */
export async function modeCross(
  be: Backend,
  x: DeviceTensor,
  xShape: TensorShape,
  y: DeviceTensor,
  yShape: TensorShape,
  mode: number,
): Promise<DeviceTensor> {
  checkTensor('modeCross', x, xShape);
  checkTensor('modeCross', y, yShape);
  const [p, n, q] = view(xShape, mode),
    [p2, m, q2] = view(yShape, mode);
  if (p !== p2 || q !== q2)
    throw new ShapeError(`modeCross: [${xShape.join('×')}] and [${yShape.join('×')}] differ outside mode ${mode}`);
  if (q === 1) {
    // The last mode: X_(k) = (X as p×n)ᵀ, so the cross product is one GEMM — no [p, n, m] intermediate.
    const x2 = await ops.reshape(be, x, [p, n]),
      y2 = await ops.reshape(be, y, [p, m]);
    const out = await ops.gemm(be, x2, y2, { transA: true });
    be.dispose(x2);
    be.dispose(y2);
    return out;
  }
  const x3 = await ops.reshape(be, x, [p, n, q]),
    y3 = await ops.reshape(be, y, [p, m, q]);
  const per = await ops.batchedGemm(be, x3, y3, { transB: true }); // [p, n, m]
  const flat = await ops.reshape(be, per, [p, n * m]);
  const sum = await ops.reduce(be, 'sum', flat, 'cols');
  const out = await ops.reshape(be, sum, [n, m]);
  for (const t of [x3, y3, per, flat, sum]) be.dispose(t);
  return out;
}

/** G ×₁ A₁ ×₂ A₂ … ×_N A_N for a core of shape [r₁, …, r_N] and factors A_k (n_k×r_k): the full tensor and its shape. */
export async function tuckerReconstruct(
  be: Backend,
  core: DeviceTensor,
  coreShape: TensorShape,
  factors: readonly DeviceTensor[],
): Promise<{ tensor: DeviceTensor; shape: number[] }> {
  if (factors.length !== coreShape.length)
    throw new ShapeError(`tuckerReconstruct: ${factors.length} factors for a core of order ${coreShape.length}`);
  let cur = { tensor: core, shape: [...coreShape] };
  for (let k = 0; k < factors.length; k++) {
    const next = await modeProduct(be, cur.tensor, cur.shape, factors[k], k);
    if (cur.tensor !== core) be.dispose(cur.tensor);
    cur = next;
  }
  return cur;
}

/** X ×_k A_kᵀ over every mode but `skip` (all of them by default): the core, or what HOOI's mode update reads. */
export async function projectModes(
  be: Backend,
  x: DeviceTensor,
  shape: TensorShape,
  factors: readonly DeviceTensor[],
  skip = -1,
): Promise<{ tensor: DeviceTensor; shape: number[] }> {
  let cur = { tensor: x, shape: [...shape] };
  for (let k = 0; k < shape.length; k++) {
    if (k === skip) continue;
    const at = await ops.transpose(be, factors[k]);
    const next = await modeProduct(be, cur.tensor, cur.shape, at, k);
    be.dispose(at);
    if (cur.tensor !== x) be.dispose(cur.tensor);
    cur = next;
  }
  return cur;
}

/**
 * Truncated HOSVD: A_k = the r_k leading eigenvectors of the mode-k Gram X_(k)·X_(k)ᵀ (= left singular
 * vectors of the unfolding), G = X ×₁ A₁ᵀ … ×_N A_Nᵀ. Quasi-optimal: ‖X − X̂‖ ≤ √N·‖X − X_best‖.
 */
export async function hosvd(
  be: Backend,
  x: DeviceTensor,
  shape: TensorShape,
  ranks: readonly number[],
): Promise<{ core: DeviceTensor; coreShape: number[]; factors: DeviceTensor[] }> {
  if (ranks.length !== shape.length || ranks.some((r, k) => !Number.isInteger(r) || r < 1 || r > shape[k]))
    throw new ArgumentError(`hosvd: ranks [${ranks.join(', ')}] must be integers in [1, n_k] for [${shape.join('×')}]`);
  const factors: DeviceTensor[] = [];
  for (let k = 0; k < shape.length; k++) {
    const gram = await modeCross(be, x, shape, x, shape, k);
    const { vectors } = await symmetricEig(be, gram);
    be.dispose(gram);
    const n = shape[k],
      r = ranks[k],
      v = (await be.download(vectors)).data;
    be.dispose(vectors);
    factors.push(await be.upload(hostTensor(x.dtype, [n, r], firstColumns(v, n, n, r))));
  }
  const cur = await projectModes(be, x, shape, factors);
  return { core: cur.tensor, coreShape: cur.shape, factors };
}
