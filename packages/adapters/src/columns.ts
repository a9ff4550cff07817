/**
 * x·diag(s): every row of x (n×k) multiplied elementwise by s (k values, device). The backends'
 * `binary` takes equal shapes, so the n×k factor is the outer product 1·sᵀ (a GEMM of depth 1).
 */
import { hostTensor, ops, type Backend, type DeviceTensor } from '@lowrank/core';

export async function scaleColumns(be: Backend, x: DeviceTensor, s: DeviceTensor): Promise<DeviceTensor> {
  const [n, k] = x.shape;
  const ones = await be.upload(hostTensor(x.dtype, [n, 1], new Float64Array(n).fill(1)));
  const factors = await ops.gemm(be, ones, await ops.reshape(be, s, [1, k]));
  return ops.binary(be, 'mul', x, factors);
}
