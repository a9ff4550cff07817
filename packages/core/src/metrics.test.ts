import { describe, expect, it } from 'vitest';
import { rocAuc } from './metrics.ts';

describe('rocAuc', () => {
  it('counts ordered pairs, a tied pair as one half', () => {
    expect(rocAuc([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1])).toBe(0.75); // sklearn's documented example
    expect(rocAuc([1, 2, 3], [0, 1, 1])).toBe(1);
    expect(rocAuc([3, 2, 1], [0, 1, 1])).toBe(0);
    expect(rocAuc([1, 1, 1, 1], [0, 1, 0, 1])).toBe(0.5);
    expect(rocAuc([0, 1, 1, 2], [0, 0, 1, 1])).toBe(0.875); // (1 + 1 + 1 + ½) / 4
  });

  it('names bad input', () => {
    expect(() => rocAuc([1, 2], [1])).toThrow(/2 scores but 1 labels/);
    expect(() => rocAuc([1, 2], [1, 1])).toThrow(/at least one positive and one negative/);
  });
});
