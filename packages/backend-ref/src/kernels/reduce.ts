import type { ReduceOp, ReduceParams } from '@lowrank/core';
import type { RefTensor } from '../tensor.ts';

const STEP: Readonly<Record<ReduceOp, { init: number; step: (acc: number, v: number) => number }>> = {
  sum: { init: 0, step: (s, v) => s + v },
  sumsq: { init: 0, step: (s, v) => s + v * v },
  max: { init: -Infinity, step: Math.max },
  min: { init: Infinity, step: Math.min },
  absmax: { init: 0, step: (s, v) => Math.max(s, Math.abs(v)) },
};

export function reduce(p: ReduceParams<RefTensor>): void {
  const { init, step } = STEP[p.op];
  const x = p.x.data,
    out = p.out.data;
  const { rows, cols } = p;
  const [outer, inner] = p.axis === 'rows' ? [rows, cols] : [cols, rows];
  for (let o = 0; o < outer; o++) {
    let acc = init;
    for (let i = 0; i < inner; i++) acc = step(acc, p.axis === 'rows' ? x[o * cols + i] : x[i * cols + o]);
    out[o] = acc;
  }
}
