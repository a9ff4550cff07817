import { fillRandom } from '@lowrank/core';
import type { TwoLayerNet } from './fwsvd.ts';

/**
 * The plan's teacher: W₁ (hidden×inputs) and W₂ (outputs×hidden) Gaussian with variance 1/fan-in,
 * W₂'s columns scaled by 10^{U(−1, 1)} so that hidden units matter unequally downstream.
 */
export function heterogeneousTeacher(inputs: number, hidden: number, outputs: number, seed: number): TwoLayerNet {
  const w1 = (fillRandom({ seed, stream: 90 }, 'normal', 'f64', hidden * inputs) as Float64Array).map(
    (v) => v / Math.sqrt(inputs),
  );
  const scale = fillRandom({ seed, stream: 91 }, 'uniform', 'f64', hidden);
  const w2 = (fillRandom({ seed, stream: 92 }, 'normal', 'f64', outputs * hidden) as Float64Array).map(
    (v, i) => (v / Math.sqrt(hidden)) * 10 ** (2 * scale[i % hidden] - 1),
  );
  return { inputs, hidden, outputs, w1, w2 };
}
