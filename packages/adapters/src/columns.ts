/**
 * x·diag(s) and diag(s)·x: every row (column) of x scaled elementwise by s (device). The backends'
 * `binary` takes equal shapes, so the factor is an outer product with ones (a GEMM of depth 1).
 */
import { hostTensor, ops, type Backend, type DeviceTensor } from '@lowrank/core';

export async function scaleColumns(be: Backend, x: DeviceTensor, s: DeviceTensor): Promise<DeviceTensor> {
  const [n, k] = x.shape;
  const ones = await be.upload(hostTensor(x.dtype, [n, 1], new Float64Array(n).fill(1)));
  const factors = await ops.gemm(be, ones, await ops.reshape(be, s, [1, k]));
  return ops.binary(be, 'mul', x, factors);
}

/** diag(s)·x: row i of x (n×k) times s_i (n values, device). */
export async function scaleRows(be: Backend, x: DeviceTensor, s: DeviceTensor): Promise<DeviceTensor> {
  const [n, k] = x.shape;
  const ones = await be.upload(hostTensor(x.dtype, [1, k], new Float64Array(k).fill(1)));
  const factors = await ops.gemm(be, await ops.reshape(be, s, [n, 1]), ones);
  return ops.binary(be, 'mul', x, factors);
}
