import { builtModule as bytes } from './built.fixtures.ts';
import { describe, expect, it } from 'vitest';

// The in-module barrier (assembly/shared/barrier.ts) through the kernel that uses it, on one thread of the module.

describe('in-module barrier', () => {
  it('gives up at once when another thread gave up, and on private memory when asked for two threads', async () => {
    for (const [variant, shared] of [
      ['simd-shared', true],
      ['simd-private', false],
    ] as const) {
      const memory = new WebAssembly.Memory({ initial: 512, maximum: 65536, shared });
      const { instance } = await WebAssembly.instantiate(bytes(variant), { env: { memory } });
      const call = (name: string, ...args: number[]) => (instance.exports[name] as (...a: number[]) => number)(...args);
      const n = 200;
      const [a, sync, work] = [1 << 20, 1 << 21, 1 << 22];
      const words = new Int32Array(memory.buffer, sync, 4);
      new Float64Array(memory.buffer, a, n * n).fill(1);
      expect(call('syevWorkBytes', n, 8)).toBeLessThan(memory.buffer.byteLength - work);
      expect(call('syevReduceStart_f64', a, n, work)).toBe(0);
      // One thread of one needs no barrier.
      expect(call('syevReduceSteps_f64', n, work, 0, 1, sync, 1)).toBe(0);
      words.fill(0);
      words[3] = 1; // ABORT, as a thread that gave up leaves it
      expect(call('syevReduceSteps_f64', n, work, 0, 2, sync, 0)).toBe(-3);
      if (!shared) {
        words.fill(0);
        expect(call('syevReduceSteps_f64', n, work, 0, 2, sync, 0)).toBe(-3);
      }
    }
  });
});
