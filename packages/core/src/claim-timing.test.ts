/** fastestInterleaved: timings take turns in ABBA order and each keeps its least time. */
import { describe, expect, it } from 'vitest';
import { fastestInterleaved } from './claim.ts';
import { ArgumentError } from './errors.ts';

describe('fastestInterleaved', () => {
  it("runs the timings in ABBA order and keeps each one's least", async () => {
    const order: string[] = [];
    const times = { a: [5, 3, 4], b: [2, 6, 1] };
    const timing = (name: 'a' | 'b') => async () => {
      order.push(name);
      return times[name][order.filter((x) => x === name).length - 1];
    };
    expect(await fastestInterleaved([timing('a'), timing('b')], 3)).toEqual([3, 1]);
    expect(order.join('')).toBe('abbaab');
  });

  it('runs every timing once in one round, and refuses no rounds or no timings', async () => {
    let calls = 0;
    const t = async () => ++calls;
    expect(await fastestInterleaved([t, t, t], 1)).toEqual([1, 2, 3]);
    await expect(fastestInterleaved([t, t], 0)).rejects.toThrow(ArgumentError);
    await expect(fastestInterleaved([], 2)).rejects.toThrow(/needs timings/);
    expect(calls).toBe(3);
  });
});
