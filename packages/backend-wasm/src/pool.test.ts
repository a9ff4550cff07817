import { builtModule as bytes } from './built.fixtures.ts';
import { describe, expect, it } from 'vitest';
import { task, ThreadPool } from './pool.ts';

describe('thread pool', () => {
  it('runs every claimed task exactly once across the threads, after each thread its own list', async () => {
    const memory = new WebAssembly.Memory({ initial: 512, maximum: 65536, shared: true });
    const module = await WebAssembly.compile(bytes('simd-shared'));
    const instance = await WebAssembly.instantiate(module, { env: { memory } });
    const pool = await ThreadPool.create(2, module, memory);
    try {
      const [x, counter, blocks, len] = [1 << 20, 1 << 19, 64, 256];
      const data = new Float64Array(memory.buffer, x, blocks * len);
      const at = (b: number) => x + b * len * 8;
      const local = (tasks: ReturnType<typeof task>[]) => {
        for (const t of tasks) (instance.exports[t.fn] as (...a: number[]) => void)(...t.args);
      };
      for (let round = 0; round < 20; round++) {
        data.fill(1);
        // Block 0 ×3 by thread 0's list, block 1 ×5 by thread 1's; each block ×2 once by whichever thread claims it.
        const claimed = [0, 1].map(() => Array.from({ length: blocks }, (_, b) => task('scal_f64', 2, at(b), len)));
        await pool.run([[task('scal_f64', 3, at(0), len)], [task('scal_f64', 5, at(1), len)]], local, round < 19, {
          counter,
          tasks: claimed,
        });
        const expected = (b: number) => 2 * (b === 0 ? 3 : b === 1 ? 5 : 1);
        for (let b = 0; b < blocks; b++)
          expect([data[b * len], data[b * len + len - 1]]).toEqual([expected(b), expected(b)]);
      }
      await expect(pool.run([[], [], []], local)).rejects.toThrow(/3 task lists for 2 threads/);
    } finally {
      await pool.close();
    }
  });
});
