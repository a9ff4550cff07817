import type { Backend, BenchInstance, DeviceTensor } from '@lowrank/core';

/**
 * A benchmark whose run makes new outputs each time (a factorization's factors): the previous
 * outputs are disposed before the next run, and everything, inputs included, at the end.
 */
export function freshOutputs<T>(
  be: Backend,
  inputs: DeviceTensor[],
  make: () => Promise<T>,
  outputs: (made: T) => DeviceTensor[],
): BenchInstance {
  let made: T | undefined;
  const drop = () => {
    if (made !== undefined) outputs(made).forEach((t) => be.dispose(t));
  };
  return {
    run: async () => {
      drop();
      made = await make();
    },
    dispose: () => {
      drop();
      inputs.forEach((t) => be.dispose(t));
    },
  };
}
