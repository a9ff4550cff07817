/**
 * The device arithmetic the adapter layers share: the low-rank update W₀ + s·B·A, row norms, and
 * x·diag(s) / diag(s)·x. The backends' `binary` takes equal shapes, so a diagonal scaling multiplies
 * by the outer product of s with ones (a GEMM of depth 1).
 */
import { hostTensor, ops, type Backend, type DeviceTensor } from '@lowrank/core';

/** W₀ + s·B·A (out×in), a new tensor; W₀ is not changed. */
export async function plusLowRank(
  be: Backend,
  w0: DeviceTensor,
  b: DeviceTensor,
  a: DeviceTensor,
  s: number,
): Promise<DeviceTensor> {
  const w = await ops.copy(be, w0);
  await ops.gemm(be, b, a, { alpha: s, beta: 1, c: w });
  return w;
}

/** ‖W_{j,:}‖₂ for every row j (a device vector). */
export async function rowNorms(be: Backend, w: DeviceTensor): Promise<DeviceTensor> {
  return ops.unary(be, 'sqrt', await ops.reduce(be, 'sumsq', w, 'rows'));
}

/** x ⊙ (the n×k outer product of `left` and `right`, one of them ones). */
async function scaleBy(be: Backend, x: DeviceTensor, along: 'rows' | 'columns', s: DeviceTensor) {
  const [n, k] = x.shape;
  const ones = (len: number, shape: [number, number]) =>
    be.upload(hostTensor(x.dtype, shape, new Float64Array(len).fill(1)));
  const factors =
    along === 'columns'
      ? await ops.gemm(be, await ones(n, [n, 1]), await ops.reshape(be, s, [1, k]))
      : await ops.gemm(be, await ops.reshape(be, s, [n, 1]), await ones(k, [1, k]));
  return ops.binary(be, 'mul', x, factors);
}

/** x·diag(s): column j of x (n×k) times s_j (k values, device). */
export const scaleColumns = (be: Backend, x: DeviceTensor, s: DeviceTensor) => scaleBy(be, x, 'columns', s);

/** diag(s)·x: row i of x (n×k) times s_i (n values, device). */
export const scaleRows = (be: Backend, x: DeviceTensor, s: DeviceTensor) => scaleBy(be, x, 'rows', s);
