import type { UnaryOp, UnaryParams } from '@lowrank/core';
import type { RefTensor } from '../tensor.ts';

/** The definitions every backend's elementwise kernels are checked against. NaN always propagates. */
export const UNARY: Readonly<Record<UnaryOp, (x: number) => number>> = {
  neg: (x) => -x,
  abs: Math.abs,
  square: (x) => x * x,
  sqrt: Math.sqrt,
  exp: Math.exp,
  log: Math.log,
  tanh: Math.tanh,
  relu: (x) => (x < 0 ? 0 : x),
  reciprocal: (x) => 1 / x,
};

export function unary(p: UnaryParams<RefTensor>): void {
  const f = UNARY[p.op],
    x = p.x.data,
    out = p.out.data;
  for (let i = 0; i < p.n; i++) out[i] = f(x[i]);
}
