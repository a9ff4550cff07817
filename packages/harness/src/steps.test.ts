import { describe, expect, it } from 'vitest';
import { detectSteps } from './steps.ts';

const wobble = (n: number, level: number, seed: number) =>
  Array.from({ length: n }, (_, i) => level * (1 + 0.01 * Math.sin(i * 7.3 + seed)));

describe('step detection', () => {
  it('finds a lasting 20% shift at the right run and ignores noise', () => {
    const y = [...wobble(12, 10, 1), ...wobble(10, 12, 2)];
    const steps = detectSteps(y);
    expect(steps).toHaveLength(1);
    expect(steps[0].at).toBe(12);
    expect(steps[0].after / steps[0].before).toBeCloseTo(1.2, 1);
    expect(detectSteps(wobble(30, 10, 3))).toEqual([]);
  });
  it('finds two steps and does not call one outlier a step', () => {
    const y = [...wobble(8, 5, 1), ...wobble(8, 8, 2), ...wobble(8, 6, 3)];
    expect(detectSteps(y).map((s) => s.at)).toEqual([8, 16]);
    const spike = wobble(20, 5, 4);
    spike[10] = 9;
    expect(detectSteps(spike)).toEqual([]);
    expect(detectSteps([1, 2])).toEqual([]);
  });
});
