import { hostTensor, ops, type Backend, type DeviceTensor, type DType } from '@lowrank/core';

/**
 * ½‖Ax − b‖² and its gradient Aᵀ(Ax − b) with A (n×d) and b on the backend: a GEMV, an AXPY, a norm and a
 * transposed GEMV; x (d) comes from the host. Shared by the least-squares BCD solvers.
 */
export async function leastSquaresObjective(
  be: Backend,
  dtype: DType,
  a: DeviceTensor,
  b: DeviceTensor,
  x: ArrayLike<number>,
): Promise<{ value: number; gradient: Float64Array }> {
  const release = be.track();
  try {
    const xt = await be.upload(hostTensor(dtype, [a.shape[1]], Float64Array.from(x)));
    const r = await ops.axpy(be, -1, b, await ops.gemv(be, a, xt));
    const norm = await ops.nrm2(be, r);
    const g = (await be.download(await ops.gemv(be, a, r, { trans: true }))).data;
    return { value: 0.5 * norm * norm, gradient: Float64Array.from(g) };
  } finally {
    release();
  }
}
