import type { BinaryOp, BinaryParams } from '@lowrank/core';
import type { RefTensor } from '../tensor.ts';

export const BINARY: Readonly<Record<BinaryOp, (x: number, y: number) => number>> = {
  add: (x, y) => x + y,
  sub: (x, y) => x - y,
  mul: (x, y) => x * y,
  div: (x, y) => x / y,
  max: Math.max,
  min: Math.min,
};

export function binary(p: BinaryParams<RefTensor>): void {
  const f = BINARY[p.op],
    x = p.x.data,
    y = p.y.data,
    out = p.out.data;
  for (let i = 0; i < p.n; i++) out[i] = f(x[i], y[i]);
}
