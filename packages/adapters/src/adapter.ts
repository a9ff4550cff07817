/**
 * An adapter is a parameterization W(θ) of a layer's weights around a frozen W₀, with few trainable
 * parameters θ. Every adapter gives W(θ) on the backend and maps ∂L/∂W back to ∂L/∂θ (the chain rule
 * through its parameterization); `fineTune` trains any of them on a `RegressionTask` with Adam.
 */
import type { Backend, DeviceTensor } from '@lowrank/core';
import { Adam } from '@lowrank/mlp';
import { taskGradient, type RegressionTask } from './task.ts';

export interface Adapter {
  readonly name: string;
  /** Trainable parameters θ (host; updated in place by the optimizer). */
  readonly theta: Float64Array;
  /** W(θ) (out×in), a new device tensor. */
  weight(): Promise<DeviceTensor>;
  /** ∂L/∂θ from ∂L/∂W (out×in, device). */
  gradient(dW: DeviceTensor): Promise<Float64Array>;
  dispose(): void;
}

export interface FineTuneResult {
  /** Loss at step 0 and after each `every` steps, ending with the final loss. */
  readonly losses: number[];
  readonly final: number;
}

/** `steps` Adam steps (learning rate `lr`) on the task; the loss is recorded every `every` steps. */
export async function fineTune(
  be: Backend,
  adapter: Adapter,
  task: RegressionTask,
  steps: number,
  lr: number,
  every = steps,
): Promise<FineTuneResult> {
  const adam = new Adam(adapter.theta.length, lr);
  const losses: number[] = [];
  for (let t = 0; t <= steps; t++) {
    const release = be.track();
    try {
      const { grad, loss } = await taskGradient(be, task, await adapter.weight(), t % every === 0 || t === steps);
      if (t % every === 0 || t === steps) losses.push(loss);
      if (t === steps) break;
      adam.step(adapter.theta, await adapter.gradient(grad));
    } finally {
      release();
    }
  }
  return { losses, final: losses[losses.length - 1] };
}
