import { describe, expect, it } from 'vitest';
import { f16Bits, fromF16Bits, roundToF16 } from './f16.ts';
import { hostTensor } from './tensor.ts';

describe('binary16', () => {
  it('rounds once from f64 to nearest even, like numpy astype(float16)', () => {
    expect(roundToF16(1 + 2 ** -11)).toBe(1); // tie → even
    expect(roundToF16(1 + 3 * 2 ** -11)).toBe(1 + 2 ** -9); // tie → even (up)
    expect(roundToF16(65504)).toBe(65504);
    expect(roundToF16(65519.99)).toBe(65504);
    expect(roundToF16(65520)).toBe(Infinity);
    expect(roundToF16(-1e6)).toBe(-Infinity);
    expect(roundToF16(2 ** -25)).toBe(0); // tie between 0 and the smallest subnormal → 0 (even)
    expect(roundToF16(3 * 2 ** -26)).toBe(2 ** -24);
    expect(Object.is(roundToF16(-0), -0)).toBe(true);
    expect(roundToF16(NaN)).toBeNaN();
  });
  it('encodes and decodes every finite binary16 value exactly', () => {
    for (let h = 0; h < 0x10000; h++) {
      const v = fromF16Bits(h);
      if (Number.isNaN(v)) continue;
      expect(f16Bits(v)).toBe(h);
      expect(roundToF16(v)).toBe(v);
    }
    expect(f16Bits(NaN)).toBe(0x7e00);
  });
  it('f16 host tensors hold rounded values', () => {
    expect(Array.from(hostTensor('f16', [3], [0.1, 1, 70000]).data)).toEqual([roundToF16(0.1), 1, Infinity]);
  });
});
