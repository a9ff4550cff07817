/**
 * The teacher–student fine-tuning task the adapter claims share: a linear layer W (out×in) is fitted to
 * a teacher W* on inputs x ~ N(0, I), by the empirical squared loss over n samples,
 *   L(W) = (1/2n)·‖X·Wᵀ − X·W*ᵀ‖²_F = ½·tr((W − W*)·Σ̂·(W − W*)ᵀ),  Σ̂ = XᵀX/n,
 * whose gradient is ∂L/∂W = (W − W*)·Σ̂: one GEMM of out×in by in×in per step, independent of n.
 */
import { hostTensor, ops, type Backend, type DeviceTensor, type DType } from '@lowrank/core';
import { diagonalMatrix } from '@lowrank/linalg';

export interface RegressionTask {
  readonly outputs: number;
  readonly inputs: number;
  readonly teacher: DeviceTensor;
  /** Σ̂ = XᵀX/n (in×in). */
  readonly covariance: DeviceTensor;
  dispose(): void;
}

/** The task for teacher W* (host, out×in) with n inputs drawn N(0, I) from (seed, stream 100). */
export async function regressionTask(
  be: Backend,
  dtype: DType,
  teacher: Float64Array,
  outputs: number,
  inputs: number,
  n: number,
  seed: number,
): Promise<RegressionTask> {
  const x = await ops.random(be, dtype, [n, inputs], { dist: 'normal', seed, stream: 100 });
  const covariance = await ops.gemm(be, x, x, { transA: true, alpha: 1 / n });
  be.dispose(x);
  return withTeacher(be, dtype, teacher, outputs, inputs, covariance);
}

/** The population version for x ~ N(0, I): Σ = I exactly, so L(W) = ½‖W − W*‖²_F. */
export async function isotropicTask(
  be: Backend,
  dtype: DType,
  teacher: Float64Array,
  outputs: number,
  inputs: number,
): Promise<RegressionTask> {
  const covariance = await be.upload(
    hostTensor(dtype, [inputs, inputs], diagonalMatrix(new Float64Array(inputs).fill(1))),
  );
  return withTeacher(be, dtype, teacher, outputs, inputs, covariance);
}

/** The population task for inputs of covariance Σ (host, in×in): L(W) = ½·tr((W − W*)·Σ·(W − W*)ᵀ), the expected risk. */
export async function covarianceTask(
  be: Backend,
  dtype: DType,
  teacher: Float64Array,
  outputs: number,
  inputs: number,
  sigma: Float64Array,
): Promise<RegressionTask> {
  return withTeacher(be, dtype, teacher, outputs, inputs, await be.upload(hostTensor(dtype, [inputs, inputs], sigma)));
}

/** The task of teacher W* (uploaded here) under the input covariance given (owned by the task from now on). */
async function withTeacher(
  be: Backend,
  dtype: DType,
  teacher: Float64Array,
  outputs: number,
  inputs: number,
  covariance: DeviceTensor,
): Promise<RegressionTask> {
  const t = await be.upload(hostTensor(dtype, [outputs, inputs], teacher));
  return {
    outputs,
    inputs,
    teacher: t,
    covariance,
    dispose: () => {
      be.dispose(t);
      be.dispose(covariance);
    },
  };
}

/** ∂L/∂W = (W − W*)·Σ̂ as a new device tensor, and L(W) when asked (½·Σ (W − W*) ⊙ ∂L/∂W). */
export async function taskGradient(
  be: Backend,
  task: RegressionTask,
  w: DeviceTensor,
  withLoss = false,
): Promise<{ grad: DeviceTensor; loss: number }> {
  const diff = await ops.binary(be, 'sub', w, task.teacher);
  const grad = await ops.gemm(be, diff, task.covariance);
  let loss = NaN;
  if (withLoss) {
    const [d, g] = [(await be.download(diff)).data, (await be.download(grad)).data];
    loss = 0;
    for (let i = 0; i < d.length; i++) loss += d[i] * g[i];
    loss /= 2;
  }
  be.dispose(diff);
  return { grad, loss };
}
