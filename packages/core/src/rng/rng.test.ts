import { describe, expect, it } from 'vitest';
import { ArgumentError } from '../errors.ts';
import { detCos2Pi, detLog } from './detmath.ts';
import { mulhi32, philox4x32 } from './philox.ts';
import { blockAt, fillRandom } from './stream.ts';
import { StreamReader } from './reader.ts';

// Random123 kat_vectors for philox4x32-10: counter, key, expected output.
const KAT: Array<[number[], number[], number[]]> = [
  [
    [0, 0, 0, 0],
    [0, 0],
    [0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8],
  ],
  [
    [0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff],
    [0xffffffff, 0xffffffff],
    [0x408f276d, 0x41c83b0e, 0xa20bc7c6, 0x6d5451fd],
  ],
  [
    [0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344],
    [0xa4093822, 0x299f31d0],
    [0xd16cfe09, 0x94fdcceb, 0x5001e420, 0x24126ea1],
  ],
];

describe('philox4x32-10', () => {
  it.each(KAT)('matches the Random123 known answer for counter %j', (ctr, key, expected) => {
    const out = new Uint32Array(4);
    philox4x32(ctr[0], ctr[1], ctr[2], ctr[3], key[0], key[1], out);
    expect(Array.from(out)).toEqual(expected);
  });

  it('mulhi32 is the exact high word of the 64-bit product', () => {
    const u = fillRandom({ seed: 3, stream: 0 }, 'uniform', 'f64', 2000);
    for (let i = 0; i < u.length; i += 2) {
      const a = Math.floor(u[i] * 2 ** 32),
        b = Math.floor(u[i + 1] * 2 ** 32);
      expect(mulhi32(a, b)).toBe(Number((BigInt(a) * BigInt(b)) >> 32n));
    }
    expect(mulhi32(0xffffffff, 0xffffffff)).toBe(0xfffffffe);
  });
});

describe('deterministic log and cos', () => {
  const ulp = (x: number) => Math.max(Number.MIN_VALUE, Math.abs(x) * 2 ** -52);
  it('detLog is within 2 ulp of Math.log on (0, 1] and beyond', () => {
    for (const x of [2 ** -53, 1e-300, 1e-10, 0.1, 0.5, 0.7071, 0.99999, 1, 1.5, 2, 1e10, 1e300]) {
      expect(Math.abs(detLog(x) - Math.log(x))).toBeLessThanOrEqual(2 * ulp(Math.log(x)) + 1e-300);
    }
    expect(detLog(1)).toBe(0);
  });
  it('detCos2Pi is within 1e-15 of Math.cos(2πu) over a full period', () => {
    for (let i = 0; i < 4096; i++) {
      const u = i / 4096;
      expect(Math.abs(detCos2Pi(u) - Math.cos(2 * Math.PI * u))).toBeLessThan(1e-15);
    }
  });
});

describe('streams', () => {
  it('element i does not depend on where the fill starts (counter-based)', () => {
    const whole = fillRandom({ seed: 11, stream: 2 }, 'normal', 'f64', 100);
    const tail = fillRandom({ seed: 11, stream: 2 }, 'normal', 'f64', 40, 60);
    expect(Array.from(tail)).toEqual(Array.from(whole.subarray(60)));
  });
  it('f32 draws are the f64 draws rounded to nearest', () => {
    const d = fillRandom({ seed: 5, stream: 1 }, 'normal', 'f64', 64);
    const f = fillRandom({ seed: 5, stream: 1 }, 'normal', 'f32', 64);
    expect(Array.from(f)).toEqual(Array.from(Float32Array.from(d)));
  });
  it('uniform draws lie in [0, 1) and normal draws have mean ≈ 0 and variance ≈ 1', () => {
    const u = fillRandom({ seed: 1, stream: 0 }, 'uniform', 'f64', 20000);
    expect(Math.min(...u)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...u)).toBeLessThan(1);
    const z = fillRandom({ seed: 1, stream: 0 }, 'normal', 'f64', 20000);
    const mean = z.reduce((a, b) => a + b, 0) / z.length;
    const variance = z.reduce((a, b) => a + (b - mean) ** 2, 0) / z.length;
    expect(Math.abs(mean)).toBeLessThan(0.03); // 4 standard errors
    expect(Math.abs(variance - 1)).toBeLessThan(0.04);
  });
  it('seeds above 2^32 use both key words; streams are independent', () => {
    const b1 = new Uint32Array(4),
      b2 = new Uint32Array(4);
    blockAt({ seed: 2 ** 40 + 1, stream: 0 }, 0, b1);
    blockAt({ seed: 1, stream: 0 }, 0, b2);
    expect(Array.from(b1)).not.toEqual(Array.from(b2));
    blockAt({ seed: 1, stream: 1 }, 0, b1);
    expect(Array.from(b1)).not.toEqual(Array.from(b2));
  });
  it.each([
    [-1, 0],
    [1.5, 0],
    [2 ** 53, 0],
    [0, -1],
    [0, 2 ** 32],
  ])('rejects seed %d stream %d', (seed, stream) => {
    expect(() => fillRandom({ seed, stream }, 'uniform', 'f64', 1)).toThrow(ArgumentError);
  });
});

describe('StreamReader', () => {
  it('reads the stream fillRandom fills, and its Gamma and Beta draws have the right means', () => {
    const r = new StreamReader({ seed: 3, stream: 1 });
    expect([r.uniform(), r.uniform()]).toEqual(Array.from(fillRandom({ seed: 3, stream: 1 }, 'uniform', 'f64', 2)));
    expect(r.offset).toBe(2);
    const draws = 20000;
    for (const [a, b] of [
      [0.5, 1.5],
      [2, 6],
    ]) {
      let s = 0;
      for (let i = 0; i < draws; i++) s += r.beta(a, b);
      // Beta(a, b) has mean a/(a + b) and variance ≤ 1/12: the sample mean is within 4σ/√n of it.
      expect(Math.abs(s / draws - a / (a + b))).toBeLessThan(4 * Math.sqrt(1 / 12 / draws));
    }
    let g = 0;
    for (let i = 0; i < draws; i++) g += r.gamma(0.5);
    expect(Math.abs(g / draws - 0.5)).toBeLessThan(4 * Math.sqrt(0.5 / draws));
  });
});
