import { Bench } from 'tinybench';

/**
 * A fixed, allocation-free JavaScript kernel (an xorshift32 loop) timed with tinybench: its median
 * tracks how fast this machine runs right now, so the gate can normalize timings between a baseline
 * and a run on a slower or busier runner.
 */
export async function calibrate(timeMs = 200): Promise<number> {
  let sink = 0;
  const bench = new Bench({ time: timeMs, warmupTime: 50, iterations: 10 });
  bench.add('calibration', () => {
    let x = 2463534242;
    for (let i = 0; i < 200_000; i++) {
      x ^= x << 13;
      x ^= x >>> 17;
      x ^= x << 5;
    }
    sink ^= x;
  });
  await bench.run();
  const r = bench.tasks[0].result;
  if (r.state !== 'completed' || sink === 0.5) throw new Error('calibration kernel did not complete');
  return r.latency.p50;
}
